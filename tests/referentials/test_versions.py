import pytest

from sobrio.referentials import importers, services
from sobrio.referentials.models import Item, Referential

GRID = """
name: Grille interne
version: "{version}"
items:
{items}
"""


def grid(version, *items):
    lines = "\n".join(
        f"  - {{code: '{code}', family: Gouvernance, title: '{title}', priority: Prioritaire}}"
        for code, title in items
    )
    return importers.read(GRID.format(version=version, items=lines).encode(), "grille.yaml")


@pytest.fixture
def first(institution):
    return services.referential_import(
        parsed=grid("1", ("1.1", "Nommer"), ("1.2", "Former"), ("1.3", "Mesurer")),
        institution=institution,
    )


def test_a_first_import_stores_every_item_in_order(first):
    referential = first.referential
    assert first.created and first.previous is None
    assert list(referential.items.values_list("code", flat=True)) == ["1.1", "1.2", "1.3"]
    assert Item.objects.get(referential=referential, code="1.1").weight == 1.5


def test_the_same_file_again_changes_nothing(first, institution):
    again = services.referential_import(
        parsed=grid("1", ("1.1", "Nommer"), ("1.2", "Former"), ("1.3", "Mesurer")),
        institution=institution,
    )
    assert not again.created
    assert again.referential == first.referential
    assert Referential.objects.count() == 1


def test_a_newer_version_is_a_new_row_with_what_changed(first, institution):
    newer = services.referential_import(
        parsed=grid("2", ("1.1", "Nommer une personne"), ("1.3", "Mesurer"), ("1.4", "Publier")),
        institution=institution,
    )
    assert newer.created and newer.previous == first.referential
    assert newer.diff.added == ["1.4"]
    assert newer.diff.removed == ["1.2"]
    assert newer.diff.changed == [("1.1", ["title"])]
    assert first.referential.items.count() == 3, "the old version is left as it was"
    assert newer.referential.previous == first.referential


def test_a_changed_file_with_the_same_version_gets_a_distinct_label(first, institution):
    again = services.referential_import(
        parsed=grid("1", ("1.1", "Autre"), ("1.2", "Former"), ("1.3", "Mesurer")),
        institution=institution,
    )
    assert again.referential.version == "1 (2)"


def test_shared_and_private_versions_do_not_mix(first, institution):
    shared = services.referential_import(
        parsed=grid("1", ("1.1", "Nommer"), ("1.2", "Former"), ("1.3", "Mesurer")),
        institution=None,
    )
    assert shared.created and shared.referential.is_shared
    assert shared.previous is None


def test_an_institution_sees_shared_referentials_and_its_own_only(first, institution):
    from tests.factories import InstitutionFactory, ReferentialFactory

    other = ReferentialFactory(institution=InstitutionFactory())
    shared = ReferentialFactory(institution=None)
    visible = set(Referential.objects.for_institution(institution))
    assert visible == {first.referential, shared}
    assert other not in visible


def test_a_failed_import_stores_nothing(institution, client_as, members):
    client = client_as(members["officer"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("grille.csv", b"code;famille;titre\n1.1;G;\n1.2;G;Ok\n")
    response = client.post("/evaluer/referentiels/importer/", {"file": bad})
    assert response.status_code == 200
    assert "ligne 2, colonne titre" in response.content.decode()
    assert not Referential.objects.exists()
    assert not Item.objects.exists()
