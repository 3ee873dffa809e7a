"""GIFT read as Moodle reads it, written so that it reads back alike."""

from pathlib import Path

import pytest

from sobrio.learning import gift

FIXTURE = Path(__file__).parent / "fixtures" / "sobriete.gift"


@pytest.fixture(scope="module")
def parsed():
    questions, problems = gift.parse(FIXTURE.read_text(encoding="utf-8"))
    assert not problems, problems
    return {q.name: q for q in questions}


def test_every_question_gets_moodles_type(parsed):
    expected = {
        "Fabrication": "multichoice", "Réemploi": "truefalse", "Durée": "numerical",
        "Fourchette": "numerical", "Partiel": "numerical", "Abréviation": "shortanswer",
        "Joker": "shortanswer", "Paires": "match", "Deux paires": "match",
        "Plusieurs réponses": "multichoice", "Mot manquant": "multichoice",
        "Format": "multichoice", "Texte html": "multichoice", "Libre": "essay",
        "Consigne": "description", "Échappements: le retour": "multichoice",
        "Sur deux lignes": "truefalse", "Mails": "multichoice",
    }  # fmt: skip
    assert {name: q.qtype for name, q in parsed.items() if name} == expected
    unnamed = [q for name, q in parsed.items() if not name]
    assert [q.qtype for q in unnamed] == ["truefalse"]
    counts = gift.moodle_type_counts(parsed.values())
    assert counts == {"multichoice": 7, "truefalse": 3, "shortanswer": 2, "numerical": 3,
                      "match": 2, "essay": 1, "description": 1}  # fmt: skip


def test_answers_weights_and_feedback(parsed):
    q = parsed["Fabrication"]
    assert q.data["single"] is True
    assert [(a["text"], a["fraction"]) for a in q.data["answers"]] == [
        ("La fabrication", 1.0), ("L'usage", 0.0), ("La fin de vie", 0.0)]  # fmt: skip
    assert q.data["answers"][0]["feedback"] == "Oui : c'est elle qui domine."
    assert q.general_feedback.startswith("Allonger la durée de vie")
    assert q.category == "$course$/Sobriété/Équipements"
    several = parsed["Plusieurs réponses"].data
    assert several["single"] is False
    assert [a["fraction"] for a in several["answers"]] == [0.5, 0.5, -1.0]
    tf = parsed["Réemploi"].data
    assert tf == {"answer": True, "feedback_wrong": "Si, c'est l'essentiel de la fabrication.",
                  "feedback_right": "Exact."}  # fmt: skip
    assert parsed["Mails"].category == "$course$/Sobriété/Données"


def test_numbers_ranges_and_partial_credit(parsed):
    assert parsed["Durée"].data["answers"][0] | {} == {
        "value": 4.0, "tolerance": 1.0, "fraction": 1.0, "feedback": ""}  # fmt: skip
    span = parsed["Fourchette"].data["answers"][0]
    assert (span["value"], span["tolerance"]) == (3.5, 1.5)
    partial = parsed["Partiel"].data
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in partial["answers"]] == [
        (2020.0, 0.0, 1.0), (2020.0, 1.0, 0.5)]  # fmt: skip
    assert partial["wrong_feedback"] == "Non : c'était en 2020."


def test_missing_word_formats_escapes_and_lines(parsed):
    assert parsed["Mot manquant"].text == "Le _____ prolonge la vie d'un équipement."
    assert parsed["Abréviation"].text.endswith("électriques et _____.")
    assert parsed["Durée"].text.endswith("dans l'administration ?")  # answers at the end
    assert parsed["Format"].text_format == "markdown" and "**le plus léger**" in parsed[
        "Format"].text  # fmt: skip
    assert parsed["Texte html"].text_format == "html"
    escaped = parsed["Échappements: le retour"]
    assert escaped.text == "Quel signe sépare deux réponses dans GIFT { par exemple } ?"
    answers = [a["text"] for a in escaped.data["answers"]]
    assert answers == ["Le tilde ~ ou le signe =", "Le dièse #", "La barre oblique inverse \\"]
    assert escaped.data["answers"][1]["feedback"] == "Non, # introduit un commentaire."
    assert parsed["Sur deux lignes"].text == "Première ligne\nseconde ligne."
    pairs = parsed["Paires"].data["pairs"]
    assert pairs[2] == {"left": "Écran", "right": "8 ans"}
    assert parsed["Fabrication"].line == 6


def test_writing_then_reading_gives_the_same_questions():
    questions, _ = gift.parse(FIXTURE.read_text(encoding="utf-8"))
    text = gift.write(questions)
    again, problems = gift.parse(text)
    assert not problems
    assert again == questions
    assert gift.write(again) == text


def test_broken_blocks_are_reported_with_their_line_and_the_rest_is_read():
    text = (
        "Bonne question ?{=oui ~non}\n\n"
        "// un commentaire\n"
        "Accolade ouverte {=oui ~non\n\n"
        "Un seul choix {~a}\n\n"
        "Paires {=a -> b =c}\n\n"
        "Nombre {#deux}\n\n"
        "Une autre bonne ?{T}\n"
    )
    questions, problems = gift.parse(text, "quiz.gift")
    assert [q.text for q in questions] == ["Bonne question ?", "Une autre bonne ?"]
    assert [(p.line, p.reason) for p in problems] == [
        (3, "accolades { } mal appariées"),
        (6, "une question à choix a deux réponses au moins"),
        (8, "appariement sans « -> » : « c »"),
        (10, "« deux » n'est pas un nombre"),
    ]
    assert str(problems[0]) == "quiz.gift, ligne 3 : accolades { } mal appariées"


def test_windows_line_ends_and_a_bom_are_read():
    questions, problems = gift.parse("\ufeffVrai ?{T}\r\n\r\nFaux ?{F}\r\n")
    assert not problems and [q.data["answer"] for q in questions] == [True, False]
