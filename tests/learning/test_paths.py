"""Modules, paths and certificates: validated by a quiz, a workshop or a jury; the
certificate issued once every module is, and checked by anyone at its address."""

import io

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from pypdf import PdfReader

from sobrio.core.enums import Role
from sobrio.learning import paths, quizzes, workshops
from sobrio.learning.models import Certificate, Module, ModuleValidation, Path, PathModule
from tests.factories import InstitutionFactory, MembershipFactory, SessionFactory


@pytest.fixture
def world(db):
    institution = InstitutionFactory(slug="univ", participant_domains="example.org")
    quiz, _, _ = quizzes.import_gift(institution, b"Vrai ?{T}\n\nFaux ?{F}\n", "q.gift")
    quiz.published, quiz.pass_mark = True, 50
    quiz.save()
    session = SessionFactory(institution=institution, capacity=10)
    path = Path.objects.create(institution=institution, title="Ambassadeur", published=True,
                               sequential=True)  # fmt: skip
    modules = [
        Module.objects.create(
            institution=institution, title="Enjeux", validation="quiz", quiz=quiz
        ),  # fmt: skip
        Module.objects.create(
            institution=institution,
            title="Fresque",
            validation="workshop",
            workshop_kind=session.kind,
        ),  # fmt: skip
        Module.objects.create(institution=institution, title="Projet", validation="decision"),
    ]
    for i, m in enumerate(modules, start=1):
        PathModule.objects.create(institution=institution, path=path, module=m, position=i)
    person = MembershipFactory(institution=institution, role=Role.PARTICIPANT,
                               user__full_name="Camille Durand")  # fmt: skip
    officer = MembershipFactory(institution=institution, role=Role.OFFICER)
    return {"i": institution, "quiz": quiz, "session": session, "path": path,
            "modules": modules, "person": person.user, "officer": officer.user}  # fmt: skip


def _answer(quiz, user, values):
    attempt = quizzes.start(quiz, user)
    post = QueryDict(mutable=True)
    for q, value in zip(quiz.questions.order_by("position"), values, strict=True):
        post[f"page-q{q.pk}"] = "1"
        post[f"q{q.pk}"] = value
    quizzes.save_answers(attempt, post)
    return quizzes.finish(attempt)


def test_each_module_is_validated_by_what_it_says_then_the_certificate_comes(world):
    person, (enjeux, fresque, projet) = world["person"], world["modules"]
    _answer(world["quiz"], person, ["0", "1"])  # both wrong: 0 %
    assert not ModuleValidation.objects.exists()
    _answer(world["quiz"], person, ["1", "0"])  # both right
    assert ModuleValidation.objects.get().module == enjeux
    registration = workshops.register(world["session"], person)
    workshops.check_in(registration)
    assert set(ModuleValidation.objects.values_list("module", flat=True)) == {enjeux.pk, fresque.pk}
    assert not Certificate.objects.exists()
    mail.outbox.clear()
    paths.validate(projet, person, "decision", by=world["officer"], comment="Bon travail")
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Camille Durand"
    assert mail.outbox and "/verifier/" in mail.outbox[0].body


def test_a_sequential_path_opens_module_after_module(world):
    person = world["person"]
    opened = [open_ for _m, _v, open_ in paths.progress(world["path"], person)]
    assert opened == [True, False, False]
    paths.validate(world["modules"][0], person, "quiz")
    assert [o for _m, _v, o in paths.progress(world["path"], person)] == [True, True, False]


def test_the_certificate_pdf_is_its_holders_and_its_code_says_if_it_is_genuine(world, client):
    person = world["person"]
    for module in world["modules"]:
        paths.validate(module, person, module.validation)
    certificate = Certificate.objects.get()
    client.force_login(person)
    url = reverse(
        "participate_certificate", kwargs={"slug": "univ", "certificate_id": certificate.pk}
    )
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Camille Durand" in text and "Ambassadeur" in text and certificate.code in text
    other = MembershipFactory(institution=world["i"], role=Role.PARTICIPANT)
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    client.logout()
    verify = reverse("certificate_verify", kwargs={"code": certificate.code})
    page = client.get(verify)
    assert page.status_code == 200 and "Attestation authentique" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex" and person.email not in page.content.decode()
    paths.revoke(certificate)
    assert "a été retirée" in client.get(verify).content.decode()
    missing = client.get(reverse("certificate_verify", kwargs={"code": "faux"}))
    assert missing.status_code == 404


