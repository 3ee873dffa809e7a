import datetime
import io

import pytest
import tablib
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sobrio.assessment import exports, services
from sobrio.assessment.models import Answer, Campaign
from sobrio.core.enums import Role
from sobrio.referentials.models import Item
from tests.factories import CampaignFactory, ReferentialFactory, UnitFactory


@pytest.fixture
def campaign(institution):
    return CampaignFactory(institution=institution, name="Autoévaluation 2026")


def answer(campaign, code):
    return campaign.answers.select_related("item", "campaign__referential").get(item__code=code)


def test_a_campaign_answers_every_item_of_its_referential(campaign):
    assert list(campaign.answers.values_list("item__code", "status")) == [
        ("A.1", "a_evaluer"),
        ("A.2", "a_evaluer"),
        ("A.3", "a_evaluer"),
    ]


def test_a_campaign_cannot_use_another_institutions_referential(institution):
    from tests.factories import InstitutionFactory

    foreign = ReferentialFactory(institution=InstitutionFactory())
    with pytest.raises(ValidationError):
        services.campaign_create(institution=institution, referential=foreign, name="x")


def test_a_contributor_answers_what_is_assigned_to_them_or_their_unit_only(campaign, members):
    contributor = members[Role.CONTRIBUTOR]
    mine, unit_one, other = (answer(campaign, c) for c in ("A.1", "A.2", "A.3"))
    services.answers_assign(
        campaign=campaign, answers=Answer.objects.filter(pk=mine.pk), assignee=contributor
    )
    dsi = contributor.units.get()
    sub_unit = UnitFactory(institution=campaign.institution, parent=dsi)
    services.answers_assign(
        campaign=campaign, answers=Answer.objects.filter(pk=unit_one.pk), unit=sub_unit
    )
    mine.refresh_from_db()
    unit_one.refresh_from_db()
    services.answer_update(answer=mine, membership=contributor, status="Réalisé")
    services.answer_update(answer=unit_one, membership=contributor, status="reflexion")
    with pytest.raises(PermissionDenied):
        services.answer_update(answer=other, membership=contributor, status="realise")
    with pytest.raises(PermissionDenied):
        services.answer_update(answer=other, membership=members[Role.VIEWER], status="realise")
    assert answer(campaign, "A.1").status == "realise"
    assert answer(campaign, "A.2").status == "reflexion"
    assert answer(campaign, "A.3").status == "a_evaluer"


def test_a_status_not_on_the_scale_is_refused(campaign, members):
    with pytest.raises(ValidationError):
        services.answer_update(
            answer=answer(campaign, "A.1"), membership=members[Role.OFFICER], status="Validé"
        )


def test_a_closed_campaign_stays_frozen(campaign, members):
    officer = members[Role.OFFICER]
    services.answer_update(answer=answer(campaign, "A.1"), membership=officer, status="realise")
    services.campaign_close(campaign=campaign)
    frozen = services.campaign_data(campaign)
    assert frozen["results"]["score"] == pytest.approx(1.5 / 3.75 * 100, abs=0.05)

    # Nothing done afterwards changes it: answers are read-only...
    with pytest.raises(ValidationError):
        services.answer_update(answer=answer(campaign, "A.2"), membership=officer, status="realise")
    with pytest.raises(ValidationError):
        services.evidence_add(
            answer=answer(campaign, "A.2"), membership=officer, url="https://x.org"
        )
    # ...and even a changed referential or a row changed behind the service's back is ignored.
    Item.objects.filter(referential=campaign.referential, code="A.1").update(title="Réécrit")
    Answer.objects.filter(campaign=campaign).update(status="realise")
    campaign.refresh_from_db()
    again = services.campaign_data(campaign)
    assert again == frozen
    assert again["answers"][0]["title"] == "Item A.1"


def test_evidence_is_limited_in_type_and_size(campaign, members, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    officer = members[Role.OFFICER]
    target = answer(campaign, "A.1")
    with pytest.raises(ValidationError, match="Type de fichier refusé"):
        services.evidence_add(
            answer=target, membership=officer, upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    with pytest.raises(ValidationError, match="trop volumineux"):
        services.evidence_add(
            answer=target, membership=officer, upload=SimpleUploadedFile("cr.pdf", b"%PDF" * 10)
        )
    link = services.evidence_add(answer=target, membership=officer, url="https://intranet/cr")
    assert target.evidence.get() == link


def _sheet(rows, fmt="csv"):
    if fmt == "csv":
        return "\n".join(";".join(r) for r in rows).encode("utf-8")
    data = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        data.append(row)
    return data.export(fmt)


def test_answers_imported_from_a_sheet_all_or_nothing(campaign, members):
    officer = members[Role.OFFICER]
    bad = _sheet(
        [
            ["code", "statut", "commentaire"],
            ["A.1", "Réalisé", "fait en mars"],
            ["A.9", "Réalisé", ""],
            ["A.2", "Presque", ""],
        ]
    )
    with pytest.raises(ValidationError) as error:
        services.answers_import(campaign=campaign, data=bad, filename="r.csv", membership=officer)
    messages = error.value.messages
    assert "r.csv, ligne 3, colonne code : code inconnu dans ce référentiel : A.9" in messages
    assert any(
        m.startswith("r.csv, ligne 4, colonne statut : statut « Presque » inconnu")
        for m in messages
    )
    assert answer(campaign, "A.1").status == "a_evaluer", "nothing was imported"

    good = _sheet(
        [
            ["Code", "Statut", "Commentaire"],
            ["A.1", "réalisé", "fait en mars"],
            ["A.2", "En réflexion", ""],
        ],
        "xlsx",
    )
    changed = services.answers_import(
        campaign=campaign, data=good, filename="r.xlsx", membership=officer
    )
    assert changed == 2
    assert (answer(campaign, "A.1").status, answer(campaign, "A.1").comment) == (
        "realise",
        "fait en mars",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "vide"),
        (b"\x00\x01\x02", "binaire"),
        (b"nom;prenom\nA;B\n", "colonnes « code » et « statut »"),
        (b"PK\x03\x04broken", "classeur illisible"),
    ],
)
def test_a_broken_answers_file_gets_a_clear_error(campaign, members, data, expected):
    with pytest.raises(ValidationError, match=expected):
        services.answers_import(
            campaign=campaign,
            data=data,
            filename="r.xlsx" if data[:2] == b"PK" else "r.csv",
            membership=members[Role.OFFICER],
        )


