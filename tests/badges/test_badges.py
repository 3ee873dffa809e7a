"""Open Badges: what is served is valid for the 1EdTech reference validator (2.0) and
verifies with a JOSE library from the served key (3.0); revocation fails both; every rule
awards once and only once; lists, pages, the CLI."""

import io
import json
import uuid
import zlib

import png
import pytest
import requests
import responses
from cryptography.hazmat.primitives import serialization
from django.core import mail
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from jose import jwt as jose_jwt
from openbadges import verify as ob_verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT
from openbadges_bakery import unbake

from sobrio.badges import baking
from sobrio.badges import documents as ob
from sobrio.badges import keys as badge_keys
from sobrio.badges import services as badges
from sobrio.badges.models import BadgeAssertion, BadgeRule
from sobrio.badges.space import badges_data, badges_erase
from sobrio.cleanup import services as cleanup
from sobrio.core.enums import Role
from sobrio.ideas import services as ideas
from sobrio.learning import paths, quizzes, workshops
from sobrio.learning.models import Module, Path, PathModule
from tests.factories import (
    BadgeClassFactory,
    CleanupCampaignFactory,
    IdeaFactory,
    InstitutionFactory,
    MembershipFactory,
    RegistrationFactory,
    SessionFactory,
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    '<circle cx="32" cy="32" r="30" fill="#000091"/></svg>'
)


@pytest.fixture
def space(db):
    return InstitutionFactory(slug="univ", name="Université d'Essai")


def _person(institution, **kwargs):
    return MembershipFactory(institution=institution, role=Role.PARTICIPANT, **kwargs).user


def _itxt(data, keyword):
    """The text of a PNG's iTXt chunk, read with pypng (not Sobrio's reader)."""
    for kind, content in png.Reader(bytes=data).chunks():
        if kind == b"iTXt" and content.startswith(keyword.encode() + b"\x00"):
            body = content[len(keyword) + 1 :]
            flag, rest = body[0], body[2:]
            rest = rest.split(b"\x00", 2)[2]
            return (zlib.decompress(rest) if flag else rest).decode()
    return None


# --- formats, against live servers ------------------------------------------------------


@pytest.fixture
def served(live_server, settings):
    settings.BASE_URL = live_server.url
    return live_server.url


