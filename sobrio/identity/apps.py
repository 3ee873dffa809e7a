from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "sobrio.identity"
    label = "identity"
    verbose_name = "Identité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.core import participation
        from sobrio.identity import models, services

        participation.COMMUNITY.append(services.is_community)
        from django.utils.translation import gettext_lazy as _

        participation.register_data(participation.PersonalData(
            "identities", _("Comptes d'établissement reliés"),
            services.identities_data, services.identities_erase,
        ))  # fmt: skip
        from sobrio.core import housekeeping

        housekeeping.register(3600, "sobrio.identity.services.purge_used")  # replays: a day
        housekeeping.register(86400, "sobrio.identity.saml.refresh_all")  # IdPs' metadata
        from django.contrib.auth.signals import user_logged_in

        from sobrio.core.tenancy import SCOPE_KEY

        def unscoped(sender, request, user, **kwargs):
            # a sign-in of any kind starts unscoped; identity/views.py scopes its own after
            if request is not None and hasattr(request, "session"):
                request.session.pop(SCOPE_KEY, None)

        user_logged_in.connect(unscoped, weak=False, dispatch_uid="sobrio-sso-unscoped")

        auditlog.register(models.IdentityProvider, exclude_fields=[
            "updated_at", "secret_sealed", "metadata", "metadata_refreshed_at",
            "metadata_problem"])  # fmt: skip
        auditlog.register(models.UnitCode, exclude_fields=["updated_at"])
