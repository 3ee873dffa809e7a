import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from sobrio.core import services
from sobrio.core.enums import Role
from sobrio.core.management.base import SobrioCommand
from sobrio.core.management.commands.institution import _messages
from sobrio.core.models import Institution, Unit


class Command(SobrioCommand):
    help = "Ajoute une personne à un établissement avec un rôle."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="ajouter un membre")
        add.add_argument("email")
        add.add_argument("--institution", required=True, help="identifiant (slug)")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--full-name", default="")
        add.add_argument(
            "--unit", action="append", default=[], help="unité (nom ou code), répétable"
        )
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="lire le mot de passe sur l'entrée standard (sinon : compte sans mot de passe)",
        )

    def handle(self, *args, action, **options):
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"No institution with slug {options['institution']!r}.")
        units = []
        for ref in options["unit"]:
            unit = (
                Unit.objects.for_institution(institution).filter(code=ref).first()
                or Unit.objects.for_institution(institution).filter(name=ref).first()
            )
            if unit is None:
                raise CommandError(f"No unit named or coded {ref!r} in {institution.slug}.")
            units.append(unit)
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else None
        if options["password_stdin"] and len(password) < 8:
            raise CommandError(
                "The password read from standard input is shorter than 8 characters."
            )
        try:
            with transaction.atomic():
                membership, created = services.member_add(
                    institution=institution,
                    email=options["email"],
                    role=options["role"],
                    units=units,
                    full_name=options["full_name"],
                )
                if password:
                    membership.user.set_password(password)
                    membership.user.save(update_fields=["password"])
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        state = "created" if created else "existing account"
        self.stdout.write(
            f"{membership.user.email}\t{institution.slug}\t{membership.role}\t{state}"
        )