def test_a_jury_decides_from_its_page_and_the_officer_sees_who_is_where(world, client):
    client.force_login(world["officer"])
    projet = world["modules"][2]
    url = reverse("learning_module_decide", kwargs={"module_id": projet.pk})
    unknown = client.post(url, {"email": "nobody@example.org", "passed": "1", "on": "2026-06-30"})
    assert "ne participe pas" in unknown.content.decode()
    client.post(url, {"email": world["person"].email, "passed": "1", "on": "2026-06-30",
                      "comment": "Présentation claire"})  # fmt: skip
    validation = ModuleValidation.objects.get(module=projet)
    assert validation.decided_by == world["officer"] and validation.comment == "Présentation claire"
    detail = reverse("learning_path", kwargs={"path_id": world["path"].pk})
    assert "1 / 3" in client.get(detail).content.decode()
    csv = client.get(detail, {"format": "csv"}).content.decode("utf-8-sig")
    assert world["person"].email in csv and "1 / 3" in csv


def test_a_path_is_edited_with_the_place_of_each_module(world, client):
    client.force_login(world["officer"])
    enjeux, fresque, projet = world["modules"]
    url = reverse("learning_path_edit", kwargs={"path_id": world["path"].pk})
    client.post(url, {"title": "Ambassadeur", "published": "on", "certificate": "on",
                      f"module_{projet.pk}": "1", f"module_{enjeux.pk}": "2"})  # fmt: skip
    order = [s.module for s in paths.steps(world["path"])]
    assert order == [projet, enjeux]


def test_paths_are_the_communitys_and_my_data_holds_validations(world, client):
    outsider = MembershipFactory(institution=world["i"], role=Role.PARTICIPANT,
                                 user__email="visiteur@gmail.com")  # fmt: skip
    client.force_login(outsider.user)
    url = reverse("participate_path", kwargs={"slug": "univ", "path_id": world["path"].pk})
    assert client.get(url).status_code == 404
    person = world["person"]
    paths.validate(world["modules"][0], person, "quiz")
    client.force_login(person)
    assert "Enjeux" in client.get(url).content.decode()
    data = client.get(reverse("participate_data", kwargs={"slug": "univ"})).content.decode()
    assert "Modules et attestations" in data and "Enjeux" in data
    client.post(reverse("participate_data_erase", kwargs={"slug": "univ"}), {"confirm": "oui"})
    assert not ModuleValidation.objects.exists()


def test_a_holder_without_a_name_is_initials_in_public_until_they_choose_one(world, client):
    """A public page never shows an address: initials; the name chosen in « Mes données »
    then goes on the certificate (issue 22)."""
    nameless = MembershipFactory(institution=world["i"], role=Role.PARTICIPANT, user__full_name="",
                                 user__email="camille.nouveau@example.org")  # fmt: skip
    for module in world["modules"]:
        paths.validate(module, nameless.user, module.validation)
    certificate = Certificate.objects.get(user=nameless.user)
    assert certificate.holder_name == "C. N."
    verify = reverse("certificate_verify", kwargs={"code": certificate.code})
    page = client.get(verify).content.decode()
    assert "C. N." in page and "camille.nouveau" not in page
    # an older certificate that kept an address shows initials too
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=nameless.user.email)
    assert "camille.nouveau" not in client.get(verify).content.decode()
    client.force_login(nameless.user)
    answer = client.post(reverse("participate_data", kwargs={"slug": "univ"}),
                         {"full_name": "  Camille   Nouveau ", "affiliation": ""})  # fmt: skip
    assert answer.status_code == 302
    nameless.user.refresh_from_db()
    assert nameless.user.full_name == "Camille Nouveau" and nameless.user.name_chosen
    assert Certificate.objects.get(pk=certificate.pk).holder_name == "Camille Nouveau"
    client.logout()
    assert "Camille Nouveau" in client.get(verify).content.decode()
