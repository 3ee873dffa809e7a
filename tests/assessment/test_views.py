import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sobrio.assessment import services
from sobrio.assessment.models import Answer, Campaign
from sobrio.core.enums import Role
from sobrio.referentials.models import Item
from tests.factories import CampaignFactory, ReferentialFactory


def text(response):
    import html

    return html.unescape(response.content.decode())


@pytest.fixture
def campaign(institution):
    return CampaignFactory(institution=institution, name="Autoévaluation 2026")


def test_the_officer_creates_a_campaign_from_the_web(client_as, members, institution):
    referential = ReferentialFactory(institution=institution)
    client = client_as(members[Role.OFFICER])
    response = client.post(
        reverse("assess_campaign_create"),
        {
            "referential": referential.pk,
            "name": "Audit 2027",
            "starts_on": "2027-01-10",
            "ends_on": "2027-03-31",
            "working_group": [members[Role.CONTRIBUTOR].pk],
        },
    )
    campaign = Campaign.objects.get(name="Audit 2027")
    assert response.status_code == 302
    assert campaign.answers.count() == 3
    assert list(campaign.working_group.all()) == [members[Role.CONTRIBUTOR]]


def test_a_campaign_ending_before_it_starts_is_refused(client_as, members, institution):
    referential = ReferentialFactory(institution=institution)
    response = client_as(members[Role.OFFICER]).post(
        reverse("assess_campaign_create"),
        {
            "referential": referential.pk,
            "name": "x",
            "starts_on": "2027-03-01",
            "ends_on": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert "La fin précède le début." in text(response)
    assert not Campaign.objects.exists()


def test_a_contributor_reads_an_item_not_theirs_but_cannot_answer_it(client_as, members, campaign):
    target = campaign.answers.get(item__code="A.1")
    client = client_as(members[Role.CONTRIBUTOR])
    url = reverse("assess_answer", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "ne vous est pas attribué" in text(page)
    assert client.post(url, {"status": "realise"}).status_code == 403
    target.refresh_from_db()
    assert target.status == "a_evaluer"


def test_the_assigned_contributor_answers_with_indicators_and_evidence(
    client_as, members, campaign
):
    contributor = members[Role.CONTRIBUTOR]
    services.answers_assign(
        campaign=campaign, answers=campaign.answers.filter(item__code="A.1"), assignee=contributor
    )
    target = campaign.answers.get(item__code="A.1")
    client = client_as(contributor)
    url = reverse("assess_answer", args=[target.pk])
    response = client.post(
        url, {"status": "experimentation", "comment": "Pilote en cours", "indicator_0": "3"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == "experimentation"
    assert target.indicator_values == {"Un indicateur": "3"}
    assert target.answered_by == contributor.user

    upload = SimpleUploadedFile(
        "compte-rendu.pdf", b"%PDF-1.4 test", content_type="application/pdf"
    )
    response = client.post(url, {"action": "evidence", "label": "", "upload": upload})
    assert response.status_code == 302
    evidence = target.evidence.get()
    assert evidence.size == len(b"%PDF-1.4 test")
    download = client_as(members[Role.VIEWER]).get(reverse("assess_evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_assigning_a_family_from_the_web(client_as, members, campaign):
    client = client_as(members[Role.OFFICER])
    response = client.post(
        reverse("assess_campaign_assign", args=[campaign.pk]),
        {"family": "A", "assignee": members[Role.CONTRIBUTOR].pk, "due_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert campaign.answers.filter(assignee=members[Role.CONTRIBUTOR]).count() == 3
    my_items = client_as(members[Role.CONTRIBUTOR]).get(reverse("assess_my_items"))
    assert "A.1" in text(my_items) and "A.3" in text(my_items)


def test_unknown_codes_in_an_assignment_are_named(client_as, members, campaign):
    response = client_as(members[Role.OFFICER]).post(
        reverse("assess_campaign_assign", args=[campaign.pk]),
        {"codes": "A.1, Z.9", "assignee": members[Role.CONTRIBUTOR].pk},
    )
    assert response.status_code == 200
    assert "Codes inconnus : Z.9" in text(response)
    assert not Answer.objects.filter(assignee__isnull=False).exists()


def test_closing_from_the_web_freezes_the_page(client_as, members, campaign):
    client = client_as(members[Role.OFFICER])
    client.post(reverse("assess_campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.is_closed
    page = client.get(reverse("assess_campaign", args=[campaign.pk]))
    assert "les réponses et les scores sont figés" in text(page)
    answer_page = client.get(reverse("assess_answer", args=[campaign.answers.first().pk]))
    assert "ses réponses ne changent plus" in text(answer_page)


def test_imported_markdown_cannot_carry_script(client_as, members, institution):
    referential = ReferentialFactory(institution=institution)
    Item.objects.filter(referential=referential, code="A.1").update(
        body="## Titre\n\n<script>alert(1)</script>[lien](javascript:alert(2)) **gras**"
    )
    page = client_as(members[Role.VIEWER]).get(
        reverse("assess_referential_detail", args=[referential.pk])
    )
    content = page.content.decode()
    assert "<strong>gras</strong>" in content
    assert "<h4>Titre</h4>" in content
    assert "<script>alert" not in content
    assert "javascript:" not in content


def test_the_campaign_list_runs_a_fixed_number_of_queries(
    client_as, members, institution, django_assert_max_num_queries
):
    client = client_as(members[Role.VIEWER])
    for n in range(6):
        CampaignFactory(institution=institution, name=f"Campagne {n}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assess"))
    assert text(response).count("Campagne ") >= 6


def test_items_filter_by_family_status_and_mine(client_as, members, campaign):
    services.answers_assign(
        campaign=campaign,
        answers=campaign.answers.filter(item__code="A.2"),
        assignee=members[Role.CONTRIBUTOR],
    )
    client = client_as(members[Role.CONTRIBUTOR])
    response = client.get(reverse("assess_campaign_items", args=[campaign.pk]), {"moi": "1"})
    assert "A.2" in text(response) and "Item A.1" not in text(response)


def test_the_web_import_of_answers_reports_lines(client_as, members, campaign):
    upload = SimpleUploadedFile("r.csv", "code;statut\nA.1;Réalisé\nA.2;??\n".encode())
    response = client_as(members[Role.OFFICER]).post(
        reverse("assess_answers_import", args=[campaign.pk]), {"file": upload}
    )
    assert response.status_code == 200
    assert "r.csv, ligne 3, colonne statut" in text(response)
    assert campaign.answers.get(item__code="A.1").status == "a_evaluer"
