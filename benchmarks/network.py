"""The network's benchmark page as its members grow (issue 26: 5.5 s and 4,518 queries at
60 members, 1.5 s still on a second visit).

    .venv/bin/python benchmarks/network.py [--members 70] [--assets 40]

Builds, in a throw-away SQLite instance, a network of --members institutions, each with
a plan of a few done actions and --assets devices (so that its footprint is computed),
all sharing their plan and footprint figures. Then times, as one member's officer in
Django's test client: the page's first visit without the chore, a second visit, and a
first visit after the chore (services.warm_figures, which the worker runs every ten
minutes) computed the members' figures ahead; and the chore itself. Prints seconds and
queries. Goal: the first visit under 1 s at 70 members once the chore has run.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=70)
    parser.add_argument("--assets", type=int, default=40)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        os.environ.update(SOBRIO_VAR_DIR=var, DJANGO_SETTINGS_MODULE="sobrio.settings",
                          SOBRIO_SECURE_COOKIES="false", SOBRIO_LOG_LEVEL="WARNING")  # fmt: skip
        import django

        django.setup()
        from django.conf import settings

        settings.FOOTPRINT_BACKGROUND = False  # the figures themselves, not "being computed"
        settings.ALLOWED_HOSTS = ["testserver"]
        settings.STORAGES = {  # pages rendered without collected static files
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        run(options)


def run(options):
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sobrio.core.enums import Role
    from sobrio.core.models import Institution, Membership, User
    from sobrio.inventory.models import Asset
    from sobrio.network import services
    from sobrio.plan.models import Action, Axis, Plan

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    network = services.create("banc", "Réseau du banc d'essai")
    year = datetime.date.today().year
    for n in range(options.members):
        institution = Institution.objects.create(name=f"Établissement {n:02d}", slug=f"e{n:02d}")
        plan = Plan.objects.create(
            institution=institution, title="Plan",
            starts_on=f"{year - 1}-01-01", ends_on=f"{year + 2}-12-31",
        )  # fmt: skip
        axis = Axis.objects.create(institution=institution, plan=plan, name="Usages", position=1)
        Action.objects.bulk_create(
            Action(institution=institution, plan=plan, axis=axis, label=f"A{i}", status="done",
                   done_on=f"{year}-03-01")
            for i in range(1 + n % 7)
        )  # fmt: skip
        Asset.objects.bulk_create(
            Asset(institution=institution, inventory_number=f"N{i}",
                  category=("laptop", "desktop", "monitor")[i % 3],
                  purchase_date=datetime.date(year - 1 - i % 4, 1, 1))
            for i in range(options.assets)
        )  # fmt: skip
        member = services.accept(services.invite(network, institution))
        services.share(member, ["plan", "footprint"])
    officer = User.objects.create_user("officer@banc.fr", "un-mot-de-passe-solide-42")
    Membership.objects.create(institution=Institution.objects.get(slug="e00"), user=officer,
                              role=Role.OFFICER)  # fmt: skip
    print(f"{options.members} members × {options.assets} devices built in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    client = Client()
    client.force_login(officer)
    url = reverse("network_detail", args=[network.pk])

    def visit(label):
        with CaptureQueriesContext(connection) as seen:
            begun = time.perf_counter()
            status = client.get(url).status_code
            elapsed = time.perf_counter() - begun
        print(f"{label:44} {elapsed:6.2f} s, {len(seen.captured_queries):5d} queries ({status})")

    visit("first visit, nothing computed ahead")
    visit("second visit")
    cache.clear()  # as after a change of every member
    begun = time.perf_counter()
    computed = services.warm_figures()
    print(f"{'the chore (warm_figures), in the worker':44} {time.perf_counter() - begun:6.2f} s, "
          f"{computed} figures")  # fmt: skip
    visit("first visit after the chore")


if __name__ == "__main__":
    main()
