"""The import pages, shared by every importer: upload, check and map, follow, download."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports import flow, jobs, registry
from sobrio.imports.forms import MappingForm, UploadForm
from sobrio.imports.models import RUNNING, ImportJob, JobStatus
from sobrio.imports.problems import ImportFailure

SHOWN_CAUSES = 8
SHOWN_VALUES = 6  # unknown values per field offered on one screen


def _urls(prefix):
    return {
        "upload": prefix,
        "map": f"{prefix}_map",
        "job": f"{prefix}_job",
        "problems": f"{prefix}_problems",
        "retry": f"{prefix}_retry",
    }


def upload_view(group, prefix, title):
    @require_http_methods(["GET", "POST"])
    @member_required(perms.EDIT)
    def view(request):
        form = UploadForm(request.POST or None, request.FILES or None, group=group)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = flow.create_job(
                    request.institution,
                    request.user,
                    form.cleaned_data["kind"],
                    upload,
                    upload.name,
                )
            except ImportFailure as failure:
                problems = failure.problems
            else:
                return redirect(
                    _urls(prefix)["map" if job.status == JobStatus.READY else "job"], job.pk
                )
        importers = registry.of_group(group)
        return render(
            request,
            "imports/upload.html",
            {
                "form": form,
                "problems": problems,
                "title": title,
                "importers": importers,
                "nav": importers[0].nav if importers else "",
                "intro": importers[0].intro if importers else "",
                "urls": _urls(prefix),
            },
        )

    return view


def map_view(prefix):
    urls = _urls(prefix)

    @require_http_methods(["GET", "POST"])
    @member_required(perms.EDIT)
    def view(request, importjob_id):
        job = scoped_get_or_404(request, ImportJob, pk=importjob_id)
        if job.status != JobStatus.READY:
            return redirect(urls["job"], job.pk)
        importer = registry.get(job.kind)
        spec = importer.spec_of(request.institution)
        res = flow.resolution(job)
        form = _mapping_form(request, job, importer, spec, res)
        if request.method == "POST" and form.is_valid():
            job.valid_only = form.cleaned_data["valid_only"]
            values = {name: dict(v) for name, v in (job.values or {}).items()}
            for name, chosen in form.chosen_values.items():
                values.setdefault(name, {}).update(chosen)
            job.values = values
            columns = {str(i): n for i, n in form.chosen_columns.items()}
            if columns != job.columns:
                job.columns = columns
                job.save(update_fields=["valid_only", "values", "columns", "updated_at"])
                flow.start(job, "analyse")
                return redirect(urls["map"], job.pk)
            job.save(update_fields=["valid_only", "values", "updated_at"])
            res = flow.resolution(job)
            if request.POST.get("action") == "commit":
                if flow.can_commit(job.valid_only, res):
                    flow.start(job, "commit")
                    return redirect(urls["job"], job.pk)
                messages.error(
                    request,
                    _("Rien n'est importé : il reste des lignes en erreur.")
                    if res.valid
                    else _("Aucune ligne valide à importer."),
                )
            return redirect(urls["map"], job.pk)
        causes = res.causes
        plan = importer.plan(request.institution, res) if importer.plan else []
        summary = job.analysis
        return render(
            request,
            "imports/map.html",
            {
                "job": job,
                "form": form,
                "res": res,
                "urls": urls,
                "nav": importer.nav,
                "causes": causes[:SHOWN_CAUSES],
                "more_causes": max(len(causes) - SHOWN_CAUSES, 0),
                "plan": plan[:10],
                "more_plan": max(len(plan) - 10, 0),
                "columns": [
                    (summary["header"][int(i)], spec.by_name[n].label)
                    for i, n in summary["columns"].items()
                    if n in spec.by_name
                ],
                "unmapped": [
                    h
                    for i, h in enumerate(summary["header"])
                    if str(i) not in summary["columns"] and h
                ],
                "can_commit": flow.can_commit(job.valid_only, res),
                "sample": summary.get("sample", [])[:3],
                "labels": {f.name: f.label for f in spec.fields},
                "show_columns": request.GET.get("colonnes") == "1" or bool(form.errors),
            },
        )

    return view


def _mapping_form(request, job, importer, spec, res):
    summary = job.analysis
    shown = {}
    chosen = flow.mapping_values(request.institution, job.kind, job.values)
    for name, items in summary["values"].items():
        offered = [
            dict(v, current=chosen.get(name, {}).get(v["norm"])) for v in res.unresolved[name]
        ]
        if name in importer.creatable:  # values to be created may be mapped otherwise
            offered += [
                dict(v, current="__create__")
                for v in items
                if res.targets[name].get(v["norm"]) == "__create__"
            ]
        if offered:
            shown[name] = offered[:SHOWN_VALUES]
    form = MappingForm(
        request.POST or None,
        spec=spec,
        header=summary["header"],
        columns={int(i): n for i, n in summary["columns"].items()},
        values=shown,
        choices=importer.choices(request.institution),
        creatable=importer.creatable,
        initial={"valid_only": job.valid_only},
    )
    resolvers = importer.resolvers(request.institution, {}, create_missing=False)

    def typed(name, text):
        resolver = resolvers.get(name)
        return resolver(text, text) if resolver else None

    form.resolve_text = typed
    return form


def job_view(prefix):
    urls = _urls(prefix)

    @require_GET
    @member_required(perms.EDIT)
    def view(request, importjob_id):
        job = scoped_get_or_404(request, ImportJob, pk=importjob_id)
        done, total = jobs.progress(job.pk)
        importer = registry.get(job.kind)
        return render(
            request,
            "imports/job.html",
            {
                "job": job,
                "urls": urls,
                "nav": importer.nav,
                "home": importer.urls.get("home"),
                "running": job.status in RUNNING or job.status == JobStatus.QUEUED,
                "done": done,
                "total": total or job.rows_total,
                "percent": int(100 * done / total) if total else None,
            },
        )

    return view


def retry_view(prefix):
    urls = _urls(prefix)

    @require_http_methods(["GET", "POST"])
    @member_required(perms.EDIT)
    def view(request, importjob_id):
        job = scoped_get_or_404(request, ImportJob, pk=importjob_id)
        if request.method == "GET":
            importer = registry.get(job.kind)
            return render(
                request, "imports/retry.html", {"job": job, "urls": urls, "nav": importer.nav}
            )
        if job.status == JobStatus.FAILED and job.has_file("source"):
            ImportJob.objects.filter(pk=job.pk).update(attempts=0)
            flow.start(job, job.step)
            messages.success(request, _("Le traitement est relancé."))
        return redirect(urls["job"], job.pk)

    return view


def problems_view(prefix):
    @require_GET
    @member_required(perms.EDIT)
    def view(request, importjob_id):
        job = scoped_get_or_404(request, ImportJob, pk=importjob_id)
        response = HttpResponse(flow.problems_csv(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="problemes-import.csv"'
        return response

    return view


def patterns(route, prefix, group, title):
    """The five URLs of an import, under `route` (e.g. "import/"), named from `prefix`."""
    from django.urls import path

    return [
        path(route, upload_view(group, prefix, title), name=prefix),
        path(f"{route}<int:importjob_id>/", map_view(prefix), name=f"{prefix}_map"),
        path(f"{route}<int:importjob_id>/suivi/", job_view(prefix), name=f"{prefix}_job"),
        path(f"{route}<int:importjob_id>/relancer/", retry_view(prefix), name=f"{prefix}_retry"),
        path(
            f"{route}<int:importjob_id>/problemes.csv",
            problems_view(prefix),
            name=f"{prefix}_problems",
        ),
    ]
