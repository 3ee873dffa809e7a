"""Debian's nginx, running docs/deploy's site as written, in front of several
`sobrio serve` sharing one database, Debian's redis-server and one media folder, with
task workers beside them: what tests/deploy/test_cluster.py proves and
benchmarks/cluster.py measures. Clients bind to loopback addresses of their own
(127.0.0.2…), which nginx passes on as X-Forwarded-For."""

import contextlib
import http.client
import os
import signal
import ssl
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from tests.deploy.peers import free_ports, redis_server, wait_for_port
from tests.instances import sobrio, sobrio_env

NGINX = "/usr/sbin/nginx"

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


CAMPAIGN_SETUP = """
import datetime
from sobrio.cleanup.models import CleanupCampaign
from sobrio.core.enums import Role
from sobrio.core.models import Institution, Membership, User
institution = Institution.objects.create(name={name!r}, slug={slug!r})
user = User.objects.create_user({email!r}, {password!r})
Membership.objects.create(institution=institution, user=user, role=Role.OFFICER)
today = datetime.date.today()
CleanupCampaign.objects.create(institution=institution, name="Nettoyage", anonymous=True,
    starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=6))
print(CleanupCampaign.objects.get().pk)
"""


def campaign_setup(slug, name, email, password):
    """`setup` for cluster(): an institution, its officer and an open anonymous cleanup
    campaign, whose id becomes the cluster's "setup"."""
    return CAMPAIGN_SETUP.format(slug=slug, name=name, email=email, password=password)


def _spawn(env, args, log):
    return subprocess.Popen([sys.executable, "-m", "sobrio", *args], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


@contextlib.contextmanager
def cluster(
    root,
    database,
    *,
    settings=None,
    servers=2,
    workers=0,
    processes=1,
    setup="",
    worker_settings=None,
):
    """Yields {"port", "http_port", "ports", "servers", "workers", "env", "root", "setup"}:
    nginx on `port` (HTTPS) and `http_port`, `servers` Sobrio servers of `processes`
    gunicorn processes each, `workers` task workers; `setup` (Python run in `sobrio
    shell` after migrate) gives "setup" its printed last word."""
    if not os.path.exists(NGINX):
        raise RuntimeError(f"{NGINX} is missing: install Debian's nginx (scripts/test.sh does)")
    port, http_port, *ports = free_ports(2 + servers)
    started = []
    with redis_server(root) as redis_url, contextlib.ExitStack() as logs:
        base = (
            sobrio_env(root / "a", database)
            | {
                "SOBRIO_CACHE_URL": redis_url,
                "SOBRIO_TRUSTED_PROXIES": "127.0.0.1",
                "SOBRIO_SECRET_KEY": "cluster-test-key-" + "x" * 40,
                "SOBRIO_ALLOWED_HOSTS": "127.0.0.1",
                "SOBRIO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
                "SOBRIO_EMAIL_URL": f"file://{root}/mail",
                "SOBRIO_MEDIA_ROOT": str(root / "media"),  # the folder every server mounts
                "SOBRIO_LOG_LEVEL": "WARNING",
            }
            | {f"SOBRIO_{k}": str(v) for k, v in (settings or {}).items()}
        )
        sobrio(base, "migrate", "--verbosity", "0")
        prepared = sobrio(base, "shell", "-c", setup).split()[-1:] if setup else [""]
        names = [chr(ord("a") + n) for n in range(servers)]
        try:
            web = []
            for name, server_port in zip(names, ports, strict=True):
                log = logs.enter_context(open(root / f"{name}.log", "w"))  # noqa: SIM115
                args = ["serve", "--bind", f"127.0.0.1:{server_port}", "--workers", str(processes)]
                web.append(_spawn(base | {"SOBRIO_VAR_DIR": str(root / name)}, args, log))
                started.append(web[-1])
            tasks = []
            for n in range(workers):
                log = logs.enter_context(open(root / f"worker{n}.log", "w"))  # noqa: SIM115
                own = {f"SOBRIO_{k}": str(v) for k, v in (worker_settings or {}).items()}
                env = base | {"SOBRIO_VAR_DIR": str(root / f"w{n}")} | own
                tasks.append(_spawn(env, ["worker"], log))
                started.append(tasks[-1])
            for server_port, server in zip(ports, web, strict=True):
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
            command = [NGINX, "-p", str(proxy_dir), "-c", str(conf)]
            nginx = subprocess.Popen(command, stderr=subprocess.STDOUT, stdout=subprocess.DEVNULL)
            started.append(nginx)
            wait_for_port(port, process=nginx)
            yield {"port": port, "http_port": http_port, "ports": ports, "servers": web,
                   "workers": tasks, "env": base, "root": root, "setup": prepared[0]}  # fmt: skip
        finally:
            for process in started:
                if process.poll() is None:
                    if process.args[0] == NGINX:
                        process.terminate()
                    else:
                        os.killpg(process.pid, signal.SIGTERM)
            for process in started:
                process.wait(timeout=30)
