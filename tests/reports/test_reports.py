import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sobrio.core.enums import Role
from sobrio.plan import services as plan_services
from sobrio.plan.models import Status
from sobrio.reports import render, services
from sobrio.reports.models import Kind, Report
from tests.factories import ActionFactory, AssetFactory, InstitutionFactory, MembershipFactory

Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def test_periods_are_read_with_their_boundaries():
    assert services.period_bounds(Kind.QUARTERLY, "2026-Q3") == Q3
    assert services.period_bounds(Kind.QUARTERLY, "2026-t3") == Q3
    assert services.period_bounds(Kind.ANNUAL, "2026")[1] == datetime.date(2026, 12, 31)
    assert services.period_bounds(Kind.FINAL, "2025-2028")[0] == datetime.date(2025, 1, 1)
    with pytest.raises(ValueError, match="2026-T3"):
        services.period_bounds(Kind.QUARTERLY, "2026-Q5")


def test_an_action_done_on_the_last_day_of_a_quarter_counts_in_it_not_the_next(db):
    action = ActionFactory(planned_end=datetime.date(2026, 9, 1))
    member = MembershipFactory(institution=action.institution, role=Role.OFFICER)
    plan_services.set_status(action, Status.DONE, member.user, on=datetime.date(2026, 9, 30))
    q3 = services.build(action.institution, *Q3)
    q4 = services.build(action.institution, *services.period_bounds(Kind.QUARTERLY, "2026-Q4"))
    assert [a["label"] for a in q3["actions"]["done"]] == [action.label]
    assert q4["actions"]["done"] == []
    # done on the last day: not late in Q3 although planned for 1 September
    assert q3["actions"]["late"] == []


def test_late_is_judged_on_the_last_day_of_the_period(db):
    action = ActionFactory(planned_end=datetime.date(2026, 8, 15))
    member = MembershipFactory(institution=action.institution, role=Role.OFFICER)
    plan_services.set_status(action, Status.DONE, member.user, on=datetime.date(2026, 10, 10))
    q3 = services.build(action.institution, *Q3)
    assert [a["label"] for a in q3["actions"]["late"]] == [action.label]


def test_a_frozen_report_never_changes_when_the_data_does(db, client):
    action = ActionFactory(label="Atelier de réparation")
    institution = action.institution
    AssetFactory(institution=institution, category="laptop")
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    report = services.create(institution, Kind.QUARTERLY, "2026-T3")
    assert report.period == "2026-Q3" and report.version == 1
    client.force_login(member.user)
    url = reverse("report_detail", args=[report.pk])
    client.post(
        url, {"form": "text", "synthesis": "Trimestre calme.", "difficulties": "", "outlook": ""}
    )
    client.post(url, {"form": "freeze"})
    client.post(reverse("report_freeze", args=[report.pk]))  # after its confirmation page
    report.refresh_from_db()
    frozen = report.snapshot
    assert report.is_frozen and frozen["footprint"]["rows"] == 1

    plan_services.set_status(action, Status.DONE, member.user, on=datetime.date(2026, 8, 1))
    AssetFactory(institution=institution, category="laptop", quantity=10)
    assert services.build(institution, *Q3)["footprint"]["rows"] == 11
    assert services.data_for(report) == frozen
    page = " ".join(client.get(url).content.decode().split())
    assert "Sur la période : 0 action finie," in page  # the frozen figures
    client.post(url, {"form": "text", "synthesis": "Réécrit", "difficulties": "", "outlook": ""})
    report.refresh_from_db()
    assert report.synthesis == "Trimestre calme."

    client.post(url, {"form": "version"})
    draft = Report.objects.get(institution=institution, version=2)
    assert not draft.is_frozen and draft.synthesis == "Trimestre calme."
    assert services.data_for(draft)["actions"]["done"][0]["label"] == "Atelier de réparation"


def test_pdf_has_contents_page_numbers_and_every_section(db):
    action = ActionFactory()
    report = services.create(action.institution, Kind.QUARTERLY, "2026-Q3")
    content = render.pdf(report, services.data_for(report))
    pdf = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 2
    for title in ("Sommaire", "Synthèse des avancées", "Indicateurs clés", "Empreinte du parc",
                  "Budget", f"1 / {len(pdf.pages)}"):  # fmt: skip
        assert title in text, title


def test_odt_is_a_valid_opendocument_with_the_sections(db):
    from odf.opendocument import load

    action = ActionFactory()
    report = services.create(action.institution, Kind.ANNUAL, "2026")
    content = render.odt(report, services.data_for(report))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    doc = load(io.BytesIO(content))
    from odf import teletype
    from odf.text import H

    headings = [teletype.extractText(h) for h in doc.getElementsByType(H)]
    assert "Indicateurs clés" in headings and "Budget" in headings


def test_cli_builds_a_quarterly_report(db, tmp_path):
    action = ActionFactory()
    out = tmp_path / "rapport.pdf"
    call_command(
        "report", "build", "--institution", action.institution.slug, "--kind", "quarterly",
        "--period", "2026-Q3", "--format", "pdf", "-o", str(out),
    )  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    odt = tmp_path / "rapport.odt"
    call_command(
        "report", "build", "--institution", action.institution.slug, "--kind", "quarterly",
        "--period", "2026-Q3", "--format", "odt", "-o", str(odt),
    )  # fmt: skip
    assert zipfile.is_zipfile(odt)


def test_freezing_keeps_the_texts_typed_and_asks_first(db, client):
    institution = InstitutionFactory()
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    report = services.create(institution, Kind.QUARTERLY, "2099-T1")  # not ended
    client.force_login(member.user)
    url = reverse("report_detail", args=[report.pk])
    fields = {"synthesis": "Texte tapé, pas encore enregistré.", "difficulties": "", "outlook": ""}
    response = client.post(url, {"form": "freeze", **fields})
    assert response["Location"] == reverse("report_freeze", args=[report.pk])
    report.refresh_from_db()
    assert report.synthesis == fields["synthesis"] and not report.is_frozen
    confirm = client.get(response["Location"]).content.decode()
    assert "La période n'est pas terminée" in confirm and "2099-T1" in confirm
    client.post(response["Location"])
    report.refresh_from_db()
    assert report.is_frozen and report.snapshot
