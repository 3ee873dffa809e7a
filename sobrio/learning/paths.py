"""Training modules and paths: a module is validated by a quiz passed, a workshop
attended or a jury's decision; a path's certificate is issued once every one of its
modules is validated, with a code anyone can check at /verifier/<code>/."""

import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.learning import quizzes, workshops
from sobrio.learning.models import Certificate, Module, ModuleValidation, Path, Validation


def steps(path):
    return list(path.steps.select_related("module").order_by("position", "pk"))


def validations_of(user, institution):
    return {
        v.module_id: v
        for v in ModuleValidation.objects.for_institution(institution).filter(user=user)
    }


def progress(path, user):
    """[(module, validation or None, open)]: a module of a sequential path opens once the
    one before is validated."""
    done = validations_of(user, path.institution) if user is not None else {}
    out, previous_ok = [], True
    for step in steps(path):
        validation = done.get(step.module_id)
        passed = validation is not None and validation.passed
        out.append((step.module, validation, previous_ok or not path.sequential))
        previous_ok = previous_ok and passed
    return out


def is_complete(path, user):
    rows = progress(path, user)
    return bool(rows) and all(v is not None and v.passed for _m, v, _open in rows)


@transaction.atomic
def validate(module, user, how, *, by=None, passed=True, comment="", on=None):
    """Record (or change) a module's validation for a person, then issue the certificate
    of every path this completes."""
    validation, _created = ModuleValidation.objects.update_or_create(
        module=module,
        user=user,
        defaults={
            "institution": module.institution,
            "passed": passed,
            "on": on or timezone.localdate(),
            "how": how,
            "decided_by": by,
            "comment": comment[:2000],
        },
    )
    if passed:
        for listener in VALIDATED:
            listener(validation)
        for path in module.paths.all():
            if path.certificate and is_complete(path, user):
                issue(path, user)
    return validation


# Listeners of a module validated (a ModuleValidation) and of a certificate issued.
VALIDATED = []
CERTIFIED = []


def issue(path, user):
    """The path's certificate for this person (issued once; an existing one is kept)."""
    existing = Certificate.objects.filter(path=path, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                institution=path.institution,
                path=path,
                user=user,
                holder_name=user.public_name,
                issued_on=timezone.localdate(),
                code=secrets.token_urlsafe(16),
            )
    except IntegrityError:  # issued at the same moment by another validation
        return Certificate.objects.get(path=path, user=user)
    for listener in CERTIFIED:
        listener(certificate)
    verify = reverse("certificate_verify", kwargs={"code": certificate.code})
    send_mail(
        _("Votre attestation : %(path)s") % {"path": path},
        "\n".join(
            [
                _("Bonjour,"),
                "",
                _(
                    "Vous avez validé tous les modules du parcours « %(path)s » : votre "
                    "attestation vous attend dans l'espace « Participer »."
                )
                % {"path": path},
                _("Toute personne peut vérifier qu'elle est authentique à cette adresse :"),
                f"{settings.BASE_URL}{verify}",
            ]
        ),  # fmt: skip
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return certificate


def revoke(certificate):
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at", "updated_at"])


# --- what validates a module on its own -------------------------------------------------


def after_quiz(attempt):
    """A graded attempt: the modules its quiz validates, if the person passed."""
    if not quizzes.has_passed(attempt.quiz, attempt.user):
        return
    for module in Module.objects.filter(quiz=attempt.quiz, validation=Validation.QUIZ):
        validate(module, attempt.user, Validation.QUIZ)


def after_attendance(registration):
    kind = registration.session.kind_id
    for module in Module.objects.filter(workshop_kind_id=kind, validation=Validation.WORKSHOP):
        validate(module, registration.user, Validation.WORKSHOP)


def connect():
    if after_quiz not in quizzes.GRADED:
        quizzes.GRADED.append(after_quiz)
    if after_attendance not in workshops.ATTENDED:
        workshops.ATTENDED.append(after_attendance)


# --- the officer's view -------------------------------------------------------------------


def people_progress(path):
    """One row per person who validated at least one of the path's modules: the count,
    whether all are done, the certificate; then the same per unit."""
    from sobrio.core.models import Membership

    modules = [s.module_id for s in steps(path)]
    rows = {}
    for v in (
        ModuleValidation.objects.filter(module_id__in=modules, passed=True)
        .select_related("user")
        .order_by("user__email")
    ):
        rows.setdefault(v.user, set()).add(v.module_id)
    certificates = {c.user_id: c for c in Certificate.objects.filter(path=path)}
    units = dict(
        Membership.objects.filter(institution=path.institution, user__in=list(rows)).values_list(
            "user_id", "affiliation__name"
        )
    )
    people = [
        {
            "user": user,
            "unit": units.get(user.pk) or "",
            "done": len(done),
            "total": len(modules),
            "certificate": certificates.get(user.pk),
        }
        for user, done in rows.items()
    ]
    by_unit = {}
    for row in people:
        entry = by_unit.setdefault(row["unit"], {"unit": row["unit"], "people": 0, "certified": 0})
        entry["people"] += 1
        entry["certified"] += row["certificate"] is not None and not row["certificate"].revoked_at
    return people, sorted(by_unit.values(), key=lambda e: e["unit"])


def published_paths(institution):
    return Path.objects.for_institution(institution).filter(published=True)
