"""The import of a file, step by step: upload, analyse, map, commit. Views, the CLI and
the worker all call these functions."""

import csv
import io
import json
import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sobrio.imports import budget, jobs, registry, spec
from sobrio.imports.limits import Limits
from sobrio.imports.models import ImportJob, ImportMapping, JobStatus
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import Source, column_name, read_table
from sobrio.imports.values import norm

logger = logging.getLogger(__name__)


# --- remembered mappings -------------------------------------------------------------------


def remembered(institution, kind):
    mapping = ImportMapping.objects.for_institution(institution).filter(kind=kind).first()
    return (mapping.columns, mapping.values) if mapping else ({}, {})


def remember(institution, kind, header, columns, values):
    known, known_values = remembered(institution, kind)
    for index, name in columns.items():
        known[norm(header[int(index)])] = name
    for name, choices in values.items():
        known_values.setdefault(name, {}).update(
            {k: v for k, v in choices.items() if v != spec.CREATE}
        )
    ImportMapping.objects.update_or_create(
        institution=institution, kind=kind, defaults={"columns": known, "values": known_values}
    )


# --- the steps ---------------------------------------------------------------------------------


def create_job(institution, user, kind, upload, filename, *, create_missing=True):
    """Store the upload in its job folder, checking its size first, and start reading it.

    upload: a Django UploadedFile, bytes or a path.
    """
    limits = Limits.from_settings()
    size = getattr(upload, "size", None)
    if size is None:
        size = Source.of(upload).size()
    too_big = limits.too_big(size)
    if too_big:
        raise ImportFailure([Problem(too_big, filename)])
    job = ImportJob(
        institution=institution,
        created_by=user,
        kind=kind,
        filename=filename[:255],
        size=size,
        create_missing=create_missing,
    )
    try:
        if hasattr(upload, "chunks"):  # an UploadedFile: copied in chunks by the storage
            job.save_file("source", upload)
        else:
            with Source.of(upload).open() as handle:
                job.save_file("source", File(handle))
        job.save()
    except BaseException:
        job.remove_files()
        raise
    jobs.enqueue(job)
    job.refresh_from_db()
    return job


def start(job, step):
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, step=step, error="", updated_at=timezone.now()
    )
    job.refresh_from_db()
    jobs.enqueue(job)
    job.refresh_from_db()
    return job


def run_step(job_id, step):
    """Run a job's step ("analyse" or "commit"), in the worker or in the request."""
    status = JobStatus.ANALYSING if step == "analyse" else JobStatus.IMPORTING
    if not jobs.claim(job_id, step, status):
        return None
    job = ImportJob.objects.select_related("institution", "created_by").get(pk=job_id)
    try:
        with jobs.Heartbeat(job.pk):
            if step == "analyse":
                _analyse(job)
            else:
                _commit(job)
    except budget.OutOfTime:  # inline, too long for a request: the worker does it all
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED, updated_at=timezone.now()
        )
    except ImportFailure as failure:
        report = {
            "problems": [str(p) for p in failure.problems[:200]],
            "problem_count": len(failure.problems),
        }
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, report=report, updated_at=timezone.now()
        )
    except Exception:
        logger.exception("import job %s, step %s", job.pk, step)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error="Erreur interne pendant le traitement : rien n'a été importé.",
            updated_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    return job.status


def _table(job):
    return read_table(job.source(), job.filename, Limits.from_settings())


def _load_arrays(job):
    import numpy as np  # loaded by the import that needs it, not at start-up

    with job.open_file("rows.npz") as handle, np.load(handle) as stored:
        return {k: stored[k] for k in stored.files}


def _columns(importer, institution, table, chosen=None):
    spec_ = importer.spec_of(institution)
    if chosen:
        return {int(i): name for i, name in chosen.items() if name in spec_.by_name}
    known_columns, _values = remembered(institution, importer.kind)
    return spec_.guess_columns(table.header, known_columns)


