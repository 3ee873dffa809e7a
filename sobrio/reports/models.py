from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned


class Kind(models.TextChoices):
    QUARTERLY = "quarterly", _("Rapport d'étape trimestriel")
    ANNUAL = "annual", _("Rapport annuel")
    FINAL = "final", _("Évaluation finale")


class Report(InstitutionOwned):
    """A report for a period: live figures while a draft, a snapshot once frozen."""

    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    period = models.CharField(
        _("période"), max_length=20, help_text=_("2026-T3 (ou 2026-Q3), 2026, ou 2025-2028.")
    )
    starts_on = models.DateField(editable=False)
    ends_on = models.DateField(editable=False)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    synthesis = models.TextField(_("synthèse"), blank=True)
    difficulties = models.TextField(_("difficultés rencontrées"), blank=True)
    outlook = models.TextField(_("perspectives et recommandations"), blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-ends_on", "kind", "-version"]
        verbose_name = _("rapport")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind", "period", "version"], name="report_version_unique"
            )
        ]

    @property
    def period_label(self):
        """The period as readers write it: 2026-T3 in French (trimestre), 2026-Q3 in English.
        The stored code (and the CLI) keeps Q."""
        from django.utils.translation import get_language

        if (get_language() or "fr").startswith("fr"):
            return self.period.replace("-Q", "-T")
        return self.period

    @property
    def file_kind(self):
        from django.utils.translation import get_language

        french = {"quarterly": "trimestriel", "annual": "annuel", "final": "final"}
        if (get_language() or "fr").startswith("fr"):
            return french.get(self.kind, self.kind)
        return self.kind

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_label} (v{self.version})"

    @property
    def is_frozen(self):
        return self.frozen_at is not None
