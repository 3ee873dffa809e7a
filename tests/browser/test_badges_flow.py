"""Open Badges as people live them, JavaScript off: the officer makes a badge with its
image and awards it from a list (a bad line stops it, then valid rows only); the
participant finds it in « Mes badges », downloads the baked PNG and has it checked; the
officer revokes it and the same image no longer verifies."""

import pytest

from sobrio.badges import baking
from tests.browser.test_pages import login_state

pytestmark = pytest.mark.browser
PARTICIPANT = ("etudiante@demo.sobrio.fr", "sobrio-demo-participant")
OFFICER = ("referente@demo.sobrio.fr", "sobrio-demo-officer")


def _page(browser, state):
    context = browser.new_context(
        storage_state=state, java_script_enabled=False, accept_downloads=True
    )
    return context, context.new_page()


def test_award_from_a_list_download_verify_revoke(browser, live_sobrio, tmp_path):
    officer, page = _page(browser, login_state(browser, live_sobrio, *OFFICER))
    page.goto(live_sobrio + "/agir/badges/")
    page.click("text=Nouveau badge")
    page.fill("input[name=name]", "Atelier réparation")
    page.fill("input[name=slug]", "atelier-reparation")
    page.fill("textarea[name=description]", "A réparé son ordinateur plutôt que de le remplacer.")
    page.fill("textarea[name=criteria]", "Avoir réparé un appareil à l'atelier.")
    image = tmp_path / "badge.png"
    image.write_bytes(baking.default_png("Atelier réparation"))
    page.set_input_files("input[name=png]", str(image))
    page.click("main button[type=submit]")
    assert "Le badge est enregistré." in page.inner_text("main")

    listing = tmp_path / "liste.csv"
    listing.write_text("email;nom\netudiante@demo.sobrio.fr;Inès\npas-une-adresse;X\n")
    page.set_input_files("input[name=file]", str(listing))
    page.click("text=Délivrer à la liste")
    assert "liste.csv, ligne 3, colonne email" in page.inner_text("main")
    page.set_input_files("input[name=file]", str(listing))
    page.check("text=Délivrer aux lignes valides seulement")
    page.click("text=Délivrer à la liste")
    assert "1 badge délivré" in page.inner_text("main")
    detail = page.url

    person, space = _page(browser, login_state(browser, live_sobrio, *PARTICIPANT))
    space.goto(live_sobrio + "/participer/demo/")
    space.click("text=Télécharger mes badges")
    with space.expect_download() as download:
        space.locator("li", has_text="Atelier réparation").locator(
            "text=Image Open Badges 2.0 (PNG)"
        ).click()  # fmt: skip
    baked = tmp_path / "baked.png"
    download.value.save_as(baked)

    def check():
        space.goto(live_sobrio + "/badges/verifier/")
        space.set_input_files("input[name=image]", str(baked))
        space.click("main button[type=submit]")
        return space.inner_text("main")

    result = check()
    assert "« Atelier réparation » (Open Badges 2.0)" in result and "Oui — Non retiré" in result

    page.goto(detail)
    page.click("text=valides : 1")
    page.click("text=Inès")
    page.fill("input[name=reason]", "Atelier annulé")
    page.click("main button[type=submit]")
    assert "Le badge est retiré" in page.inner_text("main")
    assert "Non — Non retiré (retiré le" in check()
    space.goto(live_sobrio + "/participer/demo/badges/")
    assert "Atelier réparation — retiré" in space.inner_text("main")
    officer.close()
    person.close()
