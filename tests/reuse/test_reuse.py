"""Réemploi: what the law allows (with its source), decisions one by one and from a file
(all or nothing, line and column), the sanitisation rule, the décret's reuse rate and the
waste register against hand-computed cases, the draw, the handover, the footprint."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from sobrio.core.enums import Role
from sobrio.footprint import services as footprint
from sobrio.imports.problems import ImportFailure
from sobrio.inventory.models import Asset
from sobrio.reuse import law, services
from sobrio.reuse.models import (
    Application,
    Batch,
    Disposal,
    RedistributionCampaign,
    Sanitisation,
)
from sobrio.reuse.space import applications_data, applications_erase
from tests.factories import AssetFactory, InstitutionFactory, MembershipFactory, UnitFactory

D = datetime.date


@pytest.fixture
def institution(db):
    return InstitutionFactory(slug="univ", national_identifier="19751234500017")


def _retired(institution, number, on=None, category="laptop", purchase=None, **extra):
    on, purchase = on or D(2025, 6, 1), purchase or D(2021, 1, 1)
    return AssetFactory(
        institution=institution,
        inventory_number=number,
        category=category,
        status="retired",
        retirement_date=on,
        status_changed_on=on,
        purchase_date=purchase,
        **extra,
    )


def _wiped(asset, category="purge"):
    Sanitisation.objects.create(
        institution=asset.institution,
        asset=asset,
        category=category,
        method="NVMe format",
        tool="nwipe",
        tool_version="0.37",
        verification="relecture",
        done_by="DSI",
        done_on=D(2026, 1, 5),
    )
    return asset


# --- the law -----------------------------------------------------------------------------


def test_the_law_allows_staff_and_listed_associations_up_to_the_ceiling_and_says_why_not():
    assert law.check("donation", "staff", Decimal("300")) == []
    assert law.check("donation", "student_association", Decimal("120")) == []
    (student,) = law.check("donation", "student")
    assert "association étudiante" in student.reason and "L3212-2" in student.source
    (value,) = law.check("donation", "staff", Decimal("300.01"))
    assert "300" in value.reason and "D3212-3" in value.source
    assert law.check("donation", "supplier")  # not in the lists
    assert law.check("solidarity_sale", "esus")  # only ARUP and general-interest ones resell
    assert law.check("solidarity_sale", "arup") == []
    assert law.check("takeback_reuse", "eco_organism") == []
    assert law.check("reassigned", "") == []


def test_nothing_leaves_without_a_purge_record_and_an_exception_overrides_only_the_law(institution):
    asset = _retired(institution, "A1")
    with pytest.raises(ValidationError, match="purge"):
        services.decide(asset, "donation", on=D(2026, 2, 1), kind="staff", beneficiary="Ann")
    _wiped(asset, "clear")  # a clear is not enough outside
    with pytest.raises(ValidationError, match="purge"):
        services.decide(asset, "donation", on=D(2026, 2, 1), kind="staff", exception="urgent")
    _wiped(asset)
    with pytest.raises(ValidationError, match="étudiant"):
        services.decide(asset, "donation", on=D(2026, 2, 1), kind="student")
    disposal = services.decide(
        asset,
        "donation",
        on=D(2026, 2, 1),
        kind="student",
        exception="Convention avec le CROUS, avis du service juridique",
    )
    assert disposal.exception.startswith("Convention")
    screen = _retired(institution, "E1", category="monitor")  # no data media
    services.decide(screen, "donation", on=D(2026, 2, 1), kind="esus", beneficiary="Envie")


# --- a file of decisions -----------------------------------------------------------------


def test_a_file_with_a_refused_line_records_nothing_unless_valid_rows_only(institution):
    for n in ("A1", "A2", "A3", "A4"):
        _wiped(_retired(institution, n))
    data = (
        "Numéro d'inventaire;Destination;Date;Bénéficiaire;Type de bénéficiaire;"
        "Valeur unitaire (€);Dérogation\n"
        "A1;donation;15/03/2026;Campus vert;student_association;120;\n"
        "A2;Don;2026-03-15;Léa;student;;\n"
        "A3;donation;15/03/2026;Léa;staff;450;\n"
        "A4;recycling;15/03/2026;ecosystem;eco_organism;;\n"
        "A9;donation;31/02/2026;X;staff;;\n"
    ).encode()
    with pytest.raises(ImportFailure) as failure:
        services.import_decisions(data, "decisions.csv", institution)
    where = [(p.line, p.column) for p in failure.value.problems]
    assert where == [
        (3, "Type de bénéficiaire"),
        (4, "Valeur unitaire (€)"),
        (6, "Numéro d'inventaire"),
    ]
    assert "décisions.csv" not in str(failure.value) and "decisions.csv, ligne 3" in str(
        failure.value
    )
    assert not Asset.objects.filter(disposals__isnull=False).exists()  # nothing written
    count, left = services.import_decisions(data, "decisions.csv", institution, valid_only=True)
    assert count == 2 and len(left) == 3
    assert set(
        Asset.objects.filter(disposals__isnull=False).values_list("inventory_number", flat=True)
    ) == {"A1", "A4"}
    again = data.replace(b"student;;", b"student;;Via le CROUS").replace(
        b"staff;450;", b"staff;450;Lot unique"
    )
    rows, problems = services.read_decisions(again, "decisions.csv", institution)
    assert [r[1].inventory_number for r in rows] == ["A2", "A3"] and len(
        problems
    ) == 3  # A1, A4 done


def test_an_xlsx_with_english_headers_and_the_cli(institution, tmp_path, capsys):
    _retired(institution, "B1")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Inventory number", "Destination", "Date", "Beneficiary", "Beneficiary type"])
    sheet.append(["B1", "reassigned", D(2026, 4, 1), "Bibliothèque", ""])
    path = tmp_path / "d.xlsx"
    book.save(path)
    call_command("reuse", "import", str(path), "--institution", "univ")
    assert Asset.objects.get(inventory_number="B1").status == "in_service"  # back in service


# --- the reuse rate and the register, by hand ------------------------------------------------


def test_the_reuse_rate_as_the_decret_computes_it(institution, capsys):
    # In stock on 1 January 2026: A1..A5 (retired in 2025), E1 (retired 2025, over ten years
    # old), C1 (retired 2025, held classified data). Not in stock: L1 (retired 2026), G1
    # (given away in 2025), S1 (a server: not in the décret's categories).
    stock = [_retired(institution, f"A{i}") for i in range(1, 6)]
    old = _retired(institution, "E1", purchase=D(2014, 1, 1))
    classified = _retired(institution, "C1")
    late = _retired(institution, "L1", on=D(2026, 3, 1))
    gone = _wiped(_retired(institution, "G1"))
    services.decide(gone, "donation", on=D(2025, 9, 1), kind="staff")
    _retired(institution, "S1", category="server")
    for asset in (*stock, old, classified, late):
        _wiped(asset)
    # 2026: A1 given to staff, A2 reassigned (not in the décret's destinations), A3 sold
    # by the Domaine without a commitment to reuse (not counted), A4 taken back with the
    # commitment (counted), A5 recycled (not reuse), E1 given (excluded: over ten years),
    # C1 recycled but flagged classified, L1 given (reformed in the year: in A, not in B).
    services.decide(stock[0], "donation", on=D(2026, 2, 1), kind="staff")
    services.decide(stock[1], "reassigned", on=D(2026, 2, 1))
    services.decide(stock[2], "domain_sale", on=D(2026, 2, 1), kind="other")
    services.decide(
        stock[3], "takeback_reuse", on=D(2026, 2, 1), kind="supplier", committed_reuse=True
    )
    services.decide(
        stock[4],
        "recycling",
        on=D(2026, 2, 1),
        kind="eco_organism",
        weight_kg=Decimal("2.5"),
        eco_organism="ecosystem",
        document_ref="BSD-1",
    )
    services.decide(old, "donation", on=D(2026, 2, 1), kind="staff")
    services.decide(
        classified,
        "recycling",
        on=D(2026, 2, 1),
        kind="eco_organism",
        excluded="classified",
        weight_kg=Decimal("2"),
        eco_organism="ecosystem",
        document_ref="BSD-1",
    )
    services.decide(late, "donation", on=D(2026, 5, 1), kind="staff")
    figures = services.rate(institution, 2026)
    # B = A1..A5 = 5 (E1, C1 excluded); A = A1, A4, L1 = 3 (A2's reassignment is apart);
    # excluded = E1, C1 = 2
    assert figures == {"reformed_stock_jan1": 5, "reused": 3, "excluded": 2, "rate": 60.0}
    assert services.reassigned(institution, 2026) == 1
    call_command("reuse", "rate", "--institution", "univ", "--year", "2026", "--format", "json")
    assert json.loads(capsys.readouterr().out) == figures
    assert services.kg_recycled(institution, 2026) == 4.5

    rows = list(services.register_rows(institution, 2026))
    assert len(rows) == 2  # one shipment to ecosystem (two devices, BSD-1), one take-back
    header = services.REGISTER_HEADER
    shipment = dict(
        zip(
            header,
            rows[1] if rows[0][header.index("Nom de l'éco-organisme")] == "" else rows[0],
            strict=True,
        )
    )
    assert shipment["SIRET du déclarant"] == "19751234500017"
    assert shipment["Quantité (t)"] == "0,005" and shipment["Nombre d'équipements"] == 2
    assert shipment["Pièce (BSD)"] == "BSD-1" and shipment["Code déchet"] == "16 02 14"
    out = io.StringIO()
    call_command("reuse", "register", "--institution", "univ", "--year", "2026", stdout=out)


def test_the_register_as_xlsx(institution, tmp_path):
    asset = _retired(institution, "R1")
    services.decide(
        asset,
        "recycling",
        on=D(2026, 2, 1),
        kind="eco_organism",
        eco_organism="Ecologic",
        weight_kg=Decimal("12"),
    )
    target = tmp_path / "r.xlsx"
    call_command(
        "reuse",
        "register",
        "--institution",
        "univ",
        "--year",
        "2026",
        "--format",
        "xlsx",
        "-o",
        str(target),
    )
    sheet = openpyxl.load_workbook(target).active
    values = [c.value for c in sheet[2]]
    assert "Ecologic" in values and "0,012" in values


def test_avoided_impact_needs_the_substitution_rate_and_uses_the_cited_factor(institution):
    from sobrio.reuse.models import ReuseSettings

    asset = _wiped(_retired(institution, "A1"))
    services.decide(asset, "donation", on=D(2026, 2, 1), kind="staff")
    assert services.avoided(institution, 2026)["value"] is None
    ReuseSettings.objects.create(
        institution=institution, substitution_percent=50, second_life_years=Decimal("2")
    )
    figures = services.avoided(institution, 2026)
    assert figures["value"] == pytest.approx(27.0 * 2 * 0.5)
    assert "ADEME" in figures["set"].source


def test_the_footprint_charges_a_second_life_to_whoever_uses_it(institution):
    kept = _retired(institution, "K1", purchase=D(2024, 1, 1), on=D(2025, 12, 31))
    given = _wiped(_retired(institution, "G1", purchase=D(2024, 1, 1), on=D(2025, 12, 31)))
    services.decide(kept, "reassigned", on=D(2026, 1, 2), unit=UnitFactory(institution=institution))
    services.decide(given, "donation", on=D(2026, 1, 2), kind="staff")
    kept.refresh_from_db()
    given.refresh_from_db()
    assert (kept.status, given.status) == ("in_service", "retired")
    use = [
        footprint.asset_footprint(a, 2026)["totals"]["gwp"]["use"]["value"] for a in (kept, given)
    ]
    assert use[0] > 0 and use[1] == 0  # the reassigned one is used (and charged) in 2026


# --- refurbishment and campaigns ------------------------------------------------------------


def test_a_wipe_report_is_read_and_matched_by_serial(institution):
    batch = Batch.objects.create(institution=institution, name="Lot", opened_on=D(2026, 1, 1))
    a = _retired(institution, "A1", serial_number="SN-1")
    b = _retired(institution, "A2", serial_number="SN-2")
    services.add_to_batch(batch, [a, b])
    report = json.dumps(
        {
            "devices": [
                {
                    "serial": "sn-1",
                    "method": "Secure Erase",
                    "tool": "nwipe",
                    "version": "0.37",
                    "result": "verified",
                    "date": "2026-01-10",
                },
                {"serial": "SN-404", "method": "zero"},
            ]
        }
    ).encode()
    records, problems = services.read_wipe_report(batch, report, "wipe.json", done_by="DSI")
    assert [(r.asset, r.category, r.tool_version) for r in records] == [(a, "purge", "0.37")]
    assert [(p.line, p.column) for p in problems] == [(2, "serial")]
    for hostile in (b'"texte"', b"12", b'{"devices": 3}', b"\xff\xfe{", b"[" * 100_000):
        with pytest.raises(ImportFailure):
            services.read_wipe_report(batch, hostile, "wipe.json")
    csv = b"Serial Number;Method;Tool;Date\nSN-2;shred disk destruction;broyeur;10/01/2026\n"
    records, problems = services.read_wipe_report(batch, csv, "wipe.csv")
    assert records[0].category == "destroy" and not problems


def _campaign(institution, **extra):
    return RedistributionCampaign.objects.create(
        institution=institution,
        name="Portables",
        opens_on=D(2020, 1, 1),
        closes_on=D(2099, 1, 1),
        eligible=["staff", "student_association", "student"],
        seed="graine-publiee",
        **extra,
    )


def test_the_draw_is_reproducible_from_the_seed_and_priority_comes_first(institution):
    campaign = _campaign(institution)
    people = [
        MembershipFactory(institution=institution, role=Role.PARTICIPANT).user for _ in range(6)
    ]
    for i, user in enumerate(people):
        services.apply(campaign, user, kind="staff", need="Télétravail", no_device=i == 5)
    with pytest.raises(ValidationError):
        services.apply(campaign, people[0], kind="staff", need="encore")
    with pytest.raises(ValidationError):  # students as individuals: through an association
        services.apply(
            campaign, MembershipFactory(institution=institution).user, kind="student", need="x"
        )
    ids = sorted(campaign.applications.values_list("pk", flat=True))
    assert services.draw_order("graine-publiee", ids) == services.draw_order("graine-publiee", ids)
    assert services.draw_order("graine-publiee", ids) != services.draw_order("autre", ids)
    services.draw(campaign, places=2)
    ranked = list(campaign.applications.order_by("rank"))
    assert ranked[0].user == people[5]  # no device at home: first
    expected = [pk for pk in services.draw_order("graine-publiee", ids) if pk != ranked[0].pk]
    assert [a.pk for a in ranked[1:]] == expected
    assert [a.state for a in ranked] == ["selected", "selected"] + ["waiting"] * 4


def test_allocate_agreement_handover_and_the_assets_story(institution, client):
    officer = MembershipFactory(institution=institution, role=Role.OFFICER).user
    person = MembershipFactory(institution=institution, role=Role.PARTICIPANT).user
    batch = Batch.objects.create(institution=institution, name="Lot", opened_on=D(2026, 1, 1))
    laptop = _retired(institution, "P1", serial_number="SN-9")
    services.add_to_batch(batch, [laptop])
    campaign = _campaign(institution)
    assert list(services.available_devices(campaign)) == []  # not graded, not wiped
    laptop.refurbishment.grade = "A"
    laptop.refurbishment.save()
    _wiped(laptop)
    assert list(services.available_devices(campaign)) == [laptop]
    application = services.apply(campaign, person, kind="staff", need="Télétravail")
    services.draw(campaign)
    application.refresh_from_db()
    client.force_login(officer)
    url = reverse("reuse_campaign", args=[campaign.pk])
    client.post(url, {"allocate": "1", "application": application.pk, "device": laptop.pk})
    application.refresh_from_db()
    assert application.state == "allocated"
    pdf = client.get(reverse("reuse_agreement", args=[application.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "P1" in text and "L3212-2" in text and "Purge" in text
    client.post(
        url,
        {
            "handover": "1",
            "application": application.pk,
            "signed_by": "A. Martin",
            "on": "2026-03-02",
        },
    )
    application.refresh_from_db()
    assert application.state == "handed_over"
    story = [text for _on, text in services.story(laptop)]
    assert any("Don" in t for t in story) and any("grade A" in t for t in story)
    page = client.get(reverse("measure_asset", args=[laptop.pk])).content.decode()
    assert "Seconde vie" in page and "Convention de don" in page
    assert applications_data(institution, person)[0]["État"] == "Remis"
    assert applications_erase(institution, person) == 0  # the handover stays


def test_a_participant_applies_from_the_space_and_follows_it(institution, client):
    institution.participant_domains = "example.org"
    institution.save()
    campaign = _campaign(institution)
    person = MembershipFactory(
        institution=institution, role=Role.PARTICIPANT, user__email="lea@example.org"
    ).user
    client.force_login(person)
    url = reverse("participate_reuse_campaign", args=[institution.slug, campaign.pk])
    page = client.get(url).content.decode()
    assert "Étudiant·e (à titre individuel)" not in page  # not offered
    response = client.post(
        url, {"kind": "student_association", "need": "Club info", "organisation": ""}
    )
    assert "nom de l" in response.content.decode()
    client.post(
        url, {"kind": "student_association", "need": "Club info", "organisation": "Campus vert"}
    )
    assert Application.objects.get().organisation == "Campus vert"
    assert "Déposée" in client.get(url).content.decode()


def test_the_pages_answer_for_the_team(institution, client):
    officer = MembershipFactory(institution=institution, role=Role.OFFICER).user
    client.force_login(officer)
    _wiped(_retired(institution, "A1"))
    for name in (
        "reuse_home",
        "reuse_decide",
        "reuse_disposals",
        "reuse_import",
        "reuse_batches",
        "reuse_campaigns",
        "reuse_settings",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    # the category as a person reads it, never its code (issue 25)
    page = client.get(reverse("reuse_decide")).content.decode()
    assert "A1 — Ordinateur portable" in page and "— laptop" not in page
    asset = Asset.objects.get(inventory_number="A1")
    response = client.post(
        reverse("reuse_decide"),
        {
            "asset": [asset.pk],
            "path": "donation",
            "decided_on": "2026-02-01",
            "beneficiary_kind": "student",
            "beneficiary": "Léa",
        },
    )
    assert "Rien n" in response.content.decode() and not asset.disposals.exists()
    response = client.post(
        reverse("reuse_decide"),
        {
            "asset": [asset.pk],
            "path": "donation",
            "decided_on": "2026-02-01",
            "beneficiary_kind": "student_association",
            "beneficiary": "Campus vert",
            "unit_value": "80",
        },
    )
    assert response.status_code == 302 and asset.disposals.get().beneficiary == "Campus vert"
    upload = io.BytesIO(b"Numero d'inventaire;Destination;Date\nZZ;recycling;01/02/2026\n")
    upload.name = "d.csv"
    preview = client.post(reverse("reuse_import"), {"file": upload}).content.decode()
    assert "d.csv, ligne 2, colonne Numero d&#x27;inventaire : aucun équipement" in preview
    register = b"".join(client.get(reverse("reuse_register")).streaming_content).decode()
    assert register.startswith("\ufeffMotif de la déclaration")


def test_a_selection_decided_at_once_shares_one_document(institution, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(MembershipFactory(institution=institution, role=Role.OFFICER).user)
    first, second = _retired(institution, "R1"), _retired(institution, "R2")
    upload = io.BytesIO(b"%PDF-1.4 bordereau")
    upload.name = "bsd.pdf"
    response = client.post(
        reverse("reuse_decide"),
        {
            "asset": [first.pk, second.pk],
            "path": "recycling",
            "decided_on": "2026-02-01",
            "beneficiary_kind": "eco_organism",
            "eco_organism": "ecosystem",
            "document": upload,
        },
    )
    assert response.status_code == 302
    documents = {d.document.name for d in Asset.objects.get(pk=first.pk).disposals.all()} | {
        d.document.name for d in Asset.objects.get(pk=second.pk).disposals.all()
    }
    (name,) = documents
    assert (tmp_path / name).read_bytes() == b"%PDF-1.4 bordereau"


def test_the_annual_report_has_its_reuse_section_in_pdf_and_odt(institution):
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H

    from sobrio.reports import render
    from sobrio.reports import services as reports
    from sobrio.reports.models import Kind

    stock = [_retired(institution, f"A{i}") for i in range(1, 3)]
    services.decide(_wiped(stock[0]), "donation", on=D(2026, 2, 1), kind="staff")
    report = reports.create(institution, Kind.ANNUAL, "2026")
    data = reports.data_for(report)
    assert data["reuse"]["rate"] == {
        "reformed_stock_jan1": 2,
        "reused": 1,
        "excluded": 0,
        "rate": 50.0,
    }
    pdf = PdfReader(io.BytesIO(render.pdf(report, data)))
    assert "Taux de réemploi 2026 : 50" in "".join(p.extract_text() for p in pdf.pages)
    doc = load(io.BytesIO(render.odt(report, data)))
    assert "Réemploi" in [teletype.extractText(h) for h in doc.getElementsByType(H)]


def test_wipe_certificates_after_the_donation_by_file_cli_and_page(institution, tmp_path, client):
    given = _retired(institution, "W1", serial_number="PF-1")
    services.decide(_wiped(given), "donation", on=D(2026, 2, 1), kind="staff")
    other = _retired(institution, "W2", serial_number="PF-2")
    _retired(InstitutionFactory(), "X1", serial_number="PF-3")  # another institution's
    report = (
        "Numéro de série;Méthode;Outil;Date\n"
        "pf-1;Purge NVMe;Blancco;12/02/2026\n"
        "PF-2;Clear;nwipe;12/02/2026\n"
        "PF-3;Clear;nwipe;12/02/2026\n"
    )
    path = tmp_path / "certificats.csv"
    path.write_text(report)
    with pytest.raises(CommandError):
        call_command("reuse", "wipes", str(path), "--institution", "univ")
    assert not Sanitisation.objects.filter(done_on=D(2026, 2, 12)).exists()  # all or nothing
    with pytest.raises(ImportFailure) as failure:
        services.import_wipes(institution, report.encode(), "certificats.csv")
    assert [(p.line, p.column) for p in failure.value.problems] == [(4, "serial")]
    path.write_text(report.rsplit("PF-3", 1)[0])
    call_command("reuse", "wipes", str(path), "--institution", "univ", "--done-by", "Ateliers")
    rows = Sanitisation.objects.filter(done_on=D(2026, 2, 12)).order_by("asset__serial_number")
    assert [(s.asset, s.category, s.done_by) for s in rows] == [
        (given, "purge", "Ateliers"), (other, "clear", "Ateliers")]  # fmt: skip
    officer = MembershipFactory(institution=institution, role="officer").user
    client.force_login(officer)
    page = client.get(reverse("reuse_wipes"))
    assert page.status_code == 200 and "Importer des rapports d'effacement" in page.content.decode()
    upload = SimpleUploadedFile("c.csv", b"Serial;Method\nPF-404;Clear\n", "text/csv")
    answer = client.post(reverse("reuse_wipes"), {"file": upload})
    assert "PF-404".lower() in answer.content.decode().lower() and answer.status_code == 200


def test_a_file_says_a_buyer_committed_to_reuse_with_its_proof(institution):
    for n in ("V1", "V2", "V3", "V4"):
        _wiped(_retired(institution, n))
    header = (
        "Numéro d'inventaire;Destination;Date;Bénéficiaire;Type de bénéficiaire;"
        "Engagement de réemploi;Référence du justificatif\n"
    )
    wrong = (header + "V1;domain_sale;10/02/2026;Brocante;;oui;\n"
             "V2;domain_sale;10/02/2026;Brocante;;peut-être;PV 12\n").encode()  # fmt: skip
    with pytest.raises(ImportFailure) as failure:
        services.import_decisions(wrong, "ventes.csv", institution)
    assert [(p.line, p.column) for p in failure.value.problems] == [
        (2, "Référence du justificatif"),
        (3, "Engagement de réemploi"),
    ]
    right = (header + "V1;domain_sale;10/02/2026;Reconditionneur;;oui;Contrat 2026-07\n"
             "V2;domain_sale;10/02/2026;Brocante;;non;\n"
             "V3;takeback_reuse;10/02/2026;Fournisseur;supplier;Oui;Attestation F-88\n"
             "V4;recycling;10/02/2026;Écosystème;eco_organism;;\n").encode()  # fmt: skip
    assert services.import_decisions(right, "ventes.csv", institution)[0] == 4
    sold = Disposal.objects.get(asset__inventory_number="V1")
    assert sold.committed_reuse and sold.document_ref == "Contrat 2026-07"
    figures = services.rate(institution, 2026)
    assert figures["reformed_stock_jan1"] == 4 and figures["reused"] == 2  # V1 and V3


def test_a_device_exactly_ten_years_old_is_not_over_ten(institution):
    exactly = _retired(institution, "T1", on=D(2025, 1, 1), purchase=D(2015, 1, 1))
    over = _retired(institution, "T2", on=D(2025, 1, 2), purchase=D(2015, 1, 1))
    leap = _retired(institution, "T3", on=D(2026, 2, 28), purchase=D(2016, 2, 29))
    assert not services._over_ten_years(exactly, exactly.retirement_date)
    assert services._over_ten_years(over, over.retirement_date)
    assert not services._over_ten_years(leap, leap.retirement_date)
    assert services.rate(institution, 2026)["excluded"] == 1  # T2 only


def test_a_huge_retention_is_refused_and_never_stops_the_purge_of_other_campaigns(db):
    """Issue 26: retention_days=3000000 once crashed the daily purge (date overflow) before
    it reached the campaigns after it, of any institution."""
    from django.core.exceptions import ValidationError as Invalid

    from sobrio.reuse.models import Application, RedistributionCampaign
    from tests.factories import FACTORIES

    long_ago = datetime.date.today() - datetime.timedelta(days=800)
    first = FACTORIES[Application](campaign__closes_on=long_ago, campaign__opens_on=long_ago)
    second = FACTORIES[Application](campaign__closes_on=long_ago, campaign__opens_on=long_ago)
    huge = first.campaign
    huge.retention_days = 3_000_000
    with pytest.raises(Invalid, match="3653"):
        huge.full_clean()
    RedistributionCampaign.objects.filter(pk=huge.pk).update(retention_days=3_000_000)
    assert services.purge_expired() == 1  # the other campaign's application went
    assert list(Application.objects.all()) == [first]
    assert second.campaign.applications.count() == 0


def test_the_agir_page_says_the_reuse_rate_in_french(institution, rf):
    """« 33,3 % », not « 33.3 % »: every figure goes through core.numbers.num (issue 25)."""
    from django.utils import timezone, translation

    from sobrio.core import dashboard

    year = timezone.localdate().year
    stock = [_retired(institution, f"R{i}", on=D(year - 1, 6, 1)) for i in range(3)]
    services.decide(_wiped(stock[0]), "donation", on=D(year, 1, 15), kind="staff")
    request = rf.get("/agir/")
    request.institution = institution
    (part,) = [p for p in dashboard.PARTS if p.key == "reuse"]
    with translation.override("fr"):
        assert part.figure(request) == f"Taux de réemploi {year} : 33,3 %"


def test_the_agir_page_lists_its_parts_and_promises_nothing(institution, client):
    client.force_login(MembershipFactory(institution=institution, role=Role.VIEWER).user)
    page = client.get(reverse("act")).content.decode()
    assert "prochaine version" not in page
    for part in ("Réemploi", "Quiz"):
        assert part in page