def _validate(url, email):
    """The reference validator, fetching everything from the live server except the
    Open Badges context (w3id.org is not reachable here), which is answered locally."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru(settings_base())
        mock.add(responses.GET, ob.OB2_CONTEXT, json=OPENBADGES_CONTEXT_V2_DICT)
        return ob_verify(
            url, recipient_profile={"email": email}, use_cache=False, cache_backend=None
        )


def settings_base():
    from django.conf import settings

    return settings.BASE_URL


@pytest.mark.django_db(transaction=True)
def test_the_reference_validator_accepts_assertion_badge_and_issuer_and_refuses_a_revoked_one(
    served,
):
    institution = InstitutionFactory(slug="v")
    badge = BadgeClassFactory(
        institution=institution, tags="sobriété, numérique", alignment_name="Écoconception",
        alignment_framework="RGESN", alignment_url="https://ecoresponsable.numerique.gouv.fr/",
    )  # fmt: skip
    assertion, _created = badges.award(
        badge, email="Camille@Example.org", evidence_url="https://example.org/preuve",
        narrative="Fresque animée",
    )  # fmt: skip
    url = f"{served}/ob/assertions/{assertion.uid}"
    for path in (url, f"{served}/ob/badges/{badge.uid}",
                 f"{served}/ob/emetteurs/{badges.issuer_of(institution).uid}"):  # fmt: skip
        response = requests.get(path, timeout=10)
        assert response.headers["Content-Type"] == "application/ld+json", path
        assert response.json()["@context"] == ob.OB2_CONTEXT

    report = _validate(url, "camille@example.org")
    assert report["report"]["valid"] is True, report["report"]["messages"]
    assert report["report"]["errorCount"] == 0
    kinds = {node.get("type") for node in report["graph"]}
    assert {"Assertion", "BadgeClass", "Issuer"} <= kinds  # all three were validated
    wrong = _validate(url, "quelquun@example.org")
    assert wrong["report"]["valid"] is False  # the hash names one address only

    badges.revoke(assertion, "Attribué par erreur")
    gone = requests.get(url, timeout=10)
    assert gone.status_code == 410
    assert (
        gone.json()["revoked"] is True and gone.json()["revocationReason"] == "Attribué par erreur"
    )
    assert _validate(url, "camille@example.org")["report"]["valid"] is False


@pytest.mark.django_db(transaction=True)
def test_baked_images_carry_the_assertion_and_ob3_verifies_from_the_served_key(served):
    institution = InstitutionFactory(slug="b")
    badge = BadgeClassFactory(institution=institution, image_svg=SVG, valid_days=365)
    assertion, _ = badges.award(badge, email="dominique@example.org")
    url = f"{served}/ob/assertions/{assertion.uid}"

    baked = requests.get(url + ".png", timeout=10)
    assert baked.headers["Content-Type"] == "image/png"
    assert unbake(io.BytesIO(baked.content)) == url  # openbadges-bakery reads it
    svg = requests.get(url + ".svg", timeout=10)
    assert unbake(io.BytesIO(svg.content)) == url

    token = _itxt(requests.get(url + "/ob3.png", timeout=10).content, "openbadgecredential")
    header = jose_jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["kid"].startswith(f"{served}/ob/cles/")
    jwk = requests.get(header["kid"], timeout=10).json()
    assert "d" not in jwk  # the public half only
    claims = jose_jwt.decode(token, jwk, algorithms=["RS256"], options={"verify_aud": False})
    issuer = badges.issuer_of(institution)
    assert claims["iss"] == f"{served}/ob/emetteurs/{issuer.uid}/v3" == claims["issuer"]["id"]
    assert claims["jti"] == f"urn:uuid:{assertion.uid}"
    assert "sub" not in claims and "id" not in claims["credentialSubject"]  # none to match
    assert jwk["kid"] == header["kid"]
    assert claims["nbf"] == int(assertion.issued_at.timestamp())
    assert claims["exp"] == int(assertion.expires_at.timestamp())
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["credentialSubject"]["achievement"]["name"] == badge.name
    status = claims["credentialStatus"]

    def revoked_bit():
        listed = requests.get(status["statusListCredential"], timeout=10).text
        body = jose_jwt.decode(listed, jwk_of(listed), algorithms=["RS256"])
        return ob.is_set(body["credentialSubject"]["encodedList"], int(status["statusListIndex"]))

    assert revoked_bit() is False
    checked = _openbadgeslib(requests.get(url + "/ob3.png", timeout=10).content, jwk)
    assert checked.valid and checked.trusted, checked.reason

    # a rotated key stops signing; what it signed still verifies from its URL
    badge_keys.rotate(issuer)
    jose_jwt.decode(token, requests.get(header["kid"], timeout=10).json(), algorithms=["RS256"],
                    options={"verify_aud": False})  # fmt: skip
    fresh = requests.get(url + "/ob3.jwt", timeout=10).text
    assert jose_jwt.get_unverified_header(fresh)["kid"] != header["kid"]

    badges.revoke(assertion, "Fraude")
    assert revoked_bit() is True
    # the independent verifier reads the status too (it checks the list with the key that
    # signed the credential: the one in use now, which signs the list since the rotation)
    rebaked = baking.bake_png(badges.image_png(badge), baking.OB3, fresh)
    checked = _openbadgeslib(rebaked, jwk_of(fresh))
    assert not checked.valid and "'revocation' is set" in checked.reason, checked.reason
    assert requests.get(url + "/ob3.png", timeout=10).status_code == 410
    result = badges.verify_baked(baking.bake_png(badges.image_png(badge), baking.OB3, token))
    assert result.version == "3.0" and result.assertion == assertion
    assert [c.ok for c in result.checks] == [True, True, False, True]  # signed, here, revoked


def _openbadgeslib(baked_png, jwk):
    """openbadgeslib's OB 3.0 verifier (PyPI), anchored on the served key, status checked."""
    from jwt.algorithms import RSAAlgorithm
    from openbadgeslib.verify import verify_badge

    pem = RSAAlgorithm.from_jwk(jwk).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    result = verify_badge(
        baked_png, "3", pubkey_pem=pem, check_status=True,
        download=lambda address: requests.get(address, timeout=10).content,
    )  # fmt: skip
    return result


