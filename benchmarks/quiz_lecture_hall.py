"""A lecture hall takes the same quiz: 500 participants start and submit it within a minute,
through `sobrio serve` and its default workers, on PostgreSQL (issue 13).

    .venv/bin/python benchmarks/quiz_lecture_hall.py [--people 500] [--seconds 60]
                                                     [--database-url postgres://…]

Without --database-url, a throw-away PostgreSQL cluster is started from Debian's binaries
(as scripts/test.sh does) and removed at the end. Participants are signed in beforehand
(their sessions written directly: signing in is not what is measured); each one, at a
random moment of the window, opens the quiz (GET), starts an attempt (POST), opens it
(GET) and submits every answer at once (POST, all questions on one page), on its own
connection. Prints requests/s, p50/p95/p99 per step, and checks that every participant
has exactly one finished attempt with the expected score. Goal: p95 under 300 ms, no
attempt lost or counted twice.
"""

import argparse
import concurrent.futures
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.serving import cookies_of, on_postgres, served  # noqa: E402

GIFT = b"""::Un::Vrai ?{T}

::Deux::Combien font deux et deux ?{#4}

::Trois::Quel geste compte le plus ?{=garder son ordinateur ~changer de souris ~vider sa corbeille}

::Quatre::Le reconditionnement prolonge la vie d'un appareil.{TRUE}
"""


def prepare(env, people):
    """Migrate, create the institution, the quiz and the participants with their
    sessions; returns (quiz id, {email: session cookie})."""
    code = f"""
import django, json; django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from sobrio.learning import quizzes
from sobrio.core.models import Institution, Membership, User
inst = Institution.objects.create(name="Amphi", slug="amphi", participant_domains="amphi.fr")
quiz, _, _ = quizzes.import_gift(inst, {GIFT!r}, "amphi.gift", name="Amphi")
quiz.published, quiz.per_page, quiz.shuffle_answers = True, 0, True
quiz.save()
users = User.objects.bulk_create(
    [User(email=f"p{{n}}@amphi.fr", password="!") for n in range({people})])
Membership.objects.bulk_create(
    [Membership(institution=inst, user=u, role="participant") for u in users])
cookies = {{}}
for user in users:
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    cookies[user.email] = s.session_key
print(json.dumps({{"quiz": quiz.pk, "cookies": cookies}}))
"""
    import json

    subprocess.run([sys.executable, "-m", "sobrio", "migrate", "-v0"], env=env, check=True)
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    data = json.loads(out.strip().splitlines()[-1])
    return data["quiz"], data["cookies"]


class Participant:
    def __init__(self, port, session_key, quiz_id):
        self.port, self.quiz = port, quiz_id
        self.jar = {"sessionid": session_key}
        self.times = {}

    def request(self, conn, step, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            body = urllib.parse.urlencode(body, doseq=True)
        started = time.perf_counter()
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        page = response.read().decode()
        self.times[step] = time.perf_counter() - started
        cookies_of(response, self.jar)
        return response, page

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        base = f"/participer/amphi/quiz/{self.quiz}/"
        _r, page = self.request(conn, "open", "GET", base)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        response, _page = self.request(conn, "start", "POST", base + "commencer/",
                                       {"csrfmiddlewaretoken": token})  # fmt: skip
        attempt_path = urllib.parse.urlsplit(response.getheader("Location")).path
        _r, page = self.request(conn, "show", "GET", attempt_path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        form = {"csrfmiddlewaretoken": token, "move": "finish"}
        for pk in re.findall(r'name="page-q(\d+)"', page):
            form[f"page-q{pk}"] = "1"
        # the right answers: true, 4, the first choice (its index is 0 whatever the order)
        pks = sorted(int(pk) for pk in re.findall(r'name="page-q(\d+)"', page))
        form[f"q{pks[0]}"], form[f"q{pks[1]}"], form[f"q{pks[2]}"] = "1", "4", "0"
        form[f"q{pks[3]}"] = "1"
        response, _page = self.request(conn, "submit", "POST", attempt_path, form)
        conn.close()
        return response.status


def check(env, people):
    code = """
import django; django.setup()
from django.db.models import Count
from sobrio.learning.models import Attempt
rows = Attempt.objects.values("user").annotate(n=Count("pk"))
print(len(rows), sum(r["n"] for r in rows),
      Attempt.objects.filter(state="finished", score=1.0).count())
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split()  # fmt: skip
    people_with, attempts, perfect = map(int, out)
    return people_with, attempts, perfect


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with on_postgres("sobrio-amphi-", args.database_url) as env:
        quiz, cookies = prepare(env, args.people)
        with served(env) as port:
            participants = [Participant(port, key, quiz) for key in cookies.values()]
            rng = random.Random(1)
            starts = sorted(rng.uniform(0, args.seconds) for _ in participants)
            t0 = time.monotonic()
            statuses, lock = [], threading.Lock()

            def job(item):
                at, participant = item
                time.sleep(max(0.0, t0 + at - time.monotonic()))
                status = participant.run()
                with lock:
                    statuses.append(status)

            with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
                list(pool.map(job, zip(starts, participants, strict=True)))
            wall = time.monotonic() - t0
        print(f"{os.cpu_count()} CPU, PostgreSQL, {args.people} participants in "
              f"{args.seconds:g} s, sobrio serve with its default workers")  # fmt: skip
        print(f"{'step':8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        every = []
        for step in ("open", "start", "show", "submit"):
            times = [p.times[step] for p in participants if step in p.times]
            every += times
            q = statistics.quantiles(times, n=100)
            print(f"{step:8} {q[49] * 1000:8.1f} {q[94] * 1000:8.1f} {q[98] * 1000:8.1f} "
                  f"{max(times) * 1000:8.1f}")  # fmt: skip
        q = statistics.quantiles(every, n=100)
        print(
            f"{'all':8} {q[49] * 1000:8.1f} {q[94] * 1000:8.1f} {q[98] * 1000:8.1f} "
            f"{max(every) * 1000:8.1f}   ({len(every) / wall:.0f} requests/s over {wall:.0f} s)"
        )
        people_with, attempts, perfect = check(env, args.people)
        print(f"submitted: {statuses.count(302)} of {args.people}; attempts in the database: "
              f"{attempts} for {people_with} people; graded 100 %: {perfect}")  # fmt: skip
        ok = attempts == people_with == perfect == args.people
        print("no attempt lost or counted twice" if ok else "MISMATCH")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
