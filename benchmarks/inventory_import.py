"""A whole inventory import (parse, validate, store, compute the footprint) of generated
CSV files, with peak memory.

    .venv/bin/python benchmarks/inventory_import.py [--rows 100000 1000000]

Runs on a throwaway SQLite database in a temporary folder (SOBRIO_DATABASE_URL to use
another). Prints the machine and, per size, the time of each step and the peak RSS.
"""

import argparse
import datetime
import os
import platform
import random
import resource
import sys
import tempfile
import time


def generate(path, rows):
    kinds = ["Portable", "Unité centrale", "Écran", "Imprimante", "Téléphone", "Commutateur"]
    rng = random.Random(1)
    with open(path, "w", encoding="utf-8") as out:
        out.write("Nom;Numéro d'inventaire;Type;Fabricant;Modèle;Statut;Lieu;Date d'achat\n")
        for n in range(rows):
            bought = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 3500))
            out.write(
                f"PC-{n};INV-{n:07d};{rng.choice(kinds)};Dell;M{n % 50};En service;"
                f"Site {n % 7};{bought:%d/%m/%Y}\n"
            )


def page_timings(institution):
    """The footprint page ("Mesurer") as the officer gets it, through Django's test client."""
    from django.test import Client

    from sobrio.core.enums import Role
    from sobrio.core.models import Membership, User
    from sobrio.inventory.signals import changed

    user = User.objects.create_user(email=f"bench-{institution.slug}@example.org")
    Membership.objects.create(user=user, institution=institution, role=Role.OFFICER)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get():
        started = time.perf_counter()
        response = client.get("/mesurer/?year=2025")
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000

    changed(institution.pk)  # forget the cached result
    first = get()
    again = min(get() for _ in range(5))
    print(f"  footprint page: {first:.0f} ms after a change, {again:.0f} ms when cached")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sobrio-bench-")
    os.environ.setdefault("SOBRIO_VAR_DIR", folder)
    os.environ.setdefault("SOBRIO_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sobrio.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # the page's assets
    from sobrio.core.models import Institution
    from sobrio.footprint import services as footprint
    from sobrio.imports import flow

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"database {os.environ['SOBRIO_DATABASE_URL'].split(':')[0]}"
    )
    footprint.ensure_default_set()
    for rows in args.rows:
        institution = Institution.objects.create(name=f"Bench {rows}", slug=f"bench-{rows}")
        path = os.path.join(folder, f"parc-{rows}.csv")
        generate(path, rows)
        started = time.perf_counter()
        report, _res = flow.run_file(institution, "assets", path, "parc.csv")
        imported = time.perf_counter() - started
        started = time.perf_counter()
        result = footprint.footprint(institution, year=2025)
        computed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{rows:,} rows: import {imported:.1f} s ({report['created']:,} created), "
            f"footprint {computed:.1f} s, total {imported + computed:.1f} s, "
            f"peak RSS so far {peak:,.0f} MB; GWP "
            f"{result['totals']['gwp']['total']['value']:,.0f} kgCO2e"
        )
        started = time.perf_counter()
        footprint.footprint(institution, year=2025)
        print(f"  same footprint again (cached): {(time.perf_counter() - started) * 1000:.0f} ms")
        page_timings(institution)
    return 0


if __name__ == "__main__":
    sys.exit(main())
