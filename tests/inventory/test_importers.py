"""Every inventory format people have, and every broken file, without a server error."""

import datetime

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from sobrio.imports import flow
from sobrio.imports.problems import ImportFailure
from sobrio.inventory.models import Asset
from tests.factories import InstitutionFactory, UnitFactory

GLPI_FR = (
    "Nom;Numéro d'inventaire;Type;Fabricant;Modèle;Statut;Lieu;Entité;Date d'achat;"
    "Numéro de série\n"
    "PC-01;INV-1;Portable;Dell;Latitude 5440;En service;Campus Nord;DSI;15/03/2022;SN1\n"
    "UC-02;INV-2;Unité centrale;HP;EliteDesk;En stock;Campus Nord;DSI;2020-01-10;SN2\n"
    "EC-03;INV-3;Écran;Dell;P2422H;En service;Campus Sud;DSI;01/06/2019;SN3\n"
    "IMP-4;INV-4;Imprimante;HP;M404;Réformé;Campus Sud;DSI;01/06/2016;SN4\n"
    "SW-5;INV-5;Commutateur;Cisco;C9200;En service;Campus Sud;DSI;;SN5\n"
)
GLPI_EN = (
    "Name\tInventory number\tType\tManufacturer\tModel\tStatus\tLocation\tEntity\t"
    "Date of purchase\n"
    "pc1\tE-1\tLaptop\tLenovo\tT14\tIn use\tHQ\tIT\t2023-02-01\n"
    "tel\tE-2\tPhone\tAlcatel\t8018\tIn stock\tHQ\tIT\t01/09/2021\n"
)


@pytest.fixture
def institution(db):
    institution = InstitutionFactory()
    UnitFactory(institution=institution, name="DSI")
    UnitFactory(institution=institution, name="IT")
    return institution


def _import(institution, data, name, **kwargs):
    return flow.run_file(institution, "assets", data, name, **kwargs)[0]


def test_glpi_french_export_in_windows_1252(institution):
    report = _import(institution, GLPI_FR.encode("cp1252"), "glpi.csv")
    assert report["created"] == 5
    laptop = Asset.objects.get(inventory_number="INV-1")
    assert (laptop.category, laptop.status, laptop.unit.name) == ("laptop", "in_service", "DSI")
    assert laptop.purchase_date == datetime.date(2022, 3, 15)
    assert Asset.objects.get(inventory_number="INV-2").status == "in_stock"
    assert Asset.objects.get(inventory_number="INV-3").category == "monitor"
    assert Asset.objects.get(inventory_number="INV-4").status == "retired"
    assert Asset.objects.get(inventory_number="INV-5").category == "network_switch"


def test_glpi_english_export_with_tabs_and_bom(institution):
    report = _import(institution, ("\ufeff" + GLPI_EN).encode("utf-8"), "glpi-en.csv")
    assert report["created"] == 2
    assert Asset.objects.get(inventory_number="E-2").category == "desk_phone"


def test_comma_separated_with_decimal_commas_and_iso_dates(institution):
    text = (
        "inventory number,category,power (w),lifetime,quantity,purchase date\n"
        'A-1,desktop,"65,5","5,5",3,2024-05-06\n'
    )
    _import(institution, text.encode(), "parc.csv")
    asset = Asset.objects.get(inventory_number="A-1")
    assert (float(asset.power_w), float(asset.lifetime_years), asset.quantity) == (65.5, 5.5, 3)


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_spreadsheets(institution, fmt):
    sheet = tablib.Dataset(headers=["Numéro d'inventaire", "Catégorie", "Date d'achat"])
    sheet.append(["T-1", "Tablette", datetime.date(2024, 1, 2)])
    sheet.append(["T-2", "smartphone", "03/04/2023"])
    report = _import(institution, sheet.export(fmt), f"parc.{fmt}")
    assert report["created"] == 2
    assert Asset.objects.get(inventory_number="T-1").purchase_date == datetime.date(2024, 1, 2)


