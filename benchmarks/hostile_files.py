"""Peak memory and time of every importer fed hostile files (issue 12's shapes).

    .venv/bin/python benchmarks/hostile_files.py [--full]

Each reading runs in a process of its own, whose peak RSS is printed with its time and
the first words of its answer. By default the files are those of the tests (small);
--full builds the issue's own sizes (a 3 GB entry of zeros in an ODS, a 1 GB shared
string in an XLSX, a 1,000,000-row CSV), which takes a minute to write. Goal: under
600 MB and 60 s each, with a clear refusal.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = {
    "inventory": "from sobrio.imports import flow; from sobrio.core.models import Institution;"
    "i = Institution.objects.get_or_create(slug='bench', defaults={'name': 'B'})[0];"
    "flow.run_file(i, 'assets', PATH, NAME)",
    "referential": "from sobrio.referentials import importers; importers.read(PATH, NAME)",
    "factors": "from sobrio.footprint import factor_files;"
    "factor_files.read(open(PATH, 'rb').read(), NAME)",
    "table": "from sobrio.imports.reading import read_table; list(read_table(PATH, NAME).rows())",
}


def build(folder, full):
    sys.path.insert(0, str(ROOT))
    from tests.imports import hostile

    files = {
        "bombe-dimension.xlsx": hostile.xlsx_huge_dimension(),
        "alias.yaml": hostile.YAML_BOMB,
        "imbrique.json": hostile.nested_json(100_000),
        "crc.zip": hostile.zip_with_flags(bad_crc=True),
    }
    out = {}
    for name, data in files.items():
        out[name] = folder / name
        out[name].write_bytes(data)
    # the big ones are written straight to disk: the benchmark itself stays small
    zeros, text = (3 * 1024, 1024) if full else (20, 30)
    for name, make in (
        (f"zeros-{zeros}mo.ods", lambda f: hostile.zeros_entry("content.xml", zeros, target=f)),
        (f"texte-{text}mo.xlsx", lambda f: hostile.xlsx_big_shared_string(text, target=f)),
    ):
        out[name] = folder / name
        with open(out[name], "wb") as handle:
            make(handle)
    rows = 1_000_000 if full else 100_000
    big = folder / f"lignes-{rows}.csv"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write("Numéro d'inventaire;Type;Date d'achat\n")
        for n in range(rows):
            handle.write(f"INV-{n:07d};Portable;01/02/2023\n")
    out[big.name] = big
    return out


def measure(reader, path, env):
    code = (
        "import django, re, time; django.setup(); t = time.perf_counter()\n"
        f"PATH, NAME = {str(path)!r}, {path.name!r}\n"
        "try:\n"
        f"    {READERS[reader]}\n"
        "    answer = 'read'\n"
        "except Exception as error:\n"
        "    answer = type(error).__name__ + ': ' + str(error)[:90]\n"
        # VmHWM belongs to this program's memory: ru_maxrss would also count the
        # parent's pages at fork
        "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
        "print(round(time.perf_counter() - t, 2), peak // 1024, answer, sep='|')"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    wall = time.perf_counter() - started
    line = (done.stdout.strip().splitlines() or ["?|?|" + done.stderr[-120:]])[-1]
    seconds, peak, answer = line.split("|", 2)
    return seconds, peak, answer, wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sobrio-hostile-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    env |= {"SOBRIO_VAR_DIR": str(folder / "var"), "DJANGO_SETTINGS_MODULE": "sobrio.settings"}
    subprocess.run([sys.executable, "-m", "sobrio", "migrate", "-v0"], env=env, check=True)
    files = build(folder, args.full)
    print(f"{'file':24} {'reader':12} {'seconds':>8} {'peak MB':>8}  answer")
    for name, path in files.items():
        for reader in READERS:
            seconds, peak, answer, _wall = measure(reader, path, env)
            print(f"{name:24} {reader:12} {seconds:>8} {peak:>8}  {answer[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
