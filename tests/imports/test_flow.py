"""The web import, through the worker: the file is read once to check it, once to write."""

from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.imports import flow, jobs
from sobrio.imports.models import ImportJob
from sobrio.inventory.models import Asset
from tests.factories import MembershipFactory

CSV = (
    "Numéro d'inventaire;Type;Entité;Date d'achat\n"
    + "".join(f"N-{n};Portable;DSI > Réseau;01/02/2023\n" for n in range(300))
    + "X-1;Grille-pain;DSI;01/02/2023\n"
).encode()


def _run_queued(job):
    job.refresh_from_db()
    assert job.status == "queued"
    flow.run_step(job.pk, job.step)  # what the worker does with the task
    job.refresh_from_db()
    return job


def test_a_large_file_is_read_by_the_worker_and_the_mapping_page_does_not_read_it(
    db, client, settings, monkeypatch
):
    settings.IMPORT_INLINE_BYTES = 100
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    upload = client.post(reverse("measure_import"), {"kind": "assets", "file": _file()})
    job = ImportJob.objects.get()
    assert upload["Location"] == reverse("measure_import_job", args=[job.pk])
    assert "En attente" in client.get(upload["Location"]).content.decode()
    job = _run_queued(job)
    assert job.status == "ready" and job.rows_total == 301

    calls = []
    monkeypatch.setattr(
        flow,
        "_table",
        lambda j: calls.append(j) or flow.read_table(j.source(), j.filename),
    )
    page = client.get(reverse("measure_import_map", args=[job.pk]))
    text = page.content.decode()
    assert calls == []  # the summary kept by the analysis is enough
    assert "catégorie inconnue « Grille-pain »" in text and "1 ligne (302)" in text
    assert "Réseau" in text  # the unit tree to be created, from the paths
    problems = client.get(reverse("measure_import_problems", args=[job.pk])).content.decode()
    assert "302;Type;erreur" in problems

    client.post(
        reverse("measure_import_map", args=[job.pk]),
        {
            "action": "commit",
            "valid_only": "on",
            "col_0": "numéro d'inventaire",
            "col_1": "catégorie",
            "col_2": "unité",
            "col_3": "date d'achat",
        },
    )
    job = _run_queued(job)
    assert job.status == "done" and job.report["created"] == 300 and job.report["rejected"] == 1
    assert len(calls) == 1  # read a second and last time, to write
    assert Asset.objects.filter(institution=officer.institution).count() == 300
    assert not job.has_file("source")  # nothing kept once done


def test_old_job_files_are_purged(db, settings):
    from tests.factories import ImportJobFactory

    job = ImportJobFactory()
    assert job.has_file("source")
    ImportJob.objects.filter(pk=job.pk).update(status="done")
    assert jobs.purge(days=-1) == 1
    assert not (settings.MEDIA_ROOT / "imports" / str(job.token)).exists()  # folder too
    assert not ImportJob.objects.exists()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("previews/reuse/1-abc", ContentFile(b"x"))  # never confirmed
    assert jobs.purge(days=1) == 0 and default_storage.exists("previews/reuse/1-abc")
    assert jobs.purge(days=-1) == 1 and not default_storage.exists("previews/reuse/1-abc")


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("parc.csv", CSV)


def _xlsx():
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    for line in CSV.decode().splitlines():
        book.active.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("parc.xlsx", buffer.getvalue())


def test_a_small_xlsx_that_unpacks_large_goes_to_the_worker_unread(db, client, settings):
    """Issue 26: a 500 KB XLSX unpacking to 85 MB was analysed in the request until
    gunicorn killed the worker. What decides is the unpacked size, read from the archive's
    directory."""
    upload = _xlsx()
    settings.IMPORT_INLINE_UNPACKED_BYTES = len(upload) * 2  # this one unpacks more
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    client.post(reverse("measure_import"), {"kind": "assets", "file": upload})
    job = ImportJob.objects.get()
    assert job.size < settings.IMPORT_INLINE_BYTES
    assert jobs.unpacked_size(job.source()) > settings.IMPORT_INLINE_UNPACKED_BYTES
    assert job.task_id  # queued for the worker, nothing read in the request
    job = _run_queued(job)
    assert job.status == "ready" and job.rows_total == 301


def test_work_in_a_request_past_its_time_budget_is_handed_to_the_worker(db, client, settings):
    settings.IMPORT_INLINE_SECONDS = 0  # spent at once: the reading stops at its first check
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    page = client.post(reverse("measure_import"), {"kind": "assets", "file": _file()})
    assert page.status_code == 302
    job = ImportJob.objects.get()
    assert job.task_id and not job.report  # stopped, rolled back, queued
    job = _run_queued(job)
    assert job.status == "ready" and job.rows_total == 301
