"""The page-quality harness: every page reachable from the navigation, as every demo role.

Fails on a status other than 200, a console error, an axe-core WCAG 2.1 A/AA violation,
or a page over the budget of budget.py; prints each page's figures.
"""

import json
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

from sobrio.core import demo
from tests.browser import budget, ecoindex
from tests.browser.conftest import LIVE

pytestmark = pytest.mark.browser
# /ob/: the Open Badges documents for software (JSON-LD, JWT, images), tested in their app.
SKIPPED_PREFIXES = ("/compte/deconnexion/", "/langue/", "/static/", "/ob/")
# Files, not pages: their content is tested in the apps' own tests.
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".ods", ".odt", ".pdf", ".ics", ".gift", ".png", ".svg")
AXE = Axe()


def measure(browser, url, storage_state, tmp_path):
    """One cold visit measured the way EcoIndex does; returns figures and problems."""
    har = tmp_path / f"{abs(hash(url))}.har"
    context = browser.new_context(
        storage_state=storage_state,
        record_har_path=str(har),
        viewport={"width": 1920, "height": 1080},
    )
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    response = page.goto(url, wait_until="load")
    if response.status != 200:
        problems.append(f"HTTP {response.status}")
    page.wait_for_timeout(200)
    page.evaluate("window.scrollTo({top: document.body.scrollHeight})")
    page.wait_for_timeout(200)
    nodes = page.locator("*").count() - page.locator("//*[local-name()='svg']//*").count()
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    violations = AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": budget.AXE_TAGS}, "resultTypes": []},
    ).response["violations"]
    for v in violations:
        if v["id"] not in budget.AXE_EXCLUDED_RULES:
            targets = [" ".join(n["target"]) for n in v["nodes"]][:3]
            problems.append(f"axe {v['id']} ({v['impact']}): {v['help']} at {targets}")
    lang = page.get_attribute("html", "lang")
    final = urlsplit(page.url).path  # where a redirect landed
    context.close()  # writes the HAR
    entries = json.loads(har.read_text())["log"]["entries"]
    size = 0
    for entry in entries:
        transfer = entry["response"].get("_transferSize", -1)
        size += transfer if transfer > 0 else len(json.dumps(entry["response"]).encode())
    score = ecoindex.score(nodes, size / 1000, len(entries))
    figures = {
        "nodes": nodes,
        "requests": len(entries),
        "bytes": size,
        "ecoindex": score,
        "grade": ecoindex.grade(score),
        "lang": lang,
        "final": final,
    }
    if nodes > budget.MAX_NODES:
        problems.append(f"{nodes} DOM elements > {budget.MAX_NODES}")
    if len(entries) > budget.MAX_REQUESTS:
        problems.append(f"{len(entries)} requests > {budget.MAX_REQUESTS}")
    if size > budget.MAX_BYTES:
        problems.append(f"{size} bytes > {budget.MAX_BYTES}")
    if score <= budget.MIN_ECOINDEX:
        problems.append(f"EcoIndex {score} <= {budget.MIN_ECOINDEX}")
    return figures, problems, links


def route_of(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def crawl(browser, base, storage_state, tmp_path, start_paths):
    """Breadth-first over same-site links, one page per route (a unit's edit page stands
    for all of them)."""
    seen_routes, queue, report = set(), list(start_paths), []
    while queue and len(report) < budget.MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        route = route_of(urlsplit(path).path)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        figures, problems, links = measure(browser, base + path, storage_state, tmp_path)
        report.append((path, figures, problems))
        for href in links:
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc or target.path.startswith(SKIPPED_PREFIXES):
                continue
            if target.path.endswith(DOWNLOAD_SUFFIXES):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return report


def login_state(browser, base, email, password):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/compte/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/compte/connexion/" not in page.url, f"{email} could not log in"
    state = context.storage_state()
    context.close()
    return state


def print_and_check(who, report):
    failures = []
    for path, f, problems in report:
        print(
            f"[{who}] {path:45} nodes={f['nodes']:4} requests={f['requests']:3} "
            f"bytes={f['bytes']:7} ecoindex={f['ecoindex']:5.1f} ({f['grade']})"
        )
        if f["lang"] != "fr":
            problems.append(f'<html lang="{f["lang"]}">, expected "fr"')
        failures += [f"{who} {path}: {p}" for p in problems]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("email,password,role", demo.logins(), ids=lambda v: str(v))
def test_every_page_of_the_navigation_as_each_role(
    browser, live_sobrio, tmp_path, email, password, role
):
    state = login_state(browser, live_sobrio, email, password)
    report = crawl(browser, live_sobrio, state, tmp_path, ["/"])
    visited = {route_of(f["final"]) for _, f, _ in report}
    loop = {"dashboard", "measure", "assess", "plan", "act", "report", "network"}
    if role == "participant":  # the « Participer » space, nothing of the team's pages
        loop = {"participate_home", "participate_data"}
        assert not visited & {"measure", "plan", "dashboard"}, visited
    assert loop <= visited, f"navigation links missing for {role}: {loop - visited}"
    print_and_check(role, report)


def _badge_pages():
    """The public pages of the demo's badges: one valid, one revoked (from the CLI)."""
    listed = subprocess.run(
        [sys.executable, "-m", "sobrio", "badges", "list", "--institution", "demo",
         "--format", "json"],
        env=LIVE["env"], check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    rows = json.loads(listed)
    return [
        next(r["verify"] for r in rows if r["state"] == state) for state in ("valid", "revoked")
    ]


def test_public_pages(browser, live_sobrio, tmp_path):
    empty = {"cookies": [], "origins": []}
    valid, revoked = _badge_pages()
    report = crawl(
        browser, live_sobrio, empty, tmp_path, ["/compte/connexion/", "/participer/demo/", valid]
    )
    report += crawl(browser, live_sobrio, empty, tmp_path, [revoked])
    routes = {route_of(urlsplit(p).path) for p, _, _ in report}
    assert routes >= {"login", "password_reset", "participate_home", "participate_signin",
                      "badge_verify", "badge_check"}  # fmt: skip
    print_and_check("anonymous", report)


def test_the_harness_fails_a_heavy_inaccessible_page(browser, tmp_path):
    """The checks above could fail: a page with 400 elements and an image without
    alternative text is caught on both counts."""
    import functools
    import http.server
    import threading

    site = tmp_path / "site"
    site.mkdir()
    divs = "<div>x</div>" * 400
    (site / "index.html").write_text(
        f'<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        '<body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        f"{divs}</main></body></html>"
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        empty = {"cookies": [], "origins": []}
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        figures, problems, _ = measure(browser, url, empty, tmp_path)
    finally:
        server.shutdown()
    assert figures["nodes"] > budget.MAX_NODES
    assert any("DOM elements" in p for p in problems)
    assert any(p.startswith("axe image-alt") for p in problems), problems
