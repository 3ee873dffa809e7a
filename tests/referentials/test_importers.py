import io
import json
import zipfile

import pytest
import tablib

from sobrio.imports.limits import MB
from sobrio.referentials import importers
from sobrio.referentials.importers import ImportFailure, natural_key


def codes(parsed):
    return [item.code for item in parsed.items]


def test_the_guide_folder_gives_59_practices_in_9_families_in_natural_order(official):
    parsed = importers.read(official / "guide-bonnes-pratiques-nr-2023")
    assert (len(parsed.families), len(parsed.items)) == (9, 59)
    assert [f.code for f in parsed.families] == list("abcdefghi")
    assert codes(parsed) == sorted(codes(parsed), key=natural_key)
    g = [c for c in codes(parsed) if c.startswith("g.")]
    assert g[8:11] == ["g.9", "g.10", "g.11"]
    assert parsed.source_format == "guide-markdown"
    assert parsed.scale == "maturity"


def test_family_names_come_from_the_index_files_not_the_folder_names(official):
    parsed = importers.read(official / "guide-bonnes-pratiques-nr-2023")
    family = {f.code: f for f in parsed.families}
    # The "f" practices live in a folder whose name matches neither its key nor its title.
    assert family["f"].name.startswith("Phase d")
    assert all(item.family in family for item in parsed.items)


def test_stray_quotes_in_indicators_are_cleaned(official):
    parsed = importers.read(official / "guide-bonnes-pratiques-nr-2023")
    h7 = next(item for item in parsed.items if item.code == "h.7")
    assert len(h7.indicators) == 6
    assert not any('"' in indicator for indicator in h7.indicators)


def test_the_guide_as_a_zip_reads_like_the_folder(official):
    folder = official / "guide-bonnes-pratiques-nr-2023"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.md"):
            archive.write(path, f"guide/{path.relative_to(folder)}")
    parsed = importers.read(buffer.getvalue(), "guide.zip")
    assert codes(parsed) == codes(importers.read(folder))


def test_the_guide_json_export_gives_the_same_59_practices(official):
    parsed = importers.read(official / "guide-bonnes-pratiques-nr-2023" / "export.json")
    folder = importers.read(official / "guide-bonnes-pratiques-nr-2023")
    assert (len(parsed.families), len(parsed.items)) == (9, 59)
    assert codes(parsed) == codes(folder)
    assert parsed.source_format == "guide-json"
    assert all(item.url.startswith("https://") for item in parsed.items)


def test_the_rgesn_gives_78_criteria_in_9_themes_with_official_weights(official):
    parsed = importers.read(official / "rgesn-2024" / "referentiel-ecoconception.json")
    assert (len(parsed.families), len(parsed.items)) == (9, 78)
    assert codes(parsed) == sorted(codes(parsed), key=natural_key)
    assert codes(parsed).index("4.10") == codes(parsed).index("4.9") + 1
    assert parsed.scale == "rgesn"
    weights = {item.priority: item.effective_weight for item in parsed.items}
    assert weights == {"Prioritaire": 1.5, "Recommandé": 1.25, "Modéré": 1.0}
    first = parsed.items[0]
    assert "### Objectif" in first.body and first.roles


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "vide.json", "vide"),
        (b"   \n", "vide.csv", "vide"),
        (b"\x00\x01\x02\xff" * 50, "image.bin", "format non reconnu"),
        (b'{"foo": 1}', "autre.json", "JSON d'une forme inconnue"),
        (b'[{"a": 1}]', "autre.json", "JSON d'une forme inconnue"),
        (b'{"thematiques": [\n  {"id": "a."},\n  oops]}', "casse.json", "ligne 3"),
        (b"PK\x03\x04garbage", "faux.zip", "archive illisible"),
        (b"nom;prenom\nA;B\n", "autre.csv", "colonne(s) obligatoire(s) absente(s)"),
        (b"code,famille,titre\n1.1,Gouv,\n", "trou.csv", "ligne 2, colonne titre"),
        (b"code;famille;titre\n1.1;Gouv;=HYPERLINK(1)\n", "f.csv", "formule refusée"),
        (b"code;famille;titre\n1.1;G;A\n1.1;G;B\n", "double.csv", "en double"),
        (b"items: [\n  - code: [", "casse.yaml", "YAML invalide"),
        (b"name: x\n", "sans-items.yaml", "items"),
    ],
)
def test_a_bad_file_gets_a_clear_error_that_says_where(data, name, expected):
    with pytest.raises(ImportFailure) as failure:
        importers.read(data, name)
    message = str(failure.value)
    assert expected in message
    assert name in message


def test_an_unknown_json_names_what_was_expected():
    with pytest.raises(ImportFailure) as failure:
        importers.read(b"[1, 2]", "x.json")
    assert "thematiques[].bonnesPratiques[]" in str(failure.value)
    assert "RGESN" in str(failure.value)