def jwk_of(token):
    return requests.get(jose_jwt.get_unverified_header(token)["kid"], timeout=10).json()


def test_an_issuer_without_website_points_to_its_space(space, settings):
    settings.BASE_URL = "https://sobrio.example.org"
    issuer = badges.issuer_of(space)
    assert issuer.url == ""
    assert (
        ob.issuer_v2(issuer, settings.BASE_URL)["url"]
        == "https://sobrio.example.org/participer/univ/"
    )
    issuer.url = "https://www.univ-essai.fr"
    assert ob.profile_v3(issuer, settings.BASE_URL)["url"] == "https://www.univ-essai.fr"


def test_private_keys_are_stored_encrypted(space):
    key = badge_keys.active_key(badges.issuer_of(space))
    assert b"PRIVATE KEY" not in bytes(key.private_key)
    assert badge_keys.private_pem(key).startswith(b"-----BEGIN PRIVATE KEY-----")
    assert badge_keys.active_key(badges.issuer_of(space)) == key  # one per issuer


# --- rules: once and only once ---------------------------------------------------------


def _count(badge, user):
    return BadgeAssertion.objects.filter(badge=badge, email=user.email).count()


def _answer(quiz, user, values):
    attempt = quizzes.start(quiz, user)
    post = QueryDict(mutable=True)
    for q, value in zip(quiz.questions.order_by("position"), values, strict=True):
        post[f"page-q{q.pk}"] = "1"
        post[f"q{q.pk}"] = value
    quizzes.save_answers(attempt, post)
    return quizzes.finish(attempt)


def test_a_quiz_passed_with_the_minimum_score_awards_once(
    space, django_capture_on_commit_callbacks
):
    quiz, _, _ = quizzes.import_gift(space, b"Vrai ?{T}\n\nFaux ?{F}\n", "q.gift")
    quiz.published, quiz.pass_mark, quiz.max_attempts = True, 50, 0
    quiz.save()
    badge = BadgeClassFactory(institution=space, rule=BadgeRule.QUIZ, quiz=quiz, min_score=100)
    person = _person(space)
    _answer(quiz, person, ["1", "1"])  # 50 %: passed, under the badge's 100 %
    assert _count(badge, person) == 0
    with django_capture_on_commit_callbacks(execute=True):
        _answer(quiz, person, ["1", "0"])
        _answer(quiz, person, ["1", "0"])
    assert _count(badge, person) == 1
    assert [m.to for m in mail.outbox if badge.name in m.subject] == [[person.email]]


def test_a_module_and_a_path_award_once_the_path_badge_with_the_certificate(space, settings):
    settings.BASE_URL = "https://sobrio.example.org"
    path = Path.objects.create(institution=space, title="Ambassadeur", published=True)
    module = Module.objects.create(institution=space, title="Projet", validation="decision")
    PathModule.objects.create(institution=space, path=path, module=module, position=1)
    by_module = BadgeClassFactory(institution=space, rule=BadgeRule.MODULE, module=module)
    by_path = BadgeClassFactory(institution=space, rule=BadgeRule.PATH, path=path)
    person = _person(space)
    for _ in range(2):
        paths.validate(module, person, "decision")
    assert _count(by_module, person) == 1 and _count(by_path, person) == 1
    certificate = path.certificates.get(user=person)
    evidence = BadgeAssertion.objects.get(badge=by_path).evidence_url
    assert evidence == f"https://sobrio.example.org/verifier/{certificate.code}/"


