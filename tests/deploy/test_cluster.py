"""Issue 26, proved as deployed: Debian's nginx in front of two `sobrio serve` sharing one
database and Debian's redis-server; clients bind to different loopback addresses
(127.0.0.2, 127.0.0.3), which nginx passes on as X-Forwarded-For. Short on purpose: the
longer load run is benchmarks/cluster.py."""

import http.client
import os
import signal
import ssl
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.deploy.peers import free_ports, redis_server, wait_for_port
from tests.instances import new_database, sobrio, sobrio_env

NGINX = "/usr/sbin/nginx"
PASSWORD = "un-mot-de-passe-solide-42"
DONE = "Fait :</span> Importer"  # the dashboard's first step, once the inventory is there

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"
MAIN_CONF = """
{user}
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
    include {dir}/site.conf;
}}
"""


def site_conf(proxy_dir, servers, port, http_port, static):
    """docs/deploy's nginx site as the docs give it, on loopback ports, with a certificate
    made for the test: the configuration the recipe recommends is the one tested."""
    site = (DEPLOY / "nginx-sobrio.conf").read_text()
    upstream = "    server 127.0.0.1:8000 max_fails=1 fail_timeout=30s;\n"
    assert upstream in site
    replacements = {
        upstream: "".join(upstream.replace("8000", str(p)) for p in servers),
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "/etc/ssl/certs/sobrio.univ-x.fr.pem": str(proxy_dir / "cert.pem"),
        "/etc/ssl/private/sobrio.univ-x.fr.key": str(proxy_dir / "key.pem"),
        "/var/lib/sobrio/static/": f"{static}/",
        "/etc/nginx/sobrio-proxy.conf": str(proxy_dir / "sobrio-proxy.conf"),
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    (proxy_dir / "site.conf").write_text(site)
    (proxy_dir / "sobrio-proxy.conf").write_text((DEPLOY / "sobrio-proxy.conf").read_text())
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(proxy_dir / "key.pem"),
         "-out", str(proxy_dir / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


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

    def __init__(self, port, address, tls=True):
        self.port, self.address, self.cookies, self.tls = port, address, {}, tls

    def _connect(self):
        if self.tls:  # through nginx, as browsers do (its certificate is the test's own)
            return http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0),
                context=ssl._create_unverified_context(),  # noqa: S323
            )  # fmt: skip
        return http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )

    @property
    def origin(self):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def request(self, method, path, form=None):
        connection = self._connect()
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{self.origin}{path}"
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
        connection = self._connect()
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{self.origin}{path}",
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
    port, http_port, *ports = free_ports(4)
    with redis_server(root) as redis_url:
        base = sobrio_env(root / "a", database) | {
            "SOBRIO_CACHE_URL": redis_url,
            "SOBRIO_TRUSTED_PROXIES": "127.0.0.1",
            "SOBRIO_SECRET_KEY": "cluster-test-key-" + "x" * 40,
            "SOBRIO_ALLOWED_HOSTS": "127.0.0.1",
            "SOBRIO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
            "SOBRIO_PLEDGES_PER_ADDRESS": "5",
            "SOBRIO_EMAIL_URL": f"file://{root}/mail",
            "SOBRIO_MEDIA_ROOT": str(root / "media"),  # the folder every server mounts
        }
        sobrio(base, "migrate", "--verbosity", "0")
        campaign = sobrio(base, "shell", "-c", SETUP.format(password=PASSWORD)).split()[-1]
        servers = []
        for name, server_port in zip("ab", ports, strict=True):
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
                        f"127.0.0.1:{server_port}",
                        "--workers",
                        "1",
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
        for server_port, server in zip(ports, servers, strict=True):
            wait_for_port(server_port, timeout=90, process=server)
        proxy_dir = root / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (proxy_dir / sub).mkdir(parents=True)
            os.chmod(proxy_dir / sub, 0o777)  # noqa: S103 - nginx's workers may be nobody
        site_conf(proxy_dir, ports, port, http_port, root / "a" / "static")
        conf = proxy_dir / "nginx.conf"
        # as root, nginx's workers would be nobody, who cannot read pytest's folders
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(MAIN_CONF.format(dir=proxy_dir, user=user))
        nginx = subprocess.Popen([NGINX, "-p", str(proxy_dir), "-c", str(conf)],
                                 stderr=subprocess.STDOUT, stdout=subprocess.DEVNULL)  # fmt: skip
        wait_for_port(port, process=nginx)
        try:
            yield {"port": port, "http_port": http_port, "ports": ports, "servers": servers,
                   "campaign": campaign, "env": base, "root": root}  # fmt: skip
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