def test_reimport_updates_by_inventory_number_and_never_duplicates(institution):
    _import(institution, GLPI_FR.encode(), "glpi.csv")
    changed = GLPI_FR.replace("Latitude 5440", "Latitude 7440").replace(
        "SW-5;INV-5;Commutateur;Cisco;C9200;En service;Campus Sud;DSI;;SN5\n", ""
    )
    report = _import(institution, changed.encode(), "glpi.csv")
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 3)
    assert report["missing"] == ["INV-5"]
    assert Asset.objects.count() == 5
    assert Asset.objects.get(inventory_number="INV-1").model == "Latitude 7440"


BROKEN = [
    (b"", "fichier vide"),
    (b"\x00\x01\x02binary\x00", "binaire"),
    (b"just one column\nvalue\n", "une seule colonne"),
    ((";".join(f"c{i}" for i in range(300)) + "\n1\n").encode(), "trop de colonnes"),
    ("Numéro d'inventaire;Type\nX;=1+1\n".encode(), "formule"),
    ("Numéro d'inventaire;Type\n".encode(), "aucune ligne"),
    ("Nom;Modèle\nA;B\n".encode(), "colonne obligatoire absente"),
    (b"PK\x03\x04not a real zip", "illisible"),
]


@pytest.mark.parametrize(("data", "message"), BROKEN)
def test_broken_files_give_a_clear_message_and_write_nothing(institution, data, message):
    with pytest.raises(ImportFailure) as failure:
        _import(institution, data, "parc.csv" if not data.startswith(b"PK") else "parc.xlsx")
    assert message in str(failure.value)
    assert not Asset.objects.exists()


def test_a_bad_row_names_line_column_and_reason_and_nothing_is_written(institution):
    text = GLPI_FR + "X;INV-9;Grille-pain;;;En service;;;31/02/2020;\n"
    with pytest.raises(ImportFailure) as failure:
        _import(institution, text.encode(), "glpi.csv")
    problems = [str(p) for p in failure.value.problems]
    assert "glpi.csv, ligne 7, colonne Type : catégorie inconnue « Grille-pain »" in problems[0]
    assert "ligne 7, colonne Date d'achat : date impossible : ce jour n’existe pas" in problems[1]
    assert not Asset.objects.exists()


def test_valid_only_imports_the_rest_and_gives_back_the_rejects(institution):
    text = GLPI_FR + "X;INV-1;Portable;;;En service;;;;\n"  # duplicate number
    problems = []
    report = _import(institution, text.encode(), "glpi.csv", valid_only=True, sink=problems.append)
    assert report["created"] == 5 and report["rejected"] == 1
    assert "en double dans le fichier (déjà ligne 2)" in str(problems[0])
    assert problems[0].line == 7


def test_user_value_mapping_is_used_and_remembered(institution):
    text = "Numéro d'inventaire;Type\nZ-1;Poste labo\n"
    with pytest.raises(ImportFailure):
        _import(institution, text.encode(), "p.csv")
    values = {"category": {"poste labo": "workstation"}}
    flow.remember(institution, "assets", ["Numéro d'inventaire", "Type"], {}, values)
    report = _import(institution, text.encode(), "p.csv")
    assert report["created"] == 1
    assert Asset.objects.get().category == "workstation"


