"""An assigned contributor answers an item with JavaScript off, as in the real browser."""

import pytest

from tests.browser.test_pages import login_state

pytestmark = pytest.mark.browser


def test_a_contributor_answers_an_assigned_item_without_javascript(browser, live_sobrio):
    state = login_state(
        browser, live_sobrio, "contributeur@demo.sobrio.fr", "sobrio-demo-contributor"
    )
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_sobrio + "/evaluer/mes-elements/")
    page.click("main table tbody tr:first-child a")
    code = page.inner_text("h1").split()[0]
    page.check("input[name=status][value=realise]")
    page.fill("textarea[name=comment]", "Fait lors du renouvellement du parc")
    page.click("main form button[type=submit]:not([name])")
    assert "La réponse est enregistrée." in page.inner_text("main")
    assert page.is_checked("input[name=status][value=realise]")
    page.goto(live_sobrio + "/evaluer/")
    page.click("main table tbody tr:first-child th a")
    page.click("text=Items")
    row = page.locator("main table tbody tr", has_text=code)
    assert "Réalisé" in row.inner_text()
    context.close()
