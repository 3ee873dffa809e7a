"""Where to send a person next: the `next` a form posted or a link carried, kept only when
it stays on this site (an open redirect would lend Sobrio's address to phishing)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default=""):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
