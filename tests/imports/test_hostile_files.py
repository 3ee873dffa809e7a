"""Issue 12: memory and time are bounded for every upload, whatever the bytes."""

import pytest

from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure
from sobrio.imports.reading import load_json, load_yaml, read_table
from tests.imports import hostile


def test_a_sheet_that_declares_a_million_rows_by_16384_columns_reads_its_two_cells():
    table = read_table(hostile.xlsx_huge_dimension(), "bombe.xlsx")
    assert table.header == ["Numéro d'inventaire", "Type"]
    assert list(table.rows()) == [(2, ["A-1", "Portable"])]


def test_an_archive_entry_of_zeros_is_refused_before_it_is_unpacked():
    with pytest.raises(ImportFailure) as failure:
        read_table(hostile.zeros_entry("content.xml", 20), "zeros.ods")
    assert "SOBRIO_IMPORT_MAX_RATIO" in str(failure.value)


def test_a_huge_shared_string_is_refused_before_it_is_loaded():
    data = hostile.xlsx_big_shared_string(3)
    with pytest.raises(ImportFailure) as failure:
        read_table(data, "textes.xlsx", Limits(max_unpacked=5 << 20, max_ratio=10_000))
    assert "SOBRIO_IMPORT_MAX_UNPACKED_MB" in str(failure.value)


def test_limits_on_rows_columns_and_cells_name_their_setting():
    many = ("a;b\n" + "1;2\n" * 11).encode()
    with pytest.raises(ImportFailure) as failure:
        list(read_table(many, "p.csv", Limits(max_rows=10)).rows())
    assert "SOBRIO_IMPORT_MAX_ROWS" in str(failure.value) and "ligne" in str(failure.value)
    wide = (";".join("c" for _ in range(30)) + "\n").encode() * 2
    with pytest.raises(ImportFailure) as failure:
        read_table(wide, "p.csv", Limits(max_columns=20))
    assert "SOBRIO_IMPORT_MAX_COLUMNS" in str(failure.value)
    long = ("a;b\n" + "x" * 200 + ";1\n").encode()
    with pytest.raises(ImportFailure) as failure:
        list(read_table(long, "p.csv", Limits(max_cell_chars=100)).rows())
    assert "SOBRIO_IMPORT_MAX_CELL_CHARS" in str(failure.value)
    with pytest.raises(ImportFailure) as failure:
        read_table(b"a;b\n1;2\n", "p.csv", Limits(max_bytes=4))
    assert "SOBRIO_IMPORT_MAX_MB" in str(failure.value)


def test_a_yaml_alias_bomb_never_expands():
    with pytest.raises(ImportFailure) as failure:
        load_yaml(hostile.YAML_BOMB.decode(), "bombe.yaml")
    assert "alias" in str(failure.value)


def test_json_nested_a_hundred_thousand_levels_is_a_problem_not_a_crash():
    with pytest.raises(ImportFailure) as failure:
        load_json(hostile.nested_json(100_000).decode(), "n.json")
    assert "imbriqué" in str(failure.value)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (hostile.zip_with_flags(encrypted=True), "chiffrée"),
        (hostile.zip_with_flags(method=99), "compression"),
        (hostile.zip_with_flags(bad_crc=True), "abîmée"),
    ],
)
def test_damaged_referential_archives_are_refused_with_their_reason(data, reason):
    from sobrio.referentials import importers

    with pytest.raises(ImportFailure) as failure:
        importers.read(data, "guide.zip")
    assert reason in str(failure.value)


def test_every_importer_refuses_the_hostile_files_cleanly(db):
    """The same shapes at each door: inventory, plan, answers, factors, referentials."""
    from sobrio.footprint import factor_files
    from sobrio.imports import flow
    from sobrio.referentials import importers
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory()
    files = {
        "bombe.xlsx": hostile.xlsx_huge_dimension(),
        "zeros.ods": hostile.zeros_entry("content.xml", 20),
        "bombe.yaml": hostile.YAML_BOMB,
        "n.json": hostile.nested_json(50_000),
    }
    for name, data in files.items():
        for read in (
            lambda d, n: flow.run_file(institution, "assets", d, n),
            lambda d, n: factor_files.read(d, n),
            lambda d, n: importers.read(d, n),
        ):
            try:
                read(data, name)
            except ImportFailure as failure:
                assert failure.problems  # a reason, with its place
