"""The officer imports inventories with JavaScript off: upload, mapping, preview, commit."""

import random

import pytest

from tests.browser.conftest import sobrio_cli
from tests.browser.test_pages import login_state, measure, print_and_check

pytestmark = pytest.mark.browser

CSV = (
    "Numéro d'inventaire;Type;Statut;Date d'achat\n"
    "NAV-1;Portable;En service;03/09/2024\n"
    "NAV-2;Poste labo;En service;2023-01-15\n"
    "NAV-3;Écran;En stock;\n"
).encode("cp1252")


def _upload(page, base, path):
    page.goto(base + "/mesurer/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("main form button[type=submit]")


def test_an_inventory_is_imported_without_javascript(browser, live_sobrio, tmp_path):
    state = login_state(browser, live_sobrio, "referente@demo.sobrio.fr", "sobrio-demo-officer")
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    page = context.new_page()
    source = tmp_path / "parc-labo.csv"
    source.write_bytes(CSV)
    _upload(page, live_sobrio, source)
    main = page.inner_text("main")
    assert "3 lignes lues" in main and "2 valides" in main
    assert "Type : catégorie inconnue « Poste labo »" in main and "1 ligne (3)" in main
    mapping_url = page.url

    page.fill("input[name=val_category_0]", "Station de travail")
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


ENTITIES = [
    "Université Neuve > DSI > Pôle infrastructures",
    "Université Neuve > DSI > Pôle poste de travail",
    "Université Neuve > UFR Sciences > Laboratoire de chimie",
    "Université Neuve > Présidence",
]
TYPES = ["Ordinateur de bureau", "Portable", "Tout-en-un", "Station de travail", "Moniteur",
         "Imprimante", "Téléphone", "Périphérique"]  # fmt: skip


def glpi_export(rows):
    """What GLPI writes: ';', Windows-1252, dd/mm/yyyy, entity paths, prefixed headers."""
    rng = random.Random(7)
    lines = ["Nom;Entité;Statut;Fabricant;Numéro de série;Type;Modèle;Lieu;Numéro d'inventaire;"
             "Informations financières et administratives - Date d'achat"]  # fmt: skip
    for n in range(rows):
        lines.append(";".join([
            f"PC-{n:04}", rng.choice(ENTITIES), rng.choice(["En service", "En stock"]), "Dell",
            f"SN{n:06}", rng.choice(TYPES), "Optiplex", "Campus Nord", f"GLPI-{n:05}",
            f"{rng.randint(1, 28):02}/{rng.randint(1, 12):02}/{rng.randint(2017, 2024)}",
        ]))  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_glpi_export_lands_in_a_new_institution_with_its_unit_tree(browser, live_sobrio,
                                                                      tmp_path):  # fmt: skip
    sobrio_cli("institution", "create", "neuve", "--name", "Université Neuve")
    sobrio_cli("user", "add", "officier@neuve.fr", "--institution", "neuve", "--role", "officer",
               "--password-stdin", stdin="mot-de-passe-neuve-1\n")  # fmt: skip
    state = login_state(browser, live_sobrio, "officier@neuve.fr", "mot-de-passe-neuve-1")
    context = browser.new_context(storage_state=state, java_script_enabled=False)
    page = context.new_page()
    source = tmp_path / "glpi-500.csv"
    source.write_bytes(glpi_export(500))
    _upload(page, live_sobrio, source)
    main = page.inner_text("main")
    assert "500 lignes lues" in main and "500 valides" in main, main
    assert "Unités qui seront créées" in main and "Pôle infrastructures" in main
    preview = page.url.removeprefix(live_sobrio)
    page.click("button[value=commit]")
    main = page.inner_text("main")
    assert "Créés : 500" in main and "Unités créées : 6" in main, main
    page.goto(live_sobrio + "/etablissement/unites/")
    units = page.inner_text("main")
    for name in ("DSI", "Pôle infrastructures", "UFR Sciences", "Laboratoire de chimie"):
        assert name in units
    context.close()
    report = [(preview, *measure(browser, live_sobrio + preview, state, tmp_path)[:2])]
    print_and_check("officer (500-row GLPI preview)", report)
