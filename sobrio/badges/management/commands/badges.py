import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sobrio.badges import documents as ob
from sobrio.badges import keys as badge_keys
from sobrio.badges import services as badges
from sobrio.badges.models import BadgeAssertion, BadgeClass
from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution


def _institution(slug):
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise CommandError(f"No institution '{slug}' (sobrio institution list shows them).")
    return institution


def _urls(assertion, base):
    return {
        "assertion": ob.url("ob_assertion", assertion.uid, base=base),
        "png": ob.url("ob_assertion_png", assertion.uid, base=base),
        "ob3": ob.url("ob3_png", assertion.uid, base=base),
        "verify": ob.url("badge_verify", assertion.uid, base=base),
    }


class Command(SobrioCommand):
    help = (
        "Open Badges : 'award' délivre un badge à une adresse, 'revoke' retire un badge délivré, "
        "'list' les badges délivrés, 'rotate-key' renouvelle la clé de signature (3.0)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        award = sub.add_parser("award", help="délivrer un badge (une fois par personne)")
        award.add_argument("--institution", required=True, help="slug de l'établissement")
        award.add_argument("--badge", required=True, help="identifiant court du badge")
        award.add_argument("--email", required=True)
        award.add_argument("--name", default="", help="nom du titulaire")
        award.add_argument("--evidence", default="", help="adresse d'une preuve")
        award.add_argument("--narrative", default="")
        award.add_argument("--format", choices=("text", "json"), default="text")
        revoke = sub.add_parser("revoke", help="retirer un badge délivré")
        revoke.add_argument("assertion", help="adresse de l'assertion Open Badges 2.0")
        revoke.add_argument("--reason", required=True, help="motif public du retrait")
        listing = sub.add_parser("list", help="les badges délivrés")
        listing.add_argument("--institution", required=True)
        listing.add_argument("--format", choices=("text", "json"), default="text")
        rotate = sub.add_parser("rotate-key", help="nouvelle clé de signature Open Badges 3.0")
        rotate.add_argument("--institution", required=True)

    def handle(self, *args, action, **options):
        base = ob.base_url()
        if not base:
            self.stderr.write(
                "SOBRIO_BASE_URL is not set: the badges' addresses are relative (set it to the "
                "public address, https://sobrio.univ-x.fr)."
            )
        getattr(self, "_" + action.replace("-", "_"))(base, **options)

    def _award(self, base, *, institution, badge, email, name, evidence, narrative, format,
               **_options):  # fmt: skip
        institution = _institution(institution)
        badge_class = BadgeClass.objects.for_institution(institution).filter(slug=badge).first()
        if badge_class is None:
            raise CommandError(f"No badge '{badge}' in {institution.slug}.")
        try:
            assertion, created = badges.award(
                badge_class, email=email, name=name, evidence_url=evidence, narrative=narrative
            )
        except ValidationError:
            raise CommandError(f"'{email}' is not an email address.") from None
        except badges.AwardRefused as refused:
            raise CommandError(str(refused)) from None
        urls = _urls(assertion, base)
        if format == "json":
            self.stdout.write(json.dumps(urls))
        else:
            word = "awarded" if created else "already held"
            self.stdout.write(f"{badge_class.name} {word} by {assertion.email}: {urls['verify']}")

    def _revoke(self, base, *, assertion, reason, **_options):
        found = badges.assertion_for_url(assertion)
        if found is None:
            raise CommandError(f"No assertion at {assertion} on this server.")
        try:
            badges.revoke(found, reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Revoked: {found}")

    def _list(self, base, *, institution, format, **_options):
        institution = _institution(institution)
        rows = BadgeAssertion.objects.for_institution(institution).select_related("badge")
        data = [
            {
                "badge": a.badge.slug,
                "email": a.email,
                "issued": ob.iso(a.issued_at),
                "expires": ob.iso(a.expires_at) if a.expires_at else None,
                "state": badges.state(a),
                "revocation_reason": a.revocation_reason or None,
                **_urls(a, base),
            }
            for a in rows.iterator()
        ]
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for row in data:
            self.stdout.write(
                f"{row['state']:8} {row['badge']:24} {row['email']:32} {row['issued']}"
            )

    def _rotate_key(self, base, *, institution, **_options):
        key = badge_keys.rotate(badges.issuer_of(_institution(institution)))
        self.stdout.write(f"New signing key {key.kid}: {ob.kid_url(key, base)}")