def test_a_workshop_attended_awards_once_and_only_for_its_kind(space):
    session = SessionFactory(institution=space, capacity=5)
    other = SessionFactory(institution=space, capacity=5)
    badge = BadgeClassFactory(institution=space, rule=BadgeRule.WORKSHOP,
                              workshop_kind=session.kind)  # fmt: skip
    person = _person(space)
    elsewhere = RegistrationFactory(
        institution=space, session=other, user=person, state="confirmed"
    )
    workshops.check_in(elsewhere)
    assert _count(badge, person) == 0
    registration = RegistrationFactory(institution=space, session=session, user=person,
                                       state="confirmed")  # fmt: skip
    workshops.check_in(registration)
    workshops.check_in(registration)
    assert _count(badge, person) == 1


def test_a_cleanup_pledge_awards_once_when_it_counts(space):
    campaign = CleanupCampaignFactory(institution=space, moderate_all=True)
    badge = BadgeClassFactory(institution=space, rule=BadgeRule.CLEANUP)
    person = _person(space)
    for _ in range(2):
        cleanup.submit(campaign, {"gb_mailbox": 1}, token=uuid.uuid4(), user=person)
    assert _count(badge, person) == 0  # waiting for moderation
    cleanup.moderate(campaign.pledges.all(), True, by=None)
    assert _count(badge, person) == 1
    campaign.moderate_all = False
    campaign.save()
    cleanup.submit(campaign, {"gb_mailbox": 2}, token=uuid.uuid4(), user=person)
    assert _count(badge, person) == 1


def test_an_idea_accepted_awards_its_author_once(space):
    from sobrio.plan.models import Axis, Plan

    badge = BadgeClassFactory(institution=space, rule=BadgeRule.IDEA)
    author = _person(space)
    idea = IdeaFactory(institution=space, author=author)
    ideas.set_status(idea, "accepted")
    ideas.set_status(idea, "accepted")
    plan = Plan.objects.create(institution=space, title="Plan", starts_on="2026-01-01",
                               ends_on="2028-12-31")  # fmt: skip
    axis = Axis.objects.create(institution=space, plan=plan, name="Usages", position=1)
    ideas.to_action(idea, axis, by=None)
    assert _count(badge, author) == 1
    anonymous = IdeaFactory(institution=space, author=None)
    ideas.set_status(anonymous, "accepted")  # nobody to award: nothing, no error
    assert BadgeAssertion.objects.filter(badge=badge).count() == 1


def test_an_archived_badge_is_not_awarded_by_its_rule_nor_by_hand(space):
    session = SessionFactory(institution=space, capacity=5)
    badge = BadgeClassFactory(institution=space, rule=BadgeRule.WORKSHOP, archived=True)
    person = _person(space)
    workshops.check_in(RegistrationFactory(institution=space, session=session, user=person,
                                           state="confirmed"))  # fmt: skip
    assert _count(badge, person) == 0
    with pytest.raises(badges.AwardRefused):
        badges.award(badge, email=person.email)


# --- by hand, from a list ------------------------------------------------------------------


def test_a_list_with_a_bad_line_awards_nothing_unless_valid_rows_only(space):
    badge = BadgeClassFactory(institution=space)
    data = b"email;nom;preuve\nann@example.org;Ann;\nnot-an-address;X;\nbob@example.org;Bob;ftp://x\nann@example.org;Ann;\n"
    rows, problems = badges.read_list(data, "liste.csv")
    assert [(p.line, p.column, p.warning) for p in problems] == [
        (3, "email", False), (4, "preuve", False), (5, "email", True)]  # fmt: skip
    assert "liste.csv, ligne 3, colonne email" in str(problems[0])
    assert [r[1] for r in rows] == ["ann@example.org"]
    result = badges.award_list(badge, rows, by=None)
    assert (result.awarded, result.already) == (1, 0)
    again = badges.award_list(badge, rows, by=None)
    assert (again.awarded, again.already) == (0, 1)


