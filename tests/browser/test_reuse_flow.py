"""Réemploi as the team and a staff member live it, JavaScript off: an asset is retired on
its page, put in a batch, wiped and graded; a campaign opens, a staff member applies in the
participant space, the officer draws, allocates, prints the agreement and records the
handover; the asset's page tells its whole story."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import sobrio_cli
from tests.browser.test_pages import login_state

pytestmark = pytest.mark.browser
OFFICER = ("referente@demo.sobrio.fr", "sobrio-demo-officer")
STAFF = ("contributeur@demo.sobrio.fr", "sobrio-demo-contributor")


def _page(browser, state):
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    return context, context.new_page()


def test_retire_refurbish_redistribute_and_the_asset_tells_its_story(browser, live_sobrio):
    asset_id = sobrio_cli("shell", "-c", (
        "from sobrio.inventory.models import Asset; print(Asset.objects.filter("
        "institution__slug='demo', category='laptop', status='in_service')"
        ".order_by('-inventory_number').first().pk)"
    )).stdout.strip().splitlines()[-1]  # fmt: skip
    officer, page = _page(browser, login_state(browser, live_sobrio, *OFFICER))
    page.goto(live_sobrio + f"/mesurer/parc/{asset_id}/")
    number = page.input_value("input[name=inventory_number]")
    page.select_option("select[name=status]", "retired")
    page.fill("input[name=retirement_date]", "2025-12-15")
    page.click("main button[type=submit]")
    assert "Équipement enregistré." in page.inner_text("main")

    page.goto(live_sobrio + "/agir/reemploi/lots/")
    page.fill("input[name=name]", "Lot du test")
    page.click("text=Créer le lot")
    page.fill("input[name=q]", number)
    page.click("text=Chercher")
    page.check(f"text={number}")
    page.click("text=Ajouter au lot")
    assert "1 appareil ajouté au lot." in page.inner_text("main")
    page.click(f"main table >> text={number}")
    page.select_option("select[name=category]", "purge")
    page.fill("input[name=method]", "NVMe format (crypto erase)")
    page.fill("input[name=tool]", "nwipe")
    page.fill("input[name=verification]", "lecture de contrôle")
    page.fill("input[name=done_by]", "Atelier DSI")
    page.click("text=Enregistrer l'effacement")
    assert "L'effacement est enregistré." in page.inner_text("main")
    page.select_option("select[name=grade]", "A")
    page.fill("input[name=operating_system]", "Debian 13")
    page.click("button[name=refurbish]")
    assert "Le reconditionnement est enregistré." in page.inner_text("main")

    page.goto(live_sobrio + "/agir/reemploi/campagnes/nouvelle/")
    page.fill("input[name=name]", "Portables du test")
    page.fill("input[name=closes_on]", "2099-12-31")
    page.click("main button[type=submit]")
    assert "La campagne est enregistrée." in page.inner_text("main")
    campaign_url = page.url
    campaign_id = campaign_url.rstrip("/").rsplit("/", 1)[-1]

    staff, space = _page(browser, login_state(browser, live_sobrio, *STAFF))
    space.goto(live_sobrio + f"/participer/demo/reemploi/{campaign_id}/")
    space.fill("input[name=need]", "Télétravail")
    space.check("text=Sans ordinateur personnel aujourd")
    space.click("text=Déposer ma demande")
    assert "Ma demande : Déposée" in space.inner_text("main")

    page.goto(campaign_url)
    page.click("text=Clore et tirer au sort")
    assert "Tirage fait" in page.inner_text("main")
    row = page.locator("tr", has_text="Télétravail")
    row.locator("select[name=device]").select_option(label=f"{number} (A)")
    row.locator("text=Attribuer").click()
    assert f"Appareil {number} attribué." in page.inner_text("main")
    with page.expect_download() as download:
        page.locator("tr", has_text="Télétravail").locator("text=Convention (PDF)").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert number in text and "L3212-2" in text and "Purge" in text
    row = page.locator("tr", has_text="Télétravail")
    row.locator("input[name=signed_by]").fill("Camille Contributrice")
    row.locator("text=Remise faite").click()
    assert "Remise enregistrée" in page.inner_text("main")

    space.goto(live_sobrio + f"/participer/demo/reemploi/{campaign_id}/")
    assert "Ma demande : Remis" in space.inner_text("main")
    page.goto(live_sobrio + f"/mesurer/parc/{asset_id}/")
    story = page.locator("main ol").inner_text()
    for step in ("Réformé", "Reconditionnement, lot « Lot du test » — grade A", "Purge",
                 "Don —", "Portables du test"):  # fmt: skip
        assert step in story, story
    officer.close()
    staff.close()
