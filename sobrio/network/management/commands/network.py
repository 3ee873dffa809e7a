import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.network import figures, services
from sobrio.network.models import Network, NetworkMember


def _network(slug):
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise CommandError(f"No network '{slug}'.")
    return network


def _institution(slug):
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise CommandError(f"No institution '{slug}' (sobrio institution list shows them).")
    return institution


def _member(network, institution):
    member = NetworkMember.objects.filter(network=network, institution=institution).first()
    if member is None:
        raise CommandError(f"{institution.slug} is not invited to {network.slug}.")
    return member


class Command(SobrioCommand):
    help = (
        "Réseau : create, invite, accept, share, benchmark, export (fichier signé Ed25519), "
        "import (vérifié), trust (clé publique d'un membre d'un autre serveur)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        invite = sub.add_parser("invite")
        invite.add_argument("network")
        invite.add_argument("institution")
        accept = sub.add_parser("accept")
        accept.add_argument("network")
        accept.add_argument("--institution", required=True)
        share = sub.add_parser("share")
        share.add_argument("network")
        share.add_argument("--institution", required=True)
        share.add_argument(
            "--figures",
            required=True,
            help="footprint,assessment,plan,awareness,reuse (vide : rien)",
        )
        share.add_argument("--anonymous", action="store_true")
        bench = sub.add_parser("benchmark")
        bench.add_argument("network")
        bench.add_argument("--figure", required=True, choices=sorted(figures.FIGURES))
        bench.add_argument("--year", type=int, required=True)
        bench.add_argument("--referential", help="pour assessment_score : le référentiel")
        bench.add_argument("--format", choices=("text", "json"), default="text")
        export = sub.add_parser("export")
        export.add_argument("--institution", required=True)
        export.add_argument("--network", required=True)
        export.add_argument("--years", default="", help="AAAA,AAAA ; défaut : les 3 dernières")
        export.add_argument("-o", "--output", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file")
        trust = sub.add_parser("trust")
        trust.add_argument("network")
        trust.add_argument("institution")
        trust.add_argument("--key", required=True, help="la clé publique publiée (base64url)")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action)(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _create(self, *, slug, name, **_o):
        services.create(slug, name)
        self.stdout.write(f"Network {slug} created.")

    def _invite(self, *, network, institution, **_o):
        services.invite(_network(network), _institution(institution))
        self.stdout.write(f"{institution} invited to {network}.")

    def _accept(self, *, network, institution, **_o):
        services.accept(_member(_network(network), _institution(institution)))
        self.stdout.write(f"{institution} is a member of {network}.")

    def _share(self, *, network, institution, figures, anonymous, **_o):
        groups = [g.strip() for g in figures.split(",") if g.strip()]
        member = services.share(
            _member(_network(network), _institution(institution)), groups, anonymous
        )
        self.stdout.write(
            f"{institution} shares {', '.join(member.figures) or 'nothing'}"
            f"{' anonymously' if anonymous else ''}."
        )

    def _benchmark(self, *, network, figure, year, referential, format, **_o):
        result = services.benchmark(_network(network), figure, year, referential=referential)
        keys = ("members", "shown", "reason", "median", "q1", "q3", "total", "values")
        data = {k: result[k] for k in keys}
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _export(self, *, institution, network, years, output, **_o):
        from django.utils import timezone

        this = timezone.localdate().year
        wanted = [int(y) for y in years.split(",") if y.strip().isdigit()] or [
            this - 2,
            this - 1,
            this,
        ]
        document = services.export(_institution(institution), _network(network), wanted)
        Path(output).write_text(
            json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self.stdout.write(f"{len(document['payload']['values'])} value(s) signed into {output}")

    def _import(self, *, file, **_o):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if path.stat().st_size > 5 * 1024 * 1024:
            raise CommandError(f"{path.name}: larger than 5 MB, not a network export.")
        try:
            member = services.import_file(path.read_text(encoding="utf-8", errors="replace"))
        except services.Refused as refused:
            raise CommandError(f"{path.name} refused: {refused}") from None
        self.stdout.write(f"Accepted: {member.institution.slug} → {member.network.slug}.")

    def _trust(self, *, network, institution, key, **_o):
        member = _member(_network(network), _institution(institution))
        try:
            services.register_key(member, key)
        except ValueError:
            raise CommandError("Not an Ed25519 public key (base64url of 32 bytes).") from None
        self.stdout.write(f"Key of {institution} registered.")
