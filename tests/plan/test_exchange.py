import io

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.plan import exchange
from sobrio.plan.models import Action, BudgetLine, Status
from sobrio.referentials.importers import ImportFailure
from tests.factories import ActionFactory, MembershipFactory, UnitFactory


def _rows(content):
    return tablib.Dataset().load(content, format="xlsx")


def test_export_then_import_round_trips_and_updates_by_identifier(db, tmp_path):
    action = ActionFactory(label="Atelier de réparation")
    institution = action.institution
    UnitFactory(institution=institution, name="DSI", code="DSI")
    BudgetLine.objects.create(
        institution=institution, action=action, year=2026, source="Budget propre", planned=1000
    )
    content = exchange.export_xlsx(action.plan)
    data = _rows(content)
    assert data[0][0] == action.pk and data[0][-2] == 1000.0
    assert exchange.import_xlsx(action.plan, content, "plan.xlsx", None) == {
        "created": 0, "updated": 0, "unchanged": 1,
    }  # fmt: skip

    edited = tablib.Dataset(headers=data.headers)
    row = list(data[0])
    row[data.headers.index("Statut")] = "En cours"
    row[data.headers.index("Unités (codes)")] = "DSI"
    edited.append(row)
    new = [""] * len(data.headers)
    new[data.headers.index("Axe")] = action.axis.name
    new[data.headers.index("Intitulé")] = "Nouvelle action partenaire"
    new[data.headers.index("Fin prévue")] = "31/12/2027"
    edited.append(new)
    report = exchange.import_xlsx(action.plan, edited.export("xlsx"), "plan.xlsx", None)
    assert report == {"created": 1, "updated": 1, "unchanged": 0}
    action.refresh_from_db()
    assert action.status == Status.DOING and [u.code for u in action.units.all()] == ["DSI"]
    assert Action.objects.get(label="Nouvelle action partenaire").planned_end.year == 2027

    out = tmp_path / "plan.xlsx"
    call_command("plan", "export", "--institution", institution.slug, "-o", str(out))
    assert len(_rows(out.read_bytes())) == 2


def test_a_bad_plan_file_names_line_and_column_and_writes_nothing(db):
    action = ActionFactory()
    data = tablib.Dataset(headers=["Identifiant", "Axe", "Intitulé", "Statut", "Fin prévue"])
    data.append([action.pk, "Axe inconnu", "X", "En cours", ""])
    data.append(["", action.axis.name, "Y", "Presque fini", "fin 2026"])
    data.append(["", action.axis.name, "Z", "Abandonnée", ""])
    with pytest.raises(ImportFailure) as failure:
        exchange.import_xlsx(action.plan, data.export("xlsx"), "plan.xlsx", None)
    problems = [str(p) for p in failure.value.problems]
    assert "plan.xlsx, ligne 2, colonne Axe : axe inconnu" in problems[0]
    assert any("ligne 3, colonne Statut : valeur inconnue « presque fini »" in p for p in problems)
    assert any("ligne 3, colonne Fin prévue : date illisible" in p for p in problems)
    assert any("ligne 4, colonne Motif d'abandon" in p for p in problems)
    assert Action.objects.count() == 1
    with pytest.raises(ImportFailure, match="illisible"):
        exchange.import_xlsx(action.plan, b"not a spreadsheet", "plan.xlsx", None)


def test_import_page_lists_problems_and_only_editors_reach_it(db, client):
    action = ActionFactory()
    officer = MembershipFactory(institution=action.institution, role=Role.OFFICER)
    client.force_login(officer.user)
    data = tablib.Dataset(headers=["Axe", "Intitulé"])
    data.append(["Inconnu", "X"])
    upload = io.BytesIO(data.export("xlsx"))
    upload.name = "plan.xlsx"
    page = client.post(reverse("plan_import"), {"file": upload}).content.decode()
    assert "Rien n'a été importé" in page and "axe inconnu" in page
    export = client.get(reverse("plan_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    viewer = MembershipFactory(institution=action.institution, role=Role.VIEWER)
    client.force_login(viewer.user)
    assert client.get(reverse("plan_import")).status_code == 403
