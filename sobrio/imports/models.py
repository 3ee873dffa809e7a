import contextlib
import os
import uuid

from django.core.files.storage import default_storage
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
IMPORTS_PREFIX = "imports"  # imports/<token>/: an import job's files
PREVIEWS_PREFIX = "previews"  # previews/<app>/: a previewed file until it is confirmed


class ImportJob(InstitutionOwned):
    """An uploaded file, from its reading to its commit; its files are in the storage."""

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

    # The job's files (the upload, its analysis, its problems) live in Django's default
    # storage under imports/<token>/: one folder every server mounts (SOBRIO_MEDIA_ROOT),
    # or any storage of django-storages. Nothing here opens a local path.
    def file_name(self, what):
        return f"{IMPORTS_PREFIX}/{self.token}/{what}"

    def open_file(self, what, mode="rb"):
        return default_storage.open(self.file_name(what), mode)

    def has_file(self, what):
        return default_storage.exists(self.file_name(what))

    def save_file(self, what, content):
        """Store `content` (a File) as the job's file `what`, replacing it."""
        name = self.file_name(what)
        default_storage.delete(name)
        saved = default_storage.save(name, content)
        if saved != name:  # a storage that renamed it: another process wrote it meanwhile
            default_storage.delete(saved)
            raise OSError(f"{name}: written at the same time by another process")

    def delete_file(self, what):
        default_storage.delete(self.file_name(what))

    def source(self):
        """The uploaded file, for the readers (opened as often as they need)."""
        from sobrio.imports.reading import Source

        return Source.stored(default_storage, self.file_name("source"))

    def remove_files(self):
        folder = f"{IMPORTS_PREFIX}/{self.token}"
        try:
            _folders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in files:
            default_storage.delete(f"{folder}/{name}")
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(default_storage.path(folder))  # a folder on disk: the empty folder too


class ImportMapping(InstitutionOwned):
    """The columns and values an institution confirmed for one kind of import, reused."""

    kind = models.CharField(max_length=40)
    columns = models.JSONField(default=dict)  # normalised header -> field
    values = models.JSONField(default=dict)  # field -> {normalised value: target}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "kind"], name="import_mapping_kind")
        ]
