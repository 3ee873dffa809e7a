"""What one participant costs the server's CPU on a cleanup day, in process (issue 26):
the pledge form (GET), the pledge (POST) and the campaign's live page, each timed with
`time.process_time` over --count requests through Django's WSGI handler (no HTTP server,
no client), on a throw-away SQLite database.

    .venv/bin/python benchmarks/pledge_cpu.py [--count 500] [--profile get|post|page]

Prints the median and mean CPU milliseconds of each request; --profile prints the
functions where one of them spends its time (cProfile, sorted by cumulative time).
Goals: the POST under 2.5 ms, the form under 5 ms.
"""

import argparse
import cProfile
import io
import itertools
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(tmp):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sobrio.settings")
    os.environ["SOBRIO_VAR_DIR"] = tmp
    os.environ["SOBRIO_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["SOBRIO_PLEDGES_PER_ADDRESS"] = "1000000"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    import datetime

    from django.utils import timezone

    from sobrio.cleanup.models import CleanupCampaign, Team
    from sobrio.core.models import Institution

    inst = Institution.objects.create(name="Campus", slug="campus")
    today = timezone.localdate()
    campaign = CleanupCampaign.objects.create(
        institution=inst, name="Cleanup Day", anonymous=True,
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1),
    )  # fmt: skip
    for n in range(12):
        Team.objects.create(institution=inst, campaign=campaign, name=f"Composante {n}")
    return campaign


class Browser:
    """One visitor's cookies, sent through the WSGI handler as a server would."""

    def __init__(self, handler):
        self.handler, self.cookies = handler, {}

    def request(self, method, path, body=b""):
        query = ""
        if "?" in path:
            path, query = path.split("?", 1)
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }  # fmt: skip
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["HTTP_REFERER"] = f"http://127.0.0.1:8000{path}"
        answer = {}

        def start_response(status, headers):
            answer["status"] = int(status.split()[0])
            for name, value in headers:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]

        response = self.handler(environ, start_response)
        content = b"".join(response)
        response.close()
        return answer["status"], content.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--profile", choices=("get", "post", "page"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        campaign = setup(tmp)
        from django.core.wsgi import get_wsgi_application

        browser = Browser(get_wsgi_application())
        form_path = f"/participer/campus/nettoyage/{campaign.pk}/declarer/"
        page_path = f"/participer/campus/nettoyage/{campaign.pk}/"
        teams = list(campaign.teams.values_list("pk", flat=True))
        status, page = browser.request("GET", form_path)
        assert status == 200, status
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

        def get():
            status, _page = browser.request("GET", form_path)
            assert status == 200, status

        sent = itertools.count()

        def post():
            body = urlencode({"csrfmiddlewaretoken": csrf, "token": str(uuid.uuid4()),
                              "team": teams[next(sent) % len(teams)], "gb_mailbox": "3.5",
                              "laptop_reuse": "1", "actions": ["bins"]}, doseq=True)  # fmt: skip
            status, _page = browser.request("POST", form_path, body.encode())
            assert status == 302, status

        def live():
            status, _page = browser.request("GET", page_path + "?recu=pending")
            assert status == 200, status

        requests = {"get": get, "post": post, "page": live}
        for fn in requests.values():  # warm: imports, caches, the first queries
            for _ in range(20):
                fn()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.count):
                requests[args.profile]()
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(45)
            return
        for name, fn in requests.items():
            times = []
            for _ in range(args.count):
                started = time.process_time()
                fn()
                times.append((time.process_time() - started) * 1000)
            print(f"{name:>4}: median {statistics.median(times):.2f} ms, "
                  f"mean {statistics.fmean(times):.2f} ms of CPU over {args.count}")  # fmt: skip


if __name__ == "__main__":
    main()
