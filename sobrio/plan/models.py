"""The strategic plan: axes, objectives, actions with their budget, and indicators."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned, Membership, Unit


class Plan(InstitutionOwned):
    title = models.CharField(_("intitulé"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    summary = models.TextField(_("ambition"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("plan stratégique")

    def __str__(self):
        return self.title


class Axis(InstitutionOwned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    name = models.CharField(_("nom"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("axe")

    def __str__(self):
        return self.name


class Objective(InstitutionOwned):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives")
    name = models.CharField(_("nom"), max_length=300)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["axis__position", "position", "name"]
        verbose_name = _("objectif")

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    REFLECTION = "reflexion", _("Réflexion")
    EXPERIMENT = "experimentation", _("Expérimentation")
    DELIVERY = "realisation", _("Réalisation")


class Status(models.TextChoices):
    TODO = "todo", _("À faire")
    DOING = "doing", _("En cours")
    DONE = "done", _("Fini")
    ABANDONED = "abandoned", _("Abandonnée")


class Action(InstitutionOwned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    axis = models.ForeignKey(
        Axis, on_delete=models.PROTECT, related_name="actions", verbose_name=_("axe")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objectif"),
    )
    label = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(
        _("niveau d'engagement"), max_length=20, choices=Level, default=Level.REFLECTION
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.TODO)
    abandon_reason = models.TextField(_("motif d'abandon"), blank=True)
    pilot = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pilote"),
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("unités associées")
    )
    partners = models.CharField(_("partenaires extérieurs"), max_length=500, blank=True)
    identified_on = models.DateField(_("identifiée le"), default=datetime.date.today)
    planned_start = models.DateField(_("début prévu"), null=True, blank=True)
    planned_end = models.DateField(_("fin prévue"), null=True, blank=True)
    started_on = models.DateField(_("commencée le"), null=True, blank=True)
    done_on = models.DateField(_("finie le"), null=True, blank=True)
    abandoned_on = models.DateField(_("abandonnée le"), null=True, blank=True)
    expected_impact = models.TextField(_("impact attendu"), blank=True)
    scenario = models.ForeignKey(
        "footprint.Scenario",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scénario d'empreinte"),
    )
    # The scenario's yearly difference per criterion when the action was created from it.
    impact = models.JSONField(default=dict, blank=True, editable=False)
    answers = models.ManyToManyField(
        "assessment.Answer",
        blank=True,
        related_name="actions",
        verbose_name=_("éléments du référentiel"),
    )

    class Meta:
        ordering = ["axis__position", "planned_end", "label"]
        verbose_name = _("action")

    def __str__(self):
        return self.label

    def is_late(self, today=None):
        today = today or datetime.date.today()
        return (
            self.status in (Status.TODO, Status.DOING)
            and self.planned_end is not None
            and self.planned_end < today
        )


class ActionComment(InstitutionOwned):
    """A comment, or a change of status written down as one: the action's history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("commentaire"))

    class Meta:
        ordering = ["-created_at", "-pk"]


class BudgetLine(InstitutionOwned):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("année"))
    source = models.CharField(
        _("source de financement"),
        max_length=200,
        help_text=_("Par exemple : budget propre, appel à projets national, région."),
    )
    planned = models.DecimalField(_("prévu (€)"), max_digits=12, decimal_places=2, default=0)
    committed = models.DecimalField(_("engagé (€)"), max_digits=12, decimal_places=2, default=0)
    spent = models.DecimalField(_("dépensé (€)"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["year", "source"]
        verbose_name = _("ligne budgétaire")


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Nombre")
    PERCENT = "percent", _("Pourcentage")
    BOOLEAN = "boolean", _("Oui / non")


class Direction(models.TextChoices):
    UP = "up", _("Plus c'est haut, mieux c'est")
    DOWN = "down", _("Plus c'est bas, mieux c'est")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensuelle")
    QUARTERLY = "quarterly", _("Trimestrielle")
    YEARLY = "yearly", _("Annuelle")


class Indicator(InstitutionOwned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("nom"), max_length=300)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    kind = models.CharField(
        _("type"), max_length=10, choices=IndicatorKind, default=IndicatorKind.NUMBER
    )
    direction = models.CharField(_("sens"), max_length=4, choices=Direction, default=Direction.UP)
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency, default=Frequency.QUARTERLY
    )
    baseline = models.FloatField(_("valeur de référence"), null=True, blank=True)
    baseline_on = models.DateField(_("date de référence"), null=True, blank=True)
    # Blank: entered by hand. Else a key of sobrio.core.indicators' registry.
    source = models.CharField(_("calcul"), max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("action"),
    )
    practice = models.ForeignKey(
        "referentials.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pratique du référentiel"),
    )
    key = models.BooleanField(_("indicateur clé"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicateur")

    def __str__(self):
        return self.name


class Target(InstitutionOwned):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    due_on = models.DateField(_("échéance"))
    value = models.FloatField(_("cible"))

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("cible")


class Measurement(InstitutionOwned):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.FloatField(_("valeur"))
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["measured_on", "pk"]
        verbose_name = _("mesure")
