import json

import pytest
import tablib
from django.core.management import CommandError, call_command

from sobrio.assessment.models import Campaign
from sobrio.referentials.models import Referential


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_referential_import_shared_and_private_then_list(db, official, institution):
    shared = json.loads(
        run(
            "referential",
            "import",
            str(official / "rgesn-2024" / "referentiel-ecoconception.json"),
            "--format",
            "json",
        )
    )
    assert (shared["name"], shared["version"], shared["families"], shared["items"]) == (
        "RGESN",
        "2024",
        9,
        78,
    )
    assert shared["shared"] is True
    private = json.loads(
        run(
            "referential",
            "import",
            str(official / "guide-bonnes-pratiques-nr-2023"),
            "--institution",
            "essai",
            "--format",
            "json",
        )
    )
    assert (private["families"], private["items"], private["shared"]) == (9, 59, False)
    listing = json.loads(run("referential", "list", "--format", "json"))
    assert {(r["id"], r["items"]) for r in listing} == {(shared["id"], 78), (private["id"], 59)}


def test_referential_import_of_an_unreadable_file_fails_and_stores_nothing(db, tmp_path):
    bad = tmp_path / "grille.csv"
    bad.write_text("code;famille;titre\n1;A;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 2, colonne titre"):
        run("referential", "import", str(bad))
    assert not Referential.objects.exists()


def test_assessment_create_answers_and_show(db, official, institution, tmp_path):
    referential = json.loads(
        run(
            "referential",
            "import",
            str(official / "rgesn-2024" / "referentiel-ecoconception.json"),
            "--format",
            "json",
        )
    )
    out = run(
        "assessment",
        "create",
        "--institution",
        "essai",
        "--referential",
        str(referential["id"]),
        "--name",
        "Audit ENT",
        "--scope",
        "ENT",
    )
    campaign_id = int(out.strip().splitlines()[-1])
    assert Campaign.objects.get(pk=campaign_id).scope == "ENT"

    sheet = tablib.Dataset(headers=["code", "statut", "commentaire"])
    sheet.append(["1.1", "Validé", ""])  # Prioritaire: 1.5
    sheet.append(["1.2", "Non applicable", "hors périmètre"])
    answers = tmp_path / "answers.xlsx"
    answers.write_bytes(sheet.export("xlsx"))
    assert "2 answers updated" in run("assessment", "answers", str(campaign_id), str(answers))

    shown = json.loads(run("assessment", "show", str(campaign_id), "--format", "json"))
    assert shown["counts"]["valide"] == 1 and shown["counts"]["non_applicable"] == 1
    assert shown["counts"]["a_evaluer"] == 76
    assert 0 < shown["score"] < 100
    assert set(shown["families"]) == {str(n) for n in range(1, 10)}


def test_assessment_answers_with_a_bad_status_imports_nothing(db, institution, tmp_path):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(institution=institution)
    bad = tmp_path / "r.csv"
    bad.write_text("code;statut\nA.1;Réalisé\nA.2;Fini\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 3, colonne statut"):
        run("assessment", "answers", str(campaign.pk), str(bad))
    assert campaign.answers.filter(status="realise").count() == 0
