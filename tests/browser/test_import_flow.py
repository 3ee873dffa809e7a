"""The officer imports an inventory with JavaScript off: upload, mapping, preview, commit."""

import pytest

from tests.browser.test_pages import login_state, measure, print_and_check

pytestmark = pytest.mark.browser

CSV = (
    "Numéro d'inventaire;Type;Statut;Date d'achat\n"
    "NAV-1;Portable;En service;03/09/2024\n"
    "NAV-2;Poste labo;En service;2023-01-15\n"
    "NAV-3;Écran;En stock;\n"
).encode("cp1252")


def test_an_inventory_is_imported_without_javascript(browser, live_sobrio, tmp_path):
    state = login_state(browser, live_sobrio, "referente@demo.sobrio.fr", "sobrio-demo-officer")
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_sobrio + "/mesurer/import/")
    source = tmp_path / "parc-labo.csv"
    source.write_bytes(CSV)
    page.set_input_files("input[name=file]", str(source))
    page.click("main form button[type=submit]")
    main = page.inner_text("main")
    assert "3 lignes lues" in main and "2 valides" in main
    assert "ligne 3, colonne Type : catégorie inconnue « Poste labo »" in main
    mapping_url = page.url

    page.select_option("select[name=val_category_0]", "workstation")
    page.click("button[value=preview]")
    assert "3 valides" in page.inner_text("main")
    page.click("button[value=commit]")
    main = page.inner_text("main")
    assert "Créés : 3" in main, main
    context.close()

    report = [
        (path, *measure(browser, live_sobrio + path, state, tmp_path)[:2])
        for path in (mapping_url.removeprefix(live_sobrio), "/mesurer/import/")
    ]
    print_and_check("officer", report)
