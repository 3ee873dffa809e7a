from django import template

register = template.Library()


@register.simple_tag
def sso_providers(institution=None):
    """The providers a sign-in page offers: its institution's, or (a page that does not
    know which institution) every institution's, by institution."""
    from sobrio.identity.models import IdentityProvider

    providers = IdentityProvider.objects.filter(enabled=True).select_related("institution")
    if institution is not None:
        providers = providers.filter(institution=institution)
    return list(providers.order_by("institution__name", "name"))
