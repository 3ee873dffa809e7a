"""The demo institution, built deterministically and idempotently (run it twice: no duplicate)."""

from django.db import transaction
from django.utils.module_loading import import_string

from sobrio.core.enums import Role, UnitKind
from sobrio.core.models import Institution, Membership, Unit, User

DEMO_SLUG = "demo"
DEMO_NAME = "Université de Démonstration"
DOMAIN = "demo.sobrio.fr"

# (name, kind, code, parent name)
UNITS = [
    ("Présidence", UnitKind.DIRECTION, "PRES", None),
    ("Direction générale des services", UnitKind.DIRECTION, "DGS", None),
    ("Direction du système d'information (DSI)", UnitKind.DIRECTION, "DSI", None),
    (
        "Pôle infrastructures et salles serveurs",
        UnitKind.SERVICE,
        "DSI-INFRA",
        "Direction du système d'information (DSI)",
    ),
    (
        "Pôle poste de travail et assistance",
        UnitKind.SERVICE,
        "DSI-PDT",
        "Direction du système d'information (DSI)",
    ),
    (
        "Pilotage de la transition écologique",
        UnitKind.SERVICE,
        "TE",
        "Direction générale des services",
    ),
    ("Direction de la formation et de la vie étudiante", UnitKind.DIRECTION, "DFVE", None),
    ("Service des achats", UnitKind.SERVICE, "ACH", "Direction générale des services"),
    ("UFR Sciences et techniques", UnitKind.COMPONENT, "UFR-ST", None),
    (
        "Laboratoire de physique des matériaux",
        UnitKind.LABORATORY,
        "LPM",
        "UFR Sciences et techniques",
    ),
    ("UFR Lettres, langues et sciences humaines", UnitKind.COMPONENT, "UFR-LLSH", None),
    ("Institut universitaire de technologie (IUT)", UnitKind.COMPONENT, "IUT", None),
    ("Bibliothèque universitaire", UnitKind.SERVICE, "BU", None),
]

# (email, full name, role, units of a contributor): one account per role.
ACCOUNTS = [
    (f"admin@{DOMAIN}", "Camille Admin", Role.ADMIN, []),
    (f"referente@{DOMAIN}", "Dominique Référente", Role.OFFICER, []),
    (
        f"contributeur@{DOMAIN}",
        "Alex Contributeur",
        Role.CONTRIBUTOR,
        ["Direction du système d'information (DSI)"],
    ),
    (f"lecture@{DOMAIN}", "Sacha Lecture", Role.VIEWER, []),
    # A participant signs in by a one-time link; the demo's has a password too, printed.
    (f"etudiante@{DOMAIN}", "Inès Étudiante", Role.PARTICIPANT, []),
]

# The community the apps' demos show at work (a quiz taken, a workshop attended, a pledge,
# an idea): participants of the demo university, each in a unit; made when a demo asks.
COMMUNITY = [
    ("leo.martin@demo.sobrio.fr", "Léo Martin", "UFR Sciences et techniques"),
    ("nina.roux@demo.sobrio.fr", "Nina Roux", "Bibliothèque universitaire"),
    ("sam.petit@demo.sobrio.fr", "Sam Petit", "Direction du système d'information (DSI)"),
]

# A second institution, so that the switcher shows: the demo officer belongs to both.
PARTNER = ("demo-recherche", "Institut de Recherche de Démonstration", "IRD-Démo")


# Each app adds its part of the demo in its AppConfig.ready(): (order, load(institution)).
# The core knows none of them.
STEPS = []


def register(order, load):
    """`load`: (institution) -> None, or its dotted path (imported when the demo is made)."""
    STEPS.append((order, load))


def community(institution):
    """The COMMUNITY's users, participants of the institution (created once)."""
    people = []
    for email, name, unit in COMMUNITY:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, full_name=name
        )
        Membership.objects.get_or_create(
            institution=institution,
            user=user,
            defaults={
                "role": Role.PARTICIPANT,
                "affiliation": Unit.objects.filter(institution=institution, name=unit).first(),
            },
        )
        people.append(user)
    return people


def password_for(role):
    """Demo passwords are public by design: they are printed by `sobrio demo`."""
    return f"sobrio-demo-{role}"


@transaction.atomic
def load_demo():
    institution, _ = Institution.objects.update_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": DEMO_NAME,
            "short_name": "UDémo",
            "country": "FRA",
            "participant_domains": DOMAIN,
        },
    )
    units = {}
    for name, kind, code, parent in UNITS:
        units[name], _ = Unit.objects.update_or_create(
            institution=institution,
            name=name,
            defaults={"kind": kind, "code": code, "parent": units.get(parent)},
        )
    for email, full_name, role, unit_names in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password_for(role), full_name=full_name)
        membership, _ = Membership.objects.update_or_create(
            institution=institution, user=user, defaults={"role": role}
        )
        membership.units.set([units[n] for n in unit_names])

    slug, name, short = PARTNER
    partner, _ = Institution.objects.update_or_create(
        slug=slug, defaults={"name": name, "short_name": short, "country": "FRA"}
    )
    Unit.objects.update_or_create(
        institution=partner, name="Service informatique", defaults={"kind": UnitKind.SERVICE}
    )
    officer = User.objects.get(email=f"referente@{DOMAIN}")
    Membership.objects.update_or_create(
        institution=partner, user=officer, defaults={"role": Role.ADMIN}
    )
    # The demo's people are made up: the emails their registrations would send stay here.
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for _order, step in sorted(STEPS, key=lambda s: s[0]):
            (import_string(step) if isinstance(step, str) else step)(institution)
    return institution


def logins():
    return [(email, password_for(role), role) for email, _, role, _ in ACCOUNTS]
