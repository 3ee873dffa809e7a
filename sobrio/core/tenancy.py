"""The current institution of a request, and the view guard built on it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from sobrio.core import perms
from sobrio.core.models import Membership

SESSION_KEY = "sobrio_institution_id"
# Set by a sign-in through an institution's identity provider (sobrio.identity): that
# session reaches that institution only, whatever other memberships the account has (a
# provider vouches for its own institution, never for another's).
SCOPE_KEY = "sobrio_signed_in_for"


class CurrentInstitutionMiddleware:
    """Sets request.membership and request.institution from the session (or the first one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.institution = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = Membership.objects.filter(user=request.user)
            scope = request.session.get(SCOPE_KEY)
            if scope is not None:
                memberships = memberships.filter(institution_id=scope)
            memberships = list(memberships.select_related("institution").order_by("pk"))
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.institution_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            if chosen is not None:
                request.membership = chosen
                request.institution = chosen.institution
        return self.get_response(request)


def switch_institution(request, institution_id):
    """Make institution_id current, if the user is a member of it; else 404."""
    for membership in request.memberships:
        if membership.institution_id == institution_id:
            request.session[SESSION_KEY] = institution_id
            return membership
    raise Http404


def member_required(capability):
    """Login, a membership in the current institution, and `capability` in it. A
    participant is sent to the « Participer » space: the team's pages are not theirs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not perms.has_capability(request.membership, capability):
                if request.membership is not None and request.membership.role == "participant":
                    return redirect("participate_home", slug=request.institution.slug)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.sobrio_capability = capability
        return wrapped

    return decorator


PARTICIPATE = "participate"


def space_view(*, signed_in):
    """A page of an institution's « Participer » space, /participer/<slug>/…: sets
    request.space (the institution) and request.space_membership (the visitor's
    membership there, any role, or None). signed_in: the page needs a membership; a
    visitor without one is sent to the space's sign-in page, a person signed in for
    other institutions only is refused."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            from sobrio.core.models import Institution

            institution = Institution.objects.filter(slug=slug).first()
            if institution is None:
                raise Http404
            request.space = institution
            request.space_membership = None
            if request.user.is_authenticated:
                request.space_membership = next(
                    (m for m in request.memberships if m.institution_id == institution.pk),
                    None,
                )
            if signed_in and request.space_membership is None:
                if not request.user.is_authenticated:
                    target = reverse("participate_signin", kwargs={"slug": slug})
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.sobrio_capability = PARTICIPATE if signed_in else None
        return wrapped

    return decorator


def public(view):
    """Marks a view open to anyone (login, language switch): the access tests skip it."""
    view.sobrio_capability = None
    return view


def scoped_get_or_404(request, model_or_queryset, **lookup):
    """A row of the current institution, or 404 whatever institution it belongs to."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    try:
        return queryset.for_institution(request.institution).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def institution_context(request):
    return {
        "current_membership": getattr(request, "membership", None),
        "current_institution": getattr(request, "institution", None),
        "user_memberships": getattr(request, "memberships", []),
    }
