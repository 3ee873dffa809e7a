"""Agir — Sensibiliser, as people live it, JavaScript off: a participant signs in with a
link, waits for a full session, takes the freed place, is checked in and answers the
survey; another passes the demo quiz and with it a module; a third completes the demo
path, signed in through the demo's CAS server, and the certificate (her directory's name,
no address) and its verification address say it is genuine."""

import datetime
import io
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from tests.browser.conftest import LIVE, emails_to, last_email_to
from tests.browser.test_pages import login_state
from tests.identity.peers import cas_server

pytestmark = pytest.mark.browser


def _page(browser, state=None):
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    return context, context.new_page()


def sign_in_by_link(browser, base, email):
    """The one-time link, asked for, read in the email, clicked: a signed-in page."""
    context, page = _page(browser)
    before = len(emails_to(email)) if (LIVE["var"] / "mail").exists() else 0
    page.goto(base + "/participer/demo/")
    page.click("main >> a:text-is('Se connecter')")
    page.fill("input[name=email]", email)
    page.click("main button[type=submit]")
    assert "un lien de connexion vient de lui être envoyé" in page.inner_text("main")
    link = re.search(r"https?://\S+", last_email_to(email, after=before))[0]
    page.goto(link)
    page.click("text=Me connecter")
    assert "Vous êtes connecté·e." in page.inner_text("main")
    return context, page


def _officer(browser, base):
    state = login_state(browser, base, "referente@demo.sobrio.fr", "sobrio-demo-officer")
    return _page(browser, state)


def take_the_demo_quiz(page, base):
    """Answer every question right (the essay left empty) and finish."""
    page.goto(base + "/participer/demo/")
    page.click("text=Les bons réflexes du numérique responsable")
    page.click("main button[type=submit]")
    right = {  # a few words of each question -> the labels to tick
        "quelle phase pèse le plus": ["Sa fabrication"],
        "smartphone un an de plus": ["Vrai"],
        "Lesquels de ces choix": ["Acheter des ordinateurs reconditionnés",
                                  "Réparer plutôt que remplacer"],
        "en veille ne consomme rien": ["Faux"],
        "la salle la plus efficace": ["1,3"],
    }  # fmt: skip
    texts = {"Stocker un gigaoctet": "0,2", "DEEE veut dire": "électroniques"}
    pairs = {
        "Garder son ordinateur plus longtemps": "une fabrication",
        "Éteindre la box la nuit": "de l'électricité",
        "Donner un équipement qui fonctionne": "un achat neuf",
    }
    for _ in range(12):
        main = page.locator("main")
        shown = main.inner_text()
        ticks = [label for words, labels in right.items() if words in shown for label in labels]
        for label in main.locator("label.fr-label").all():
            text = label.inner_text().strip()
            target = label.get_attribute("for")
            if text in ticks:
                page.check(f"#{target}", force=True)
            elif text in pairs:
                page.select_option(f"#{target}", pairs[text])
        for start, value in texts.items():
            if start in main.inner_text():
                page.fill("main input.fr-input", value)
        if page.locator("button[value=next]").count():
            page.click("button[value=next]")
        else:
            page.click("button[value=finish]")
            break
    return page.inner_text("main")


def test_a_full_session_a_freed_place_check_in_and_survey(browser, live_sobrio):
    officer_ctx, officer = _officer(browser, live_sobrio)
    officer.goto(live_sobrio + "/agir/ateliers/types/")
    officer.click("text=Nouvelle séance >> nth=0")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    officer.fill("input[name=title]", "Fresque test navigateur")
    officer.fill("input[name=starts_at]", f"{tomorrow}T14:00")
    officer.fill("input[name=place]", "Salle B")
    officer.fill("input[name=capacity]", "1")
    officer.click("main form button[type=submit]")
    session_url = officer.url
    session_id = re.search(r"/ateliers/(\d+)/", session_url)[1]
    public = f"{live_sobrio}/participer/demo/ateliers/{session_id}/"

    first_ctx, first = sign_in_by_link(browser, live_sobrio, "premiere@demo.sobrio.fr")
    first.goto(public)
    first.click("button[value=register]")
    assert "Inscrit·e" in first.inner_text("main")

    waiting_ctx, waiting = sign_in_by_link(browser, live_sobrio, "attente@demo.sobrio.fr")
    waiting.goto(public)
    assert "Complet" in waiting.inner_text("main")
    waiting.click("button[value=register]")
    assert "Sur liste d'attente" in waiting.inner_text("main")

    first.goto(public)
    first.click("button[value=withdraw]")
    assert "Une place vous est proposée" in last_email_to("attente@demo.sobrio.fr")
    waiting.goto(public)
    assert "Place proposée" in waiting.inner_text("main")
    waiting.click("button[value=confirm]")
    assert "Votre place est confirmée." in waiting.inner_text("main")

    officer.goto(session_url + "pointage/")
    officer.click("main button:has-text('pointer')")
    assert "1 présent·es sur 1 inscrit·es." in officer.inner_text("main")
    officer.goto(session_url + "modifier/")  # the session took place: it is now over
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    officer.fill("input[name=starts_at]", f"{yesterday}T14:00")
    officer.click("main form button[type=submit]")

    waiting.goto(public)
    waiting.check("input[name=rating][value='5']", force=True)
    waiting.fill("textarea[name=comment]", "Très clair")
    waiting.click("button[value=survey]")
    assert "Merci pour votre avis." in waiting.inner_text("main")
    officer.goto(session_url)
    assert "5,0 / 5" in officer.inner_text("main") or "5.0 / 5" in officer.inner_text("main")
    for ctx in (officer_ctx, first_ctx, waiting_ctx):
        ctx.close()


