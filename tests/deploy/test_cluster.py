"""Issue 26, proved as deployed: Debian's nginx, running docs/deploy's site as written, in
front of two `sobrio serve` sharing one database, Debian's redis-server and one media
folder (tests/deploy/harness.py); clients bind to different loopback addresses
(127.0.0.2, 127.0.0.3), which nginx passes on as X-Forwarded-For. Short on purpose: the
longer load run is benchmarks/cluster.py."""

import os
import signal

import pytest

from tests.deploy import harness
from tests.deploy.harness import Client
from tests.instances import new_database, sobrio

PASSWORD = "un-mot-de-passe-solide-42"
DONE = "Fait :</span> Importer"  # the dashboard's first step, once the inventory is there


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    database = new_database() or f"sqlite:///{root / 'cluster.sqlite3'}"
    setup = harness.campaign_setup("cluster", "Université du Cluster", "officer@cluster.fr",
                                   PASSWORD)  # fmt: skip
    with harness.cluster(root, database, settings={"PLEDGES_PER_ADDRESS": 5}, setup=setup) as c:
        yield c | {"campaign": c["setup"]}


def _login(cluster, address, password):
    client = Client(cluster["port"], address)
    status, _page = client.post(
        "/compte/connexion/", {"username": "officer@cluster.fr", "password": password}
    )
    return status


def test_the_documented_site_redirects_to_https_and_serves_static_files_itself(cluster):
    plain = Client(cluster["http_port"], "127.0.0.2", tls=False)
    connection = plain._connect()
    connection.request("GET", "/compte/connexion/", headers={"Host": "127.0.0.1"})
    answer = connection.getresponse()
    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/compte/connexion/"
    connection.close()
    secure = Client(cluster["port"], "127.0.0.2")
    connection = secure._connect()
    connection.request("GET", "/static/sobrio/sobrio.css", headers={"Host": "127.0.0.1"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200 and "immutable" in answer.headers["Cache-Control"]
    assert answer.headers["Server"].startswith("nginx")  # not passed to Sobrio
    connection.close()


def test_what_server_a_does_server_b_sees_at_once_sessions_files_and_pages(cluster):
    """A session opened on A serves on B; a file uploaded on A is read by B (one media
    folder); B's dashboard, kept in the shared cache, shows A's change at once."""
    a = Client(cluster["ports"][0], "127.0.0.1", tls=False)
    b = Client(cluster["ports"][1], "127.0.0.1", tls=False)
    b.cookies = a.cookies  # one browser, whichever server answers
    status, _page = a.post("/compte/connexion/",
                           {"username": "officer@cluster.fr", "password": PASSWORD})  # fmt: skip
    assert status == 302
    status, dashboard = b.get("/")
    assert status == 200 and DONE not in dashboard  # kept in Redis now
    csv = "Numéro d'inventaire;Type;Date d'achat\n" + (
        "C-1;Portable;01/02/2023\nC-2;Grille-pain;01/02/2023\n"
    )
    a.get("/mesurer/import/")
    status, job = a.upload("/mesurer/import/", {"kind": "assets"}, "parc.csv", csv.encode())
    assert status == 302 and job.startswith("/mesurer/import/"), job  # read inline, on A
    job = job.split("suivi/")[0]
    status, problems = b.get(job + "problemes.csv")  # written by A, read by B
    assert status == 200 and "Grille-pain" in problems
    form = {"action": "commit", "valid_only": "on", "col_0": "numéro d'inventaire",
            "col_1": "catégorie", "col_2": "date d'achat"}  # fmt: skip
    status, _page = b.request("POST", job, form)  # B reads the upload A stored
    assert status == 302
    status, dashboard = b.get("/")
    assert DONE in dashboard  # not the copy B kept a moment ago
    status, assets = a.get("/mesurer/parc/")
    assert "C-1" in assets and "C-2" not in assets


def test_wrong_passwords_lock_that_address_only_on_both_servers(cluster):
    answers = [_login(cluster, "127.0.0.2", "faux") for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # nginx sent them to both servers in turn
    assert [_login(cluster, "127.0.0.2", PASSWORD) for _ in range(2)] == [429, 429]
    assert [_login(cluster, "127.0.0.3", PASSWORD) for _ in range(2)] == [302, 302]


def test_the_pledge_limit_is_per_address_and_shared_and_a_dead_server_loses_nothing(cluster):
    path = f"/participer/cluster/nettoyage/{cluster['campaign']}/declarer/"

    def pledge(address, n):
        client = Client(cluster["port"], address)
        return client.post(path, {"token": f"00000000-0000-4000-8000-{n:012d}",
                                  "files_deleted": "3"})[0]  # fmt: skip

    flood = [pledge("127.0.0.4", n) for n in range(8)]
    assert flood == [302] * 5 + [429] * 3  # 5 an hour, counted in Redis by both servers
    # one server killed -9: nginx passes the next requests to the other
    os.killpg(cluster["servers"][0].pid, signal.SIGKILL)
    cluster["servers"][0].wait(timeout=10)
    others = [pledge(f"127.0.1.{n}", 100 + n) for n in range(1, 7)]
    assert others == [302] * 6
    count = "from sobrio.cleanup.models import Pledge; print(Pledge.objects.count())"
    counted = sobrio(cluster["env"], "shell", "-c", count)
    assert counted.split()[-1] == "11"  # 5 + 6: nothing lost, nothing twice
