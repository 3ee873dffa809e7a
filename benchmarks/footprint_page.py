"""The footprint of an inventory computed from scratch (right after a change), read
back from the shared cache, and a cold worker's first footprint page.

    .venv/bin/python benchmarks/footprint_page.py [--rows 10000 50000 100000 1000000]

Assets are written straight into a throwaway SQLite database (SOBRIO_DATABASE_URL for
another). Goal (issue 10): under 300 ms at 50,000 assets right after a change, through
the background recomputation; the uncached computation itself is printed too.
"""

import argparse
import datetime
import os
import platform
import random
import subprocess
import sys
import tempfile
import time


def fill(institution, rows):
    from sobrio.inventory.models import Asset
    from sobrio.inventory.services import _insert

    kinds = ["laptop", "desktop", "monitor", "printer", "desk_phone", "network_switch", "server"]
    rng = random.Random(1)
    batch = []
    for n in range(rows):
        bought = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 3500))
        batch.append({
            "inventory_number": f"INV-{n:07d}", "name": "", "category": rng.choice(kinds),
            "manufacturer": "", "model": "", "serial_number": "", "site": f"Site {n % 7}",
            "purchase_date": bought, "status": "in_service", "quantity": 1 + n % 3,
            "refurbished": n % 50 == 0, "comment": "", "status_changed_on": bought,
        })  # fmt: skip
        if len(batch) == 20_000:
            _insert(Asset, institution, batch)
            batch = []
    _insert(Asset, institution, batch)


def timed(function, repeat=1):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        elapsed = (time.perf_counter() - started) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000, 100_000, 1_000_000])
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sobrio-bench-")
    os.environ.setdefault("SOBRIO_VAR_DIR", folder)
    os.environ.setdefault("SOBRIO_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sobrio.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sobrio.core.models import Institution
    from sobrio.footprint import services
    from sobrio.inventory.signals import changed

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, database {os.environ['SOBRIO_DATABASE_URL'].split(':')[0]}"
    )
    services.ensure_default_set()
    for rows in args.rows:
        institution = Institution.objects.create(name=f"Bench {rows}", slug=f"bench-{rows}")
        fill(institution, rows)

        def fresh(institution=institution):
            changed(institution.pk)
            services.footprint(institution, year=2025)

        uncached = timed(fresh, repeat=3)
        cached = timed(lambda institution=institution: services.footprint(institution, year=2025),
                       repeat=5)  # fmt: skip
        print(f"{rows:>9,} assets: computed after a change {uncached:,.0f} ms; "
              f"from the shared cache {cached:.1f} ms")  # fmt: skip
    # A cold worker: a new process, Django set up, its first footprint of 50,000 assets.
    slug = f"bench-{50_000 if 50_000 in args.rows else args.rows[0]}"
    code = (
        "import time; t=time.perf_counter(); import django; django.setup();"
        "from sobrio.core.models import Institution; from sobrio.footprint import services;"
        "from sobrio.inventory.signals import changed;"
        f"i=Institution.objects.get(slug='{slug}'); changed(i.pk);"
        "services.footprint(i, year=2025); print(round((time.perf_counter()-t)*1000))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=os.environ, check=True)  # fmt: skip
    print(f"cold worker ({slug}): start, set-up and first footprint {out.stdout.strip()} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