def test_reminders_go_to_the_people_assigned_items_due_soon(campaign, members):
    today = datetime.date(2026, 11, 20)
    contributor = members[Role.CONTRIBUTOR]
    services.answers_assign(
        campaign=campaign,
        answers=campaign.answers.filter(item__code="A.1"),
        assignee=contributor,
        due_on=today + datetime.timedelta(days=3),
    )
    services.answers_assign(
        campaign=campaign,
        answers=campaign.answers.filter(item__code="A.2"),
        unit=contributor.units.get(),
        due_on=today - datetime.timedelta(days=1),
    )
    services.answers_assign(
        campaign=campaign,
        answers=campaign.answers.filter(item__code="A.3"),
        assignee=members[Role.OFFICER],
        due_on=today + datetime.timedelta(days=60),
    )
    sent = services.reminders_send(institution=campaign.institution, today=today)
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == [contributor.user.email]
    assert "A.1" in message.body and "A.2" in message.body and "A.3" not in message.body


def test_two_campaigns_compare_item_by_item(institution, members):
    referential = ReferentialFactory(institution=institution)
    officer = members[Role.OFFICER]
    before = CampaignFactory(institution=institution, referential=referential, name="2025")
    after = CampaignFactory(institution=institution, referential=referential, name="2026")
    services.answer_update(answer=answer(before, "A.1"), membership=officer, status="realise")
    services.answer_update(answer=answer(after, "A.2"), membership=officer, status="realise")
    services.campaign_close(campaign=before)
    comparison = services.compare(before, after)
    trends = {item.code: item.trend for item in comparison["items"]}
    assert trends == {"A.1": "down", "A.2": "up", "A.3": "same"}
    assert comparison["score_before"] == 40.0  # 1.5 / 3.75
    assert comparison["score_after"] == pytest.approx(33.3)  # 1.25 / 3.75


def test_spreadsheet_exports_hold_what_the_screen_shows(campaign, members):
    services.answer_update(
        answer=answer(campaign, "A.1"),
        membership=members[Role.OFFICER],
        status="realise",
        comment="Lettre signée",
    )
    services.evidence_add(
        answer=answer(campaign, "A.1"), membership=members[Role.OFFICER], url="https://intra/l"
    )
    data = services.campaign_data(campaign)
    for fmt in ("xlsx", "ods"):
        book = tablib.Databook().load(exports.table_bytes(data, fmt), format=fmt)
        answers, scores = book.sheets()
        first = dict(zip(answers.headers, answers[0], strict=True))
        assert first["Code"] == "A.1"
        assert first["Statut"] == "Réalisé"
        assert first["Commentaire"] == "Lettre signée"
        assert first["Preuves"] == "https://intra/l"
        assert scores[-1][1] == data["results"]["score"] == 40.0


def test_the_pdf_report_holds_the_score_and_every_item(campaign, members, rf):
    from pypdf import PdfReader

    services.answer_update(
        answer=answer(campaign, "A.1"), membership=members[Role.OFFICER], status="realise"
    )
    data = services.campaign_data(campaign)
    request = rf.get("/")
    pdf = exports.campaign_pdf(request, campaign, data)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Autoévaluation 2026" in text
    assert "40.0" in text or "40,0" in text
    for code in ("A.1", "A.2", "A.3"):
        assert code in text
    assert "1 / " in text, "page numbers"


def test_the_declaration_is_public_only_once_published(client, institution, members):
    referential = ReferentialFactory(institution=institution, scale="rgesn")
    campaign = CampaignFactory(institution=institution, referential=referential, scope="ENT")
    url = f"/declaration/{campaign.public_token}/"
    assert client.get(url).status_code == 404
    services.declaration_publish(campaign=campaign, published=True)
    response = client.get(url)
    assert response.status_code == 200
    assert "ENT" in response.content.decode()
    pdf = client.get(url + "declaration.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/declaration/{Campaign().public_token}/").status_code == 404
