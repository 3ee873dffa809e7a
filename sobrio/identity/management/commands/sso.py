import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import URLValidator

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.identity import services
from sobrio.identity.models import IdentityProvider, Kind


def _institution(slug):
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise CommandError(f"No institution '{slug}' (sobrio institution list shows them).")
    return institution


def _url(value, option):
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        raise CommandError(f"{option}: '{value}' is not an http(s) address.") from None
    return value


def _saml_fields(source, entity_id, cert_file):
    from pathlib import Path

    from sobrio.identity import saml

    cert = ""
    if cert_file:
        path = Path(cert_file)
        if not path.is_file() or path.stat().st_size > 64 * 1024:
            raise CommandError(f"--metadata-cert {cert_file}: no such certificate file.")
        cert = path.read_text(encoding="ascii", errors="replace")
    try:
        return saml.idp_fields(source, entity_id, cert)
    except saml.NotInMetadata as missing:
        raise CommandError(f"--entity-id {entity_id}: not in the metadata ({missing}).") from None
    except saml.SeveralIdps as several:
        raise CommandError(f"The metadata holds {several} identity providers: choose one "
                           "with --entity-id.") from None  # fmt: skip
    except (saml.BadCertificate, saml.NotSignedBy) as failed:
        raise CommandError(f"--metadata-cert {cert_file}: {failed}") from None
    except saml.Failed as failed:
        raise CommandError(f"--metadata {source}: {failed}") from None


class Command(SobrioCommand):
    stealth_options = ("stdin",)  # call_command(…, stdin=…), as createsuperuser does

    help = (
        "Fournisseurs d'identité d'un établissement : add cas (serveur CAS 3.0), add saml "
        "(IdP SAML 2.0, par ses métadonnées), add oidc (OpenID Connect), list, remove. Ils "
        "ne connectent qu'à leur établissement et ne donnent aucun rôle dans l'équipe."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        kinds = add.add_subparsers(dest="kind", required=True)
        cas = kinds.add_parser("cas")
        cas.add_argument("--institution", required=True)
        cas.add_argument("--url", required=True, help="l'adresse du serveur (…/cas/)")
        cas.add_argument("--name", default="", help="le libellé du bouton (défaut : CAS)")
        saml = kinds.add_parser("saml")
        saml.add_argument("--institution", required=True)
        saml.add_argument("--metadata", required=True, help="fichier ou adresse des métadonnées")
        saml.add_argument(
            "--entity-id", default="", help="l'IdP, si les métadonnées en ont plusieurs"
        )
        saml.add_argument("--name", default="", help="le libellé du bouton (défaut : SAML)")
        saml.add_argument("--metadata-cert", default="",
                          help="certificat (PEM) qui doit avoir signé les métadonnées")  # fmt: skip
        oidc = kinds.add_parser("oidc")
        oidc.add_argument("--institution", required=True)
        oidc.add_argument("--issuer", required=True, help="l'émetteur (issuer) du fournisseur")
        oidc.add_argument("--client-id", required=True)
        oidc.add_argument("--client-secret-stdin", action="store_true",
                          help="lire le secret du client sur l'entrée standard")  # fmt: skip
        oidc.add_argument("--name", default="", help="le libellé du bouton (défaut : OpenID)")
        listing = sub.add_parser("list")
        listing.add_argument("--institution", required=True)
        listing.add_argument("--format", choices=("text", "json"), default="text")
        remove = sub.add_parser("remove")
        remove.add_argument("id", type=int)
        refresh = sub.add_parser("refresh", help="relire les métadonnées SAML données par "
                                                 "leur adresse (fait chaque jour)")  # fmt: skip
        refresh.add_argument("--institution", default="")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action)(**options)

    def _add(self, *, kind, institution, name, **options):
        institution = _institution(institution)
        if kind == Kind.CAS:
            url = _url(options["url"], "--url")
            name = (name or "CAS").strip()[:80]
            fields = {"url": url}
        elif kind == Kind.SAML:
            name = (name or "SAML").strip()[:80]
            fields = _saml_fields(options["metadata"], options["entity_id"],
                                  options["metadata_cert"])  # fmt: skip
        elif kind == Kind.OIDC:
            fields = {"url": _url(options["issuer"], "--issuer").rstrip("/"),
                      "client_id": options["client_id"].strip()[:200]}  # fmt: skip
            name = (name or "OpenID").strip()[:80]
            stream = options.get("stdin") or sys.stdin
            secret = stream.read().strip() if options["client_secret_stdin"] else ""
        if IdentityProvider.objects.filter(institution=institution, name=name).exists():
            raise CommandError(f"{institution.slug} already has a provider named '{name}'.")
        provider = IdentityProvider(institution=institution, kind=kind, name=name, **fields)
        if kind == Kind.OIDC:
            services.seal_secret(provider, secret)
        provider.save()
        self.stdout.write(f"{provider.pk}\t{provider.kind}\t{provider.name}")

    def _refresh(self, *, institution, **options):
        from sobrio.identity import saml

        providers = IdentityProvider.objects.filter(kind=Kind.SAML).exclude(metadata_url="")
        if institution:
            providers = providers.filter(institution=_institution(institution))
        failed = 0
        for provider in providers.order_by("pk"):
            renewed = saml.refresh_metadata(provider)
            failed += not renewed
            said = (
                "renewed"
                if renewed
                else f"kept the last good metadata: {provider.metadata_problem}"
            )
            self.stdout.write(f"{provider.pk}\t{provider.name}\t{said}")
        if failed:
            raise CommandError(f"{failed} metadata not renewed.")

    def _list(self, *, institution, format, **options):
        institution = _institution(institution)
        providers = IdentityProvider.objects.filter(institution=institution).order_by("pk")
        rows = [services.describe(p) for p in providers.select_related("institution")]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            state = "" if row["enabled"] else "\t(inactive)"
            self.stdout.write(f"{row['id']}\t{row['kind']}\t{row['name']}\t{row['url']}{state}")

    def _remove(self, *, id, **options):
        provider = IdentityProvider.objects.filter(pk=id).first()
        if provider is None:
            raise CommandError(f"No identity provider {id} (sobrio sso list shows them).")
        provider.delete()
        self.stdout.write(f"removed {id}")