def test_the_officer_awards_by_list_from_the_page_all_or_nothing(space, client):
    officer = MembershipFactory(institution=space, role=Role.OFFICER).user
    client.force_login(officer)
    badge = BadgeClassFactory(institution=space)
    url = reverse("badges_award_list", args=[badge.pk])

    def send(text, **extra):
        upload = io.BytesIO(text.encode())
        upload.name = "liste.csv"
        return client.post(url, {"file": upload, **extra})

    bad = send("courriel\nann@example.org\npas-une-adresse\n")
    assert bad.status_code == 200 and "ligne 3" in bad.content.decode()
    assert not BadgeAssertion.objects.exists()
    good = send("courriel\nann@example.org\npas-une-adresse\n", valid_only="on")
    assert good.status_code == 302
    assert list(BadgeAssertion.objects.values_list("email", flat=True)) == ["ann@example.org"]
    assert BadgeAssertion.objects.get().awarded_by == officer


# --- hostile images -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<image x:href="https://evil.example/i.png"/></svg>',
        '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "<html/>",
        "\xff\xfe",
        # issue 26: what a list of forbidden things missed
        '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
        'to="javascript:alert(1)"/></a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="x" values="1"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><handler>alert(1)</handler></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://evil.example/a.css";'
        "</style></svg>",
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"'
        "/></svg>",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<image x:href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foo:script xmlns:foo="http://www.w3.org/1999/'
        'xhtml">alert(1)</foo:script></svg>',
    ],
)
def test_an_svg_with_script_or_outside_reference_is_refused(svg):
    with pytest.raises(baking.BadImage):
        baking.check_svg(svg.encode("utf-8", "surrogateescape"))


def test_an_svg_drawn_with_shapes_gradients_and_text_is_accepted():
    art = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 64 64"><title>Ambassadeur</title><defs><linearGradient id="g">'
        '<stop offset="0" stop-color="#000091"/></linearGradient></defs>'
        "<style>.t{font-family:Marianne;fill:url(#g)}</style>"
        '<circle cx="32" cy="32" r="30" style="fill:url(#g);stroke:#fff"/>'
        '<use xlink:href="#g"/><text class="t" x="32" y="36" text-anchor="middle">NR</text>'
        "</svg>"
    )
    assert baking.check_svg(art.encode()) == art


def _png_header(width, height):
    """A tiny PNG that declares a huge image (a decompression bomb's header)."""
    import struct

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def test_bad_pngs_are_refused_and_the_check_form_never_fails(db, client):
    with pytest.raises(baking.BadImage):
        baking.check_png(b"GIF89a" + b"\x00" * 100)
    with pytest.raises(baking.BadImage):
        baking.check_png(_png_header(30_000, 30_000))  # 900 Mpixels declared
    with pytest.raises(baking.BadImage):
        baking.check_png(b"\x89PNG\r\n\x1a\n" + b"\xff" * 64)
    assert baking.check_png(baking.default_png("Éco-geste")) is not None
    for data in (
        b"", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xffIHDR", baking.default_png("Sans badge"),
        _png_header(30_000, 30_000),
    ):  # fmt: skip
        upload = io.BytesIO(data or b"x")
        upload.name = "badge.png"
        response = client.post(reverse("badge_check"), {"image": upload})
        assert response.status_code == 200


def test_a_baked_png_from_elsewhere_is_named_not_fetched(db):
    other = baking.bake_png(baking.default_png("X"), baking.OB2, "https://autre.example/a/1")
    result = badges.verify_baked(other)
    assert (
        result.version == "2.0" and result.assertion is None and "pas été délivré" in result.problem
    )


# --- pages, the space, the CLI -----------------------------------------------------------


