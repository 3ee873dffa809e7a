"""What a page may keep in the shared cache, and when it must stop.

Each institution has a data version in the cache, renewed after any committed change to
one of its rows (any model with an `institution` field, saved or deleted) and after the
writes Django sends no signal for, which call `renew` themselves (bulk imports through
inventory.signals.bulk_changed, updates of many answers, a footprint finished by the
worker). Rows shared by every institution (referentials, factor sets without an
institution, users) renew a global version. A fragment is cached under both versions, the
member, the language and the day; it also expires after FRAGMENT_SECONDS, so that a
change nobody announced is seen within minutes, never lost.

The version is renewed at the change and again once the transaction commits: a page that
read the first renewal before the commit may store old rows under it, but the second
renewal leaves that fragment behind, and a page that reads it sees the committed rows.
"""

import datetime
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

FRAGMENT_SECONDS = 300
GLOBAL = "all"
SHARED_APPS = {"core", "referentials", "footprint"}  # their rows without an institution


def _key(scope):
    return f"sobrio-version:{scope}"


def version(scope):
    value = cache.get(_key(scope))
    if value is None:  # first use, or culled from the cache: a new version is always safe
        value = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        if not cache.add(_key(scope), value, None):
            value = cache.get(_key(scope), value)
    return value


def _app_scope(institution_id, app):
    return f"{institution_id}:{app}"


def renew(institution_id=None, app=None):
    """Renew an institution's version (the global one when None) now and again once the
    transaction commits (see above); a rollback only costs a few cache misses. With `app`,
    the version of that app's rows in the institution too (a dashboard card that reads
    other apps' rows keeps its copy); without, of all its apps."""
    if institution_id is None:
        renew_scopes(GLOBAL)
    else:
        renew_scopes(institution_id, _app_scope(institution_id, app or "*"))


def renew_scopes(*scopes):
    """Renew these versions now and once the transaction commits; a scope is any name
    (an app keeps its own: the cleanup day's pledges, cleanup/services.py)."""

    def done():
        cache.set_many({_key(s): f"{time.time_ns()}-{uuid.uuid4().hex[:8]}" for s in scopes}, None)

    done()
    if transaction.get_connection().in_atomic_block:  # else the change is committed already
        transaction.on_commit(done)


def fragment(request, name, build, depends=None):
    """The HTML of build() -> (html, keep), kept for this member, language and day until
    the institution's data (or the shared data) changes; keep=False for provisional
    figures (a footprint the worker is still computing), shown but not kept. `depends`:
    the app labels whose rows the fragment reads, if it knows them; a change elsewhere in
    the institution then leaves it kept."""
    institution_id = request.institution.pk
    if depends is None:
        versions = (version(institution_id),)
    else:
        versions = tuple(
            version(_app_scope(institution_id, app)) for app in ("*", *sorted(depends))
        )
    parts = (
        "sobrio-fragment",
        name,
        institution_id,
        *versions,
        version(GLOBAL),
        request.membership.pk,
        request.membership.role,
        translation.get_language(),
        datetime.date.today().isoformat(),
    )
    key = ":".join(str(p) for p in parts)
    html = cache.get(key)
    if html is None:
        html, keep = build()
        if keep:
            cache.set(key, html, FRAGMENT_SECONDS)
    return html


def _changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # a restore brings rows back as they were
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # a login changes nothing a page shows
    if getattr(sender, "freshness_exempt", False):
        return  # counts read live by their pages (cleanup pledges)
    if hasattr(instance, "institution_id"):
        renew(instance.institution_id, sender._meta.app_label)
    elif sender._meta.app_label in SHARED_APPS:
        renew(None)  # users, institutions, shared referentials and factors


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _changed(type(instance), instance)


def connect():
    """Listen to Sobrio's own models only: sessions, the journal and login attempts keep
    Django's fast deletes, and change nothing a fragment shows."""
    from django.apps import apps

    for model in apps.get_models():
        if model.__module__.startswith("sobrio."):
            uid = f"freshness-{model._meta.label}"
            post_save.connect(_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_m2m_changed, dispatch_uid="freshness-m2m")
