"""How long a `sobrio` command takes to start (issue 26: a script of 200 calls spent 210 s).

    .venv/bin/python benchmarks/cli_start.py [--runs 10]

Migrates a throw-away SQLite instance, then times, `--runs` times each, `python -c 'import
django'`, Django set up with Sobrio's settings, and `sobrio institution list`; prints the
median and the best, and what the command costs beyond Django's own set-up.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command, env, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
        env |= {"SOBRIO_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "sobrio.settings"}
        subprocess.run([sys.executable, "-m", "sobrio", "migrate", "-v0"], env=env, check=True)
        cases = [
            ("python -c 'import django'", [sys.executable, "-c", "import django"]),
            ("django.setup() with Sobrio's settings",
             [sys.executable, "-c", "import django; django.setup()"]),
            ("sobrio institution list", [sys.executable, "-m", "sobrio", "institution", "list"]),
        ]  # fmt: skip
        results = {}
        for label, command in cases:
            median, best = timed(command, env, runs)
            results[label] = median
            print(f"{label:42} median {1000 * median:5.0f} ms, best {1000 * best:5.0f} ms")
        extra = results["sobrio institution list"] - results[cases[1][0]]
        print(f"the command beyond Django's set-up: {1000 * extra:.0f} ms ({runs} runs each)")


if __name__ == "__main__":
    main()
