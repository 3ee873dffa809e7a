"""The badges of the demo: one class for each kind of rule, created before the events of
the other apps' demos so that their rules award them, and a manual badge given by hand
(one of them revoked).
Idempotent, in Sobrio's own words."""

from sobrio.badges.models import BadgeClass, BadgeRule
from sobrio.core import demo as core_demo
from sobrio.core.models import User
from sobrio.learning.demo import PATH_TITLE, QUIZ_NAME
from sobrio.learning.models import Path, Quiz, WorkshopKind


def load(institution):
    if BadgeClass.objects.for_institution(institution).exists():
        return
    quiz = Quiz.objects.for_institution(institution).filter(name=QUIZ_NAME).first()
    path = Path.objects.for_institution(institution).filter(title=PATH_TITLE).first()
    _badges(institution, quiz, path)


def load_by_hand(institution):
    organisation = BadgeClass.objects.filter(institution=institution, slug="organisation").first()
    if organisation is not None and not organisation.assertions.exists():
        _badges_by_hand(institution, core_demo.community(institution))


BADGES = [
    # slug, name, description, criteria, rule
    ("reflexes", "Bons réflexes numériques",
     "Connaît les gestes qui allongent la vie des appareils et allègent les usages.",
     "Réussir le quiz « Les bons réflexes du numérique responsable » avec au moins 60 %.",
     BadgeRule.QUIZ),
    ("ambassadeur", "Ambassadeur·rice du numérique responsable",
     "A suivi le parcours des ambassadeur·rices : enjeux, Fresque du Numérique, projet.",
     "Valider tous les modules du parcours des ambassadeur·rices ; l'attestation l'accompagne.",
     BadgeRule.PATH),
    ("fresque", "Fresque du Numérique",
     "A participé à un atelier de la Fresque du Numérique.",
     "Être pointé·e présent·e à une séance de la Fresque du Numérique.", BadgeRule.WORKSHOP),
    ("nettoyeur", "Nettoyeur·se numérique",
     "A fait du tri dans ses données et ses tiroirs pendant le Digital Cleanup Day.",
     "Une déclaration de nettoyage acceptée pendant une campagne.", BadgeRule.CLEANUP),
    ("idee", "Idée retenue",
     "A proposé une idée que l'établissement a retenue.",
     "Une idée de la boîte à idées retenue par l'équipe.", BadgeRule.IDEA),
    ("organisation", "Organisation du Digital Cleanup Day",
     "A organisé le Digital Cleanup Day dans son unité.",
     "Délivré par la chargée de mission aux personnes qui ont animé la journée.",
     BadgeRule.MANUAL),
]  # fmt: skip


def _badges(institution, quiz, path):
    from sobrio.badges import services as badges

    issuer = badges.issuer_of(institution)
    issuer.name = institution.name
    issuer.url = "https://www.univ-demo.fr"
    issuer.email = "numerique-responsable@demo.sobrio.fr"
    issuer.description = "Démarche numérique responsable de l'établissement."
    issuer.save()
    fresque = WorkshopKind.objects.for_institution(institution).filter(
        name="Fresque du Numérique"
    ).first()  # fmt: skip
    for slug, name, description, criteria, rule in BADGES:
        BadgeClass.objects.get_or_create(
            institution=institution, slug=slug,
            defaults={
                "name": name, "description": description, "criteria": criteria, "rule": rule,
                "tags": "numérique responsable, sobriété",
                "quiz": quiz if rule == BadgeRule.QUIZ else None,
                "min_score": 60 if rule == BadgeRule.QUIZ else None,
                "path": path if rule == BadgeRule.PATH else None,
                "workshop_kind": fresque if rule == BadgeRule.WORKSHOP else None,
                "valid_days": 730 if rule == BadgeRule.WORKSHOP else None,
                "alignment_name": "Sensibiliser au numérique responsable",
                "alignment_url": "https://ecoresponsable.numerique.gouv.fr/publications/bonnes-pratiques/",
                "alignment_framework": "Guide de bonnes pratiques numérique responsable",
            },
        )  # fmt: skip


def _badges_by_hand(institution, people):
    from sobrio.badges import services as badges

    organisation = BadgeClass.objects.get(institution=institution, slug="organisation")
    officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
    student = User.objects.filter(email="etudiante@demo.sobrio.fr").first()
    for user in [*people[:2], *([student] if student else [])]:
        badges.award(organisation, email=user.email, user=user, by=officer,
                     narrative="Animation de l'équipe de son unité.")  # fmt: skip
    wrong, _created = badges.award(organisation, email="erreur@demo.sobrio.fr",
                                   name="Compte de test", by=officer)  # fmt: skip
    badges.revoke(wrong, "Délivré par erreur à un compte de test.")
