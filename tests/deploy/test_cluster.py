"""Issue 26, proved as deployed: Debian's nginx in front of two `sobrio serve` sharing one
database and Debian's redis-server; clients bind to different loopback addresses
(127.0.0.2, 127.0.0.3), which nginx passes on as X-Forwarded-For. Short on purpose: the
longer load run is benchmarks/cluster.py."""

import http.client
import os
import signal
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie

import pytest

from tests.deploy.peers import free_port, redis_server, wait_for_port
from tests.instances import new_database, sobrio, sobrio_env

NGINX = "/usr/sbin/nginx"
PASSWORD = "un-mot-de-passe-solide-42"
DONE = "Fait :</span> Importer"  # the dashboard's first step, once the inventory is there

NGINX_CONF = """
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream sobrio {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 2m;
        location / {{
            proxy_pass http://sobrio;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""

SETUP = """
import datetime
from sobrio.cleanup.models import CleanupCampaign
from sobrio.core.enums import Role
from sobrio.core.models import Institution, Membership, User
institution = Institution.objects.create(name="Université du Cluster", slug="cluster")
user = User.objects.create_user("officer@cluster.fr", "{password}")
Membership.objects.create(institution=institution, user=user, role=Role.OFFICER)
today = datetime.date.today()
CleanupCampaign.objects.create(institution=institution, name="Nettoyage", anonymous=True,
    starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=6))
print(CleanupCampaign.objects.get().pk)
"""


class Client:
    """A browser without JavaScript, from one loopback address: cookies, CSRF token."""

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, content

    def get(self, path):
        return self.request("GET", path)

    def upload(self, path, fields, name, content):
        """A form with one file, sent as a browser does (multipart/form-data)."""
        boundary = "sobrio-cluster-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
                "\r\nContent-Type: text/csv\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.headers.get("Location", "")

    def post(self, path, form):
        self.get(path)  # the form first, as a person does: its CSRF cookie
        return self.request("POST", path, form)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.fail(f"{NGINX} is missing: install Debian's nginx (scripts/test.sh does)")
    root = tmp_path_factory.mktemp("cluster")
    database = new_database() or f"sqlite:///{root / 'cluster.sqlite3'}"
    with redis_server(root) as redis_url:
        base = sobrio_env(root / "a", database) | {
            "SOBRIO_CACHE_URL": redis_url,
            "SOBRIO_TRUSTED_PROXIES": "127.0.0.1",
            "SOBRIO_SECRET_KEY": "cluster-test-key-" + "x" * 40,
            "SOBRIO_SECURE_COOKIES": "false",
            "SOBRIO_ALLOWED_HOSTS": "127.0.0.1",
            "SOBRIO_PLEDGES_PER_ADDRESS": "5",
            "SOBRIO_EMAIL_URL": f"file://{root}/mail",
            "SOBRIO_MEDIA_ROOT": str(root / "media"),  # the folder every server mounts
        }
        sobrio(base, "migrate", "--verbosity", "0")
        campaign = sobrio(base, "shell", "-c", SETUP.format(password=PASSWORD)).split()[-1]
        ports, servers = [free_port(), free_port()], []
        for name, port in zip("ab", ports, strict=True):
            env = base | {"SOBRIO_VAR_DIR": str(root / name)}
            log = open(root / f"{name}.log", "w")  # noqa: SIM115 - closed below
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "sobrio",
                        "serve",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
        for port, server in zip(ports, servers, strict=True):
            wait_for_port(port, timeout=90, process=server)
        proxy_dir = root / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (proxy_dir / sub).mkdir(parents=True)
            os.chmod(proxy_dir / sub, 0o777)  # noqa: S103 - nginx's workers may be nobody
        port = free_port()
        conf = proxy_dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=proxy_dir, a=ports[0], b=ports[1], port=port))
        nginx = subprocess.Popen([NGINX, "-p", str(proxy_dir), "-c", str(conf)],
                                 stderr=subprocess.STDOUT, stdout=subprocess.DEVNULL)  # fmt: skip
        wait_for_port(port, process=nginx)
        try:
            yield {"port": port, "ports": ports, "servers": servers, "campaign": campaign,
                   "env": base, "root": root}  # fmt: skip
        finally:
            nginx.terminate()
            for server in servers:
                if server.poll() is None:
                    os.killpg(server.pid, signal.SIGTERM)
            for server in [nginx, *servers]:
                server.wait(timeout=20)


def _login(cluster, address, password):
    client = Client(cluster["port"], address)
    status, _page = client.post(
        "/compte/connexion/", {"username": "officer@cluster.fr", "password": password}
    )
    return status


def test_what_server_a_does_server_b_sees_at_once_sessions_files_and_pages(cluster):
    """A session opened on A serves on B; a file uploaded on A is read by B (one media
    folder); B's dashboard, kept in the shared cache, shows A's change at once."""
    a = Client(cluster["ports"][0], "127.0.0.1")
    b = Client(cluster["ports"][1], "127.0.0.1")
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