def _analyse(job):
    import numpy as np  # loaded by the import that needs it, not at start-up

    importer = registry.get(job.kind)
    table = _table(job)
    columns = _columns(importer, job.institution, table, job.columns)
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")

        def sink(p):
            writer.writerow(
                [p.line, p.column, "avertissement" if p.warning else "erreur", p.reason]
            )

        summary, arrays = spec.analyse(
            importer.spec_of(job.institution),
            table,
            columns,
            progress=lambda n: jobs.set_progress(job.pk, n, 0),
            sink=sink,
        )
        handle.seek(0)
        job.save_file("problems.csv", File(handle))
    with tempfile.TemporaryFile() as handle:  # arrays of a million rows: not in memory twice
        np.savez(handle, **arrays)
        handle.seek(0)
        job.save_file("rows.npz", File(handle))
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.READY,
        analysis=summary,
        columns=summary["columns"],
        rows_total=summary["rows"],
        updated_at=timezone.now(),
    )


def mapping_values(institution, kind, values=None):
    """What the user chose now, over what the institution chose before."""
    _columns_known, known = remembered(institution, kind)
    merged = {name: dict(choices) for name, choices in known.items()}
    for name, choices in (values or {}).items():
        merged.setdefault(name, {}).update(choices)
    return merged


def _resolve(importer, institution, summary, arrays, values, create_missing):
    resolvers = importer.resolvers(
        institution,
        mapping_values(institution, importer.kind, values),
        create_missing=create_missing,
    )
    return spec.resolve(importer.spec_of(institution), summary, arrays, resolvers)


def resolution(job):
    """The value mapping applied to the job's analysis (the file is not read again)."""
    arrays = _load_arrays(job)
    return _resolve(
        registry.get(job.kind),
        job.institution,
        job.analysis,
        arrays,
        job.values,
        job.create_missing,
    )


def can_commit(valid_only, res):
    return res.valid > 0 and (valid_only or res.errors == 0)


def _write(
    importer,
    institution,
    table,
    columns,
    res,
    *,
    valid_only,
    user,
    job=None,
    filename="",
    values=None,
    progress=None,
):
    """Read the table a last time and write its rows, all or nothing, with a journal entry."""
    from auditlog.models import LogEntry

    rows = spec.clean_rows(
        importer.spec_of(institution), table, columns, res, valid_only=valid_only, progress=progress
    )
    with transaction.atomic():
        report = importer.commit(institution, rows, res, user=user, job=job)
        report["rejected"] = res.errors if valid_only else 0
        report["skipped"] = res.skipped
        report["warnings"] = res.warnings
        remember(
            institution,
            importer.kind,
            table.header,
            {str(i): n for i, n in columns.items()},
            values or {},
        )
        if job is not None:
            LogEntry.objects.log_create(
                job,
                force_log=True,
                action=LogEntry.Action.CREATE,
                actor=user,
                changes=json.dumps({"import": [filename, _summary(report)]}),
            )
    return report


def _commit(job):
    importer = registry.get(job.kind)
    res = resolution(job)
    if not can_commit(job.valid_only, res):
        raise ImportFailure(spec.problems_of(res.causes) or [Problem("aucune ligne valide")])
    table = _table(job)
    columns = {int(i): name for i, name in job.columns.items()}
    with transaction.atomic():
        report = _write(
            importer,
            job.institution,
            table,
            columns,
            res,
            valid_only=job.valid_only,
            user=job.created_by,
            job=job,
            filename=job.filename,
            values=job.values,
            progress=lambda n: jobs.set_progress(job.pk, n, job.rows_total),
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, report=report, updated_at=timezone.now()
        )
    jobs.set_progress(job.pk, job.rows_total, job.rows_total)
    job.delete_file("source")