def test_the_officer_creates_a_badge_with_its_image_and_revokes_an_award(space, client):
    officer = MembershipFactory(institution=space, role=Role.OFFICER).user
    viewer = MembershipFactory(institution=space, role=Role.VIEWER).user
    client.force_login(officer)
    image = io.BytesIO(baking.default_png("Ambassadeur"))
    image.name = "a.png"
    response = client.post(reverse("badges_create"), {
        "name": "Ambassadeur", "slug": "ambassadeur", "description": "D", "criteria": "C",
        "rule": "manual", "png": image,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    badge = space_badge(space)
    assert bytes(badge.image_png) == image.getvalue()
    response = client.post(reverse("badges_award", args=[badge.pk]),
                           {"email": "ann@example.org", "name": "Ann"})  # fmt: skip
    assertion = BadgeAssertion.objects.get()
    assert response["Location"] == reverse("badges_assertion", args=[assertion.pk])
    client.force_login(viewer)
    url = reverse("badges_assertion", args=[assertion.pk])
    assert client.post(url, {"reason": "Erreur"}).status_code == 403
    client.force_login(officer)
    client.post(url, {"reason": "Erreur de saisie"})
    assertion.refresh_from_db()
    assert assertion.revocation_reason == "Erreur de saisie"
    listed = client.get(reverse("badges_assertions"), {"etat": "revoked"}).content.decode()
    assert "Ann" in listed
    assert "Ann" not in client.get(reverse("badges_assertions"), {"etat": "valid"}).content.decode()
    export = b"".join(client.get(reverse("badges_assertions_export")).streaming_content)
    assert "Erreur de saisie" in export.decode() and "retiré" in export.decode()
    page = client.get(reverse("badge_verify", args=[assertion.uid])).content.decode()
    assert "Badge retiré" in page


def space_badge(space):
    return space.badgeclass_set.get() if hasattr(space, "badgeclass_set") else \
        BadgeClassFactory._meta.model.objects.get(institution=space)  # fmt: skip


def test_my_badges_lists_the_persons_badges_and_their_data_goes_with_them(space, client):
    person = _person(space)
    other = _person(space)
    badge = BadgeClassFactory(institution=space)
    badges.award(badge, email=person.email)
    badges.award(badge, email=other.email)
    client.force_login(person)
    page = client.get(reverse("participate_badges", args=[space.slug])).content.decode()
    assert page.count("ob3.png") == 1 and badge.name in page
    home = client.get(reverse("participate_home", args=[space.slug])).content.decode()
    assert "Mes badges" in home
    assert [row["Badge"] for row in badges_data(space, person)] == [badge.name]
    assert badges_erase(space, person) == 1
    assert BadgeAssertion.objects.filter(email=other.email).exists()


def test_the_verify_page_checks_an_address_against_the_hash(space, client):
    assertion, _ = badges.award(BadgeClassFactory(institution=space), email="ann@example.org",
                                name="Ann Dupont")  # fmt: skip
    url = reverse("badge_verify", args=[assertion.uid])
    page = client.get(url, {"email": "ANN@example.org"}).content.decode()
    assert "Badge valide" in page and "Oui : ce badge a été délivré à cette adresse." in page
    assert "Non : ce badge" in client.get(url, {"email": "bob@example.org"}).content.decode()
    assert "ann@example.org" not in client.get(url).content.decode()


def test_cli_award_revoke_list(space, settings, capsys):
    settings.BASE_URL = "https://sobrio.example.org"
    BadgeClassFactory(institution=space, slug="fresque")
    call_command("badges", "award", "--institution", "univ", "--badge", "fresque",
                 "--email", "ann@example.org", "--evidence", "https://example.org/p",
                 "--format", "json")  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    assertion = BadgeAssertion.objects.get()
    base = f"https://sobrio.example.org/ob/assertions/{assertion.uid}"
    assert printed == {"assertion": base, "png": base + ".png", "ob3": base + "/ob3.png",
                       "verify": f"https://sobrio.example.org/badges/{assertion.uid}/"}  # fmt: skip
    assert assertion.evidence_url == "https://example.org/p"
    call_command("badges", "revoke", base, "--reason", "Doublon")
    assertion.refresh_from_db()
    assert assertion.revocation_reason == "Doublon"
    capsys.readouterr()
    call_command("badges", "list", "--institution", "univ", "--format", "json")
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["assertion"] == base and listed[0]["state"] == "revoked"