def test_cli_import_exit_codes_dry_run_and_rejects(institution, tmp_path, capsys):
    path = tmp_path / "parc.csv"
    path.write_text(GLPI_FR + "X;INV-9;Grille-pain;;;;;;;\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("inventory", "import", str(path), "--institution", institution.slug)
    assert "line 7, column Type: catégorie inconnue" in capsys.readouterr().err
    assert not Asset.objects.exists()
    call_command(
        "inventory",
        "import",
        str(path),
        "--institution",
        institution.slug,
        "--valid-only",
        "--dry-run",
    )
    assert not Asset.objects.exists()
    rejects = tmp_path / "rejets.csv"
    call_command(
        "inventory",
        "import",
        str(path),
        "--institution",
        institution.slug,
        "--valid-only",
        "--rejects",
        str(rejects),
    )
    assert Asset.objects.count() == 5
    assert "Grille-pain" in rejects.read_text(encoding="utf-8")


CLOUD = (
    "Nom;Fournisseur;Type d'instance;Région;Heures par an;Quantité\n"
    "calcul;scaleway;pro2-s;fr-par;8760;2\n"
    "web;aws;a1.large;FRA;4000;1\n"
    "bizarre;aws;nope.xl;XXX;10;1\n"
)
STORES = (
    "Nom;Volume (To);Copies;Support;Capacité d'un disque (To);Salle serveur\n"
    "Archives;100;2;SSD;8;\n"
    "Sauvegardes;50;1;bande;;\n"
    "Brut;12,5;3;disque dur;18;Salle inconnue\n"
)


def test_cloud_instances_import_with_line_problems_for_unknown_types_and_regions(institution):
    from sobrio.inventory.models import CloudInstance

    problems = []
    with pytest.raises(ImportFailure):
        flow.run_file(institution, "cloud", CLOUD.encode(), "cloud.csv", sink=problems.append)
    found = {(p.line, p.column) for p in problems}
    assert {(4, "Type d'instance"), (4, "Région")} <= found
    report, _res = flow.run_file(institution, "cloud", CLOUD.encode(), "cloud.csv",
                                 valid_only=True)  # fmt: skip
    assert report["created"] == 2
    assert CloudInstance.objects.get(name="calcul").region == "fr-par"


def test_data_stores_import_and_cli_kinds(institution, tmp_path, capsys):
    from sobrio.inventory.models import DataStore, ServerRoom

    path = tmp_path / "donnees.csv"
    path.write_text(STORES, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("inventory", "import", str(path), "--institution", institution.slug,
                     "--kind", "store")  # fmt: skip
    assert "line 4, column Salle serveur: salle serveur inconnue" in capsys.readouterr().err
    ServerRoom.objects.create(institution=institution, name="Salle inconnue", pue=1.5)
    call_command("inventory", "import", str(path), "--institution", institution.slug,
                 "--kind", "store")  # fmt: skip
    archives = DataStore.objects.get(name="Archives")
    assert (archives.media, archives.replicas, float(archives.disk_capacity_tb)) == ("ssd", 2, 8)
    assert DataStore.objects.get(name="Brut").server_room.name == "Salle inconnue"


GLPI_PATHS = (
    "Nom;Entité;Type;Numéro d'inventaire\n"
    "a;Université X > DSI > Pôle infrastructures;Ordinateur de bureau;N-1\n"
    "b;Université X > DSI > Pôle poste de travail;Tout-en-un;N-2\n"
    "c;Université X > DSI;Moniteur;N-3\n"
    "d;Université X;Périphérique;N-4\n"
)


def test_glpi_entity_paths_become_units_only_when_asked(db, tmp_path, capsys):
    from sobrio.core.models import Unit

    institution = InstitutionFactory(name="Université X")
    path = tmp_path / "glpi.csv"
    path.write_bytes(GLPI_PATHS.encode("cp1252"))
    with pytest.raises(CommandError) as error:
        call_command("inventory", "import", str(path), "--institution", institution.slug)
    assert "--create-units" in str(error.value)
    assert not Unit.objects.filter(institution=institution).exists()
    call_command("inventory", "import", str(path), "--institution", institution.slug,
                 "--create-units")  # fmt: skip
    tree = {u.name: (u.parent.name if u.parent else None)
            for u in Unit.objects.filter(institution=institution)}  # fmt: skip
    assert tree == {"DSI": None, "Pôle infrastructures": "DSI", "Pôle poste de travail": "DSI"}
    assert Asset.objects.get(inventory_number="N-4").unit is None  # the institution itself
    assert Asset.objects.get(inventory_number="N-1").unit.name == "Pôle infrastructures"
    assert Asset.objects.get(inventory_number="N-2").category == "desktop"
    assert Asset.objects.get(inventory_number="N-4").category == "peripheral"
    # the same file again matches the units by their path: nothing more is created
    call_command("inventory", "import", str(path), "--institution", institution.slug)
    assert Unit.objects.filter(institution=institution).count() == 3