def test_a_quiz_passed_validates_a_module(browser, live_sobrio):
    context, page = sign_in_by_link(browser, live_sobrio, "quiz@demo.sobrio.fr")
    review = take_the_demo_quiz(page, live_sobrio)
    assert "réussi" in review and "88,9 %" in review
    page.goto(live_sobrio + "/participer/demo/")
    page.click("text=Ambassadeur·rice numérique responsable")
    first = page.locator("main ol li").first.inner_text()
    assert "Les enjeux du numérique responsable" in first and "validé" in first
    context.close()


def sign_in_through_cas(browser, base, cas_url, login, password):
    """« Se connecter avec ENT Démo » on the space's sign-in page, the CAS server's own
    form, and back: a signed-in page."""
    context, page = _page(browser)
    page.goto(base + "/participer/demo/connexion/")
    page.click("text=Se connecter avec ENT Démo")
    assert page.url.startswith(cas_url + "login")
    page.fill("input[name=username]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    assert page.url.startswith(base + "/participer/demo/")
    assert "Vous êtes connecté·e avec ENT Démo." in page.inner_text("main")
    return context, page


@pytest.fixture(scope="module")
def demo_cas(live_sobrio, tmp_path_factory):
    """A real CAS server (django-cas-server) registered for the demo institution, the
    way an admin does it: `sobrio sso add cas`."""
    people = {"nroux": {"password": "pw-nina", "attributes": {
        "uid": "nroux", "mail": "nina.roux@demo.sobrio.fr", "givenName": "Nina",
        "sn": "Roux-Martin", "eduPersonAffiliation": ["staff", "member"]}}}  # fmt: skip
    with cas_server(tmp_path_factory.mktemp("cas"), people) as url:
        added = subprocess.run(
            [sys.executable, "-m", "sobrio", "sso", "add", "cas", "--institution", "demo",
             "--url", url, "--name", "ENT Démo"],
            env=LIVE["env"], check=True, capture_output=True, text=True,
        )  # fmt: skip
        yield url
        # the other pages' crawl must not meet a button to a server that is gone
        subprocess.run([sys.executable, "-m", "sobrio", "sso", "remove", added.stdout.split()[0]],
                       env=LIVE["env"], check=True, capture_output=True)  # fmt: skip


def test_the_demo_path_completed_gives_a_certificate_that_checks_out(
    browser, live_sobrio, demo_cas
):
    """Nina signs in with her university account (CAS, JavaScript off): the name her
    directory gives is the one on her certificate (issue 22)."""
    context, page = sign_in_through_cas(browser, live_sobrio, demo_cas, "nroux", "pw-nina")
    email = "nina.roux@demo.sobrio.fr"  # the demo's: she attended the Fresque already
    take_the_demo_quiz(page, live_sobrio)
    officer_ctx, officer = _officer(browser, live_sobrio)
    officer.goto(live_sobrio + "/agir/parcours/")
    officer.click("text=Ambassadeur·rice numérique responsable")
    modules = [a.get_attribute("href") for a in officer.locator("main ol li a").all()]
    for href in modules:
        officer.goto(live_sobrio + href)
        if not officer.locator("text=Enregistrer une décision du jury").count():
            continue  # validated by a quiz or a workshop
        officer.click("text=Enregistrer une décision du jury")
        officer.fill("input[name=email]", email)
        officer.check("input[name=passed][value='1']", force=True)
        officer.fill("input[name=on]", datetime.date.today().isoformat())
        officer.click("main form button[type=submit]")
        assert "La décision est enregistrée." in officer.inner_text("main")
    page.goto(live_sobrio + "/participer/demo/")
    page.click("text=Ambassadeur·rice numérique responsable")
    assert "Parcours terminé." in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=Télécharger mon attestation (PDF)")
    with open(download.value.path(), "rb") as pdf:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Nina Roux-Martin" in text and email not in text
    verify = re.search(r"https?://\S+/verifier/[A-Za-z0-9_-]+/", text)[0]
    page.goto(verify)
    assert "Attestation authentique." in page.inner_text("main")
    assert "Nina Roux-Martin" in page.inner_text("main") and email not in page.content()
    officer_ctx.close()
    context.close()
