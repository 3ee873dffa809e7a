import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    ANALYSING = "analysing", _("Lecture du fichier")
    READY = "ready", _("À vérifier")
    IMPORTING = "importing", _("Import en cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


RUNNING = (JobStatus.ANALYSING, JobStatus.IMPORTING)


class ImportJob(InstitutionOwned):
    """An uploaded file, from its reading to its commit; its files live in job_dir()."""

    kind = models.CharField(_("type"), max_length=40)
    filename = models.CharField(_("fichier"), max_length=255)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=JobStatus, default=JobStatus.QUEUED)
    step = models.CharField(max_length=10, default="analyse")  # what the job does next
    columns = models.JSONField(default=dict)  # header index (str) -> field
    values = models.JSONField(default=dict)  # field -> {normalised value: target}
    valid_only = models.BooleanField(_("lignes valides seulement"), default=False)
    create_missing = models.BooleanField(default=True)  # unknown units created by default
    analysis = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)  # the background task running it
    rows_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")

    def __str__(self):
        return self.filename

    def job_dir(self):
        return Path(settings.IMPORT_DIR) / str(self.token)

    def source_path(self):
        return self.job_dir() / "source"

    def remove_files(self):
        shutil.rmtree(self.job_dir(), ignore_errors=True)


class ImportMapping(InstitutionOwned):
    """The columns and values an institution confirmed for one kind of import, reused."""

    kind = models.CharField(max_length=40)
    columns = models.JSONField(default=dict)  # normalised header -> field
    values = models.JSONField(default=dict)  # field -> {normalised value: target}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "kind"], name="import_mapping_kind")
        ]
