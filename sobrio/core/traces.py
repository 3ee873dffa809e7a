"""The traces Sobrio keeps of what people do: the institution's journal (django-auditlog's
LogEntry) and the sign-in log (django-axes). They hold personal data — an email in an
object's name, the text of an idea or a request in a change, an IP address — so they
follow the person's erasure and the retention rules too:

- erasing a person's data (« Mes données », the purge of inactive participants) scrubs
  the journal entries of every row that went (their change, their name, the address),
  and the entries the person made as a participant lose who and from where; once the
  account goes, its sign-in log goes with it;
- every day, addresses older than TRACE_ADDRESS_DAYS are removed from the journal, and
  sign-in logs older than that are deleted (a chore of the cluster, core/apps.py).

What stays is the journal's who-did-what-when for the institution's own work: a team
member's changes to the plan or the inventory are the programme's record."""

import contextlib
import contextvars
import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.translation import gettext as _

ERASED = "—"
_collector = contextvars.ContextVar("sobrio_erased_rows", default=None)


def _collect(sender, instance, **_kwargs):
    rows = _collector.get()
    if rows is not None and instance.pk is not None:
        rows.add((sender, str(instance.pk)))


def connect():
    """Listen to Sobrio's own models only, as core/freshness.py does: a receiver for every
    model would take Django's fast deletes from sessions, the journal and login logs."""
    from django.apps import apps

    for model in apps.get_models():
        if model.__module__.startswith("sobrio."):
            post_delete.connect(_collect, sender=model, dispatch_uid=f"traces-{model._meta.label}")


@contextlib.contextmanager
def collecting():
    """The (model, pk) of every row deleted inside the block, cascades included."""
    rows = set()
    token = _collector.set(rows)
    try:
        yield rows
    finally:
        _collector.reset(token)


def _log_entries():
    from auditlog.models import LogEntry

    return LogEntry.objects


def scrub_rows(deleted):
    """After an erasure: the journal keeps that these rows changed, not what they held."""
    by_model = {}
    for model, pk in deleted:
        by_model.setdefault(model, []).append(pk)
    about = Q(pk__in=[])
    for model, pks in by_model.items():
        about |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=pks)
    return (
        _log_entries()
        .filter(about)
        .update(
            object_repr=ERASED,
            changes=None,
            changes_text="",
            serialized_data=None,
            remote_addr=None,
            remote_port=None,
            actor_email=None,
        )
    )


def forget_person(institution, user, *, participant, account_gone):
    """Before the account goes (its journal entries lose their actor then): what the
    person did as a participant no longer says who or from where; with the account, its
    sign-in log goes too."""
    count = 0
    if participant or account_gone:
        mine = _log_entries().filter(actor=user)
        if not account_gone:
            mine = mine.filter(additional_data__institution_id=institution.pk)
        count = mine.update(actor=None, actor_email=None, remote_addr=None, remote_port=None)
    if account_gone:
        _forget_sign_ins(user.email)
    return count


def _forget_sign_ins(email):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username__iexact=email).delete()


def sign_ins(user):
    """What « Mes données » lists of the sign-in log: when, from where, with what."""
    from axes.models import AccessLog

    return [
        {
            _("Date"): timezone.localtime(entry.attempt_time).strftime("%Y-%m-%d %H:%M"),
            _("Adresse IP"): entry.ip_address or "",
            _("Navigateur"): entry.user_agent[:120],
        }
        for entry in AccessLog.objects.filter(username__iexact=user.email).order_by(
            "-attempt_time"
        )[:200]
    ]


def journal(institution, user):
    """The journal entries this person made in the institution (what, when; not the whole
    change, which the institution's journal shows the team)."""
    entries = (
        _log_entries()
        .filter(actor=user, additional_data__institution_id=institution.pk)
        .select_related("content_type")
        .order_by("-timestamp")[:500]
    )
    return [
        {
            _("Date"): timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M"),
            _("Action"): entry.get_action_display(),
            _("Objet"): str(entry.content_type.name if entry.content_type else ""),
            _("Adresse IP"): entry.remote_addr or "",
        }
        for entry in entries
    ]


def expire(now=None):
    """Addresses of the journal and the sign-in logs past their retention: gone."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.TRACE_ADDRESS_DAYS)
    kept = _log_entries().filter(timestamp__lt=limit).exclude(remote_addr=None)
    kept.update(remote_addr=None, remote_port=None)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(attempt_time__lt=limit).delete()