def run_file(
    institution,
    kind,
    source,
    filename,
    *,
    user=None,
    valid_only=False,
    dry_run=False,
    create_missing=False,
    columns=None,
    values=None,
    sink=None,
):
    """The whole import of a file in this process (the CLI): returns (report, resolution).

    sink(problem) receives every problem, line by line. Raises ImportFailure, nothing
    written, unless the rows can be written (all valid, or valid_only with some valid).
    """
    importer = registry.get(kind)
    table = read_table(source, filename, Limits.from_settings())
    columns = _columns(importer, institution, table, columns)
    found = []

    def collect(p):
        if len(found) < MAX_PROBLEMS:
            found.append(p)
        if sink:
            sink(p)

    summary, arrays = spec.analyse(importer.spec_of(institution), table, columns, sink=collect)
    res = _resolve(importer, institution, summary, arrays, values, create_missing)
    for p in _value_problems(importer, institution, summary, arrays, res, filename):
        collect(p)
    if not can_commit(valid_only, res):
        position = {name: i for i, name in enumerate(table.header)}
        errors = sorted(
            (p for p in found if not p.warning),
            key=lambda p: (p.line or 0, position.get(p.column, len(position))),
        )
        raise ImportFailure(errors or [Problem("aucune ligne valide", filename)])
    report = {"rows": res.rows, "valid": res.valid, "rejected": res.errors, "skipped": res.skipped}
    if dry_run:
        return report, res
    report.update(
        _write(
            importer,
            institution,
            table,
            columns,
            res,
            valid_only=valid_only,
            user=user,
            filename=filename,
            values=values,
        )
    )
    return report, res


MAX_PROBLEMS = 10_000


def _value_problems(importer, institution, summary, arrays, res, filename):
    """One problem per line whose mapped value is unknown, in line order."""
    labels = {n: column_name(summary["header"], int(i)) for i, n in summary["columns"].items()}
    lines = arrays["lines"]
    resolvers = importer.resolvers(institution, {}, create_missing=False)
    for name, values in res.unresolved.items():
        index = {v["norm"]: i for i, v in enumerate(summary["values"][name])}
        codes = arrays[f"code_{name}"]
        for value in values:
            reason = unknown_reason(resolvers.get(name), value["text"])
            for line in lines[codes == index[value["norm"]]][:MAX_PROBLEMS].tolist():
                yield Problem(reason, filename, line, labels[name])


def unknown_reason(resolver, text):
    if resolver is not None and hasattr(resolver, "unknown"):
        return resolver.unknown(text)
    return f"valeur inconnue « {text[:60]} »"


def _summary(report):
    keys = ("created", "updated", "unchanged", "rejected", "skipped")
    return ", ".join(f"{k} {report[k]}" for k in keys if report.get(k) is not None)


def problems_csv(job):
    """Every problem of the file: the ones read with it, then the values not mapped."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["ligne", "colonne", "gravité", "motif"])
    if job.has_file("problems.csv"):
        with job.open_file("problems.csv") as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            for row in csv.reader(text, delimiter=";"):
                writer.writerow(row)
    if job.status == JobStatus.READY:
        res = resolution(job)
        stored = _load_arrays(job)
        lines = stored["lines"]
        for name, values in res.unresolved.items():
            codes = stored[f"code_{name}"]
            label = next(
                column_name(job.analysis["header"], int(i))
                for i, n in job.columns.items()
                if n == name
            )
            index = {v["norm"]: i for i, v in enumerate(job.analysis["values"][name])}
            for value in values:
                for line in lines[codes == index[value["norm"]]].tolist():
                    writer.writerow(
                        [line, label, "erreur", f"valeur inconnue « {value['text'][:60]} »"]
                    )
    from sobrio.imports.exporting import safe_row

    text = out.getvalue()
    safe = io.StringIO()
    csv.writer(safe, delimiter=";").writerows(
        safe_row(r) for r in csv.reader(io.StringIO(text), delimiter=";")
    )
    return "\ufeff" + safe.getvalue()