def test_a_markdown_file_without_front_matter_is_named():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/index.md", "---\nidThematique: a.\ntitle: A\n---\n")
        archive.writestr("a/p.md", "pas d'en-tête")
    with pytest.raises(ImportFailure) as failure:
        importers.read(buffer.getvalue(), "guide.zip")
    assert "a/p.md, ligne 1" in str(failure.value)


def test_a_small_zip_of_many_large_markdown_files_is_refused_before_unpacking():
    """Issue 26: 99 entries of 1 MB each (under the per-entry ratio check) in 255 KB, then
    every view of that referential killed a worker."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/index.md", "---\nidThematique: a.\ntitle: A\n---\n")
        for n in range(99):
            archive.writestr(f"a/p{n}.md", f"---\nid: a.{n}\ntitle: T\n---\n" + "x" * MB)
    assert len(buffer.getvalue()) < 300 * 1024
    with pytest.raises(ImportFailure, match="grossit"):
        importers.read(buffer.getvalue(), "guide.zip")


def test_an_item_or_a_referential_past_its_text_budget_is_refused():
    def document(n, chars):
        items = [{"code": f"1.{i}", "family": "A", "title": "T", "body": "y" * chars}
                 for i in range(n)]  # fmt: skip
        return json.dumps({"name": "Grille", "items": items}).encode()

    importers.read(document(3, 40_000), "grille.json")  # long, within the budget
    with pytest.raises(ImportFailure, match="item 1.0 : 60004 caractères, 50000 au plus"):
        importers.read(document(1, 60_000), "grille.json")
    with pytest.raises(ImportFailure, match="2000000 au plus"):
        importers.read(document(60, 40_000), "grille.json")


def test_the_csv_template_in_windows_1252_with_semicolons_and_a_bom_less_header():
    text = (
        "code;famille;titre;priorite;indicateurs;poids\r\n"
        "1.2;Achats;Réemployer d'abord;Recommandée;Part réemployée;2,5\r\n"
        "1.10;Achats;Étiqueter;Prioritaire;;\r\n"
        "1.1;Gouvernance;Nommer une référente;Prioritaire;Lettre : oui / non;\r\n"
    )
    parsed = importers.read(text.encode("cp1252"), "Grille interne.csv")
    assert codes(parsed) == ["1.1", "1.2", "1.10"]
    assert parsed.name == "Grille interne"
    assert [f.name for f in parsed.families] == ["Achats", "Gouvernance"]
    assert parsed.items[1].effective_weight == 2.5
    assert parsed.items[1].title == "Réemployer d'abord"
    assert parsed.items[0].effective_weight == 1.5


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_spreadsheet_template_with_its_metadata_sheet(fmt):
    items = tablib.Dataset(headers=["Code", "Famille", "Titre", "Priorité"], title="items")
    items.append(["B.2", "Parc", "Allonger la durée d'usage", "Prioritaire"])
    items.append(["B.1", "Parc", "Tenir l'inventaire", "Recommandée"])
    meta = tablib.Dataset(headers=["clé", "valeur"], title="referentiel")
    meta.append(["nom", "Label DD&RS (extrait)"])
    meta.append(["version", "2025"])
    data = tablib.Databook([items, meta]).export(fmt)
    parsed = importers.read(data, f"grille.{fmt}")
    assert parsed.name == "Label DD&RS (extrait)"
    assert parsed.version == "2025"
    assert codes(parsed) == ["B.1", "B.2"]
    assert parsed.source_format == f"template-{fmt}"


def test_the_yaml_template_keeps_its_declared_families(tmp_path):
    from pathlib import Path

    import sobrio.referentials

    demo = Path(sobrio.referentials.__file__).parent / "data" / "demo-grille.yaml"
    parsed = importers.read(demo)
    assert [f.code for f in parsed.families] == ["G", "P", "S", "F"]
    assert parsed.families[0].name == "Gouvernance"
    assert len(parsed.items) == 12


def test_a_json_template_document_is_read_too():
    document = {
        "name": "Grille JSON",
        "version": "2",
        "scale": "rgesn",
        "items": [{"code": "1", "family": "F", "title": "T", "indicators": ["a", "b"]}],
    }
    parsed = importers.read(json.dumps(document).encode(), "grille.json")
    assert (parsed.name, parsed.scale, parsed.items[0].indicators) == (
        "Grille JSON",
        "rgesn",
        ["a", "b"],
    )


def test_an_unknown_scale_is_refused():
    with pytest.raises(ImportFailure, match="échelle inconnue"):
        importers.read(b"scale: stars\nitems:\n  - {code: '1', family: F, title: T}\n", "g.yaml")
