"""The cleanup day and the idea box as people live them, JavaScript off: an anonymous
visitor and a signed-in participant pledge, the officer moderates, the totals and the
leaderboard show both; an idea proposed and voted is accepted, becomes an action of the
plan, the action is done, and the idea says so."""

import json
import re

import pytest

from tests.browser.conftest import sobrio_cli
from tests.browser.test_pages import login_state

pytestmark = pytest.mark.browser
PARTICIPANT = ("etudiante@demo.sobrio.fr", "sobrio-demo-participant")
OFFICER = ("referente@demo.sobrio.fr", "sobrio-demo-officer")


def _page(browser, state=None):
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    return context, context.new_page()


def _totals(campaign_id):
    out = sobrio_cli("cleanup", "totals", str(campaign_id), "--format", "json").stdout
    return json.loads(out)


def test_two_pledges_moderated_then_counted_on_the_leaderboard(browser, live_sobrio):
    (campaign,) = json.loads(sobrio_cli("cleanup", "list", "--format", "json").stdout)
    before = _totals(campaign["id"])
    visitor, page = _page(browser)
    page.goto(live_sobrio + f"/participer/demo/nettoyage/{campaign['id']}/")
    page.click("text=Déclarer mon nettoyage")
    page.select_option("select[name=team]", label="Association Campus vert")
    page.fill("input[name=gb_phone]", "7.5")
    page.fill("input[name=tablet_reuse]", "2")
    page.check("text=Corbeilles vidées")
    page.click("main button[type=submit]")
    assert "comptera une fois relue" in page.inner_text("main")
    visitor.close()
    assert _totals(campaign["id"])["pledges"]["pending"] == before["pledges"]["pending"] + 1

    signed, page = _page(browser, login_state(browser, live_sobrio, *PARTICIPANT))
    page.goto(live_sobrio + "/participer/demo/")
    page.click("text=déclarer mon nettoyage")
    page.fill("input[name=gb_mailbox]", "2")
    page.fill("input[name=mails_deleted]", "1200")
    page.click("main button[type=submit]")
    assert "compte dans les totaux" in page.inner_text("main")
    signed.close()

    officer, page = _page(browser, login_state(browser, live_sobrio, *OFFICER))
    page.goto(live_sobrio + f"/agir/nettoyage/{campaign['id']}/")
    page.click("text=déclarations à modérer")
    pending = before["pledges"]["pending"] + 1
    page.click(f"text=Accepter les {pending} déclarations en attente")
    assert "acceptée(s)" in page.inner_text("main")
    after = _totals(campaign["id"])
    assert after["pledges"]["pending"] == 0
    assert after["pledges"]["accepted"] == before["pledges"]["accepted"] + pending + 1
    assert after["gb_deleted"] == pytest.approx(before["gb_deleted"] + 7.5 + 2 + 8)  # + demo's
    page.goto(live_sobrio + f"/participer/demo/nettoyage/{campaign['id']}/")
    board = page.inner_text("#classement + svg + div table")
    assert re.search(r"Association Campus vert\s+3\s", board), board
    assert str(after["participants"]) in page.inner_text(".sobrio-figures")
    officer.close()


def test_an_idea_proposed_voted_accepted_becomes_an_action_and_is_done(browser, live_sobrio):
    signed, page = _page(browser, login_state(browser, live_sobrio, *PARTICIPANT))
    page.goto(live_sobrio + "/participer/demo/")
    page.click("text=Proposer une idée, voter")
    page.fill("input[name=title]", "Des gourdes plutôt que des écrans de veille")
    page.select_option("#id_theme", "uses")
    page.fill("textarea[name=text]", "Éteindre les écrans d'affichage la nuit et le week-end.")
    page.click("text=Publier mon idée")
    page.click("text=Soutenir cette idée")
    assert "1 vote" in page.inner_text("main")
    idea_url = page.url.split("?")[0]
    signed.close()

    officer, page = _page(browser, login_state(browser, live_sobrio, *OFFICER))
    page.goto(live_sobrio + "/agir/idees/")
    page.click("text=Des gourdes plutôt que des écrans de veille")
    page.select_option("select[name=status]", "accepted")
    page.fill("textarea[name=answer]", "Retenue : les services généraux s'en chargent.")
    page.click("button[value=moderate]")
    page.select_option("select[name=axis]", index=1)
    page.click("button[value=action]")
    assert "/planifier/" in page.url, page.url  # on the new action's page
    assert "Des gourdes plutôt que des écrans de veille" in page.inner_text("h1")
    page.select_option("select[name=status]", "done")
    page.click("text=Changer le statut")
    officer.close()

    signed, page = _page(browser, login_state(browser, live_sobrio, *PARTICIPANT))
    page.goto(idea_url)
    shown = page.inner_text("main")
    assert "Réalisée" in shown and "Retenue : les services généraux" in shown
    assert "Soutenir cette idée" not in shown  # votes close once done
    signed.close()
