from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from sobrio.core.enums import STAFF_ROLES
from sobrio.core.models import Institution, Unit


class DsfrMixin:
    """DSFR rendering with optional fields marked (as DSFR now asks), without django-dsfr's
    transition warnings; mixed into plain, model and Django's own auth forms alike."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBaseForm.bound_field_class

    def __getitem__(self, name):
        # DSFR's classes on a field's widget when the field is first rendered, not for
        # every field of every form built (a form validated and redirected renders none)
        bound = super().__getitem__(name)
        return dsfr_input_class_attr(bound) or bound

    def get_context(self):
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class Form(DsfrMixin, forms.Form):
    pass


class ModelForm(DsfrMixin, forms.ModelForm):
    def _get_validation_exclusions(self):
        # The institution is set by the view, not typed: its unique constraints (a unit's or
        # a server room's name) are still checked, so a duplicate is a form error, not a 500.
        exclusions = super()._get_validation_exclusions()
        if getattr(self.instance, "institution_id", None):
            exclusions.discard("institution")
        return exclusions


class LoginForm(DsfrMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "single_sign_on": _(
            "Votre établissement réserve les mots de passe à ses admins : connectez-vous "
            "avec votre compte d'établissement (bouton ci-dessus)."
        ),
        # Django's message agrees with a masculine field name ("un adresse électronique").
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect (les majuscules comptent)."
        ),
    }

    def confirm_login_allowed(self, user):
        """A password opens Sobrio to an admin, and to anyone with a membership in an
        institution that keeps passwords for all (none turned them off for them)."""
        super().confirm_login_allowed(user)
        from sobrio.core.enums import Role
        from sobrio.core.models import Membership

        memberships = list(Membership.objects.filter(user=user).select_related("institution"))
        if memberships and not any(
            m.role == Role.ADMIN or not m.institution.passwords_admins_only for m in memberships
        ):
            raise forms.ValidationError(
                self.error_messages["single_sign_on"], code="single_sign_on"
            )


class PasswordResetForm(DsfrMixin, auth_forms.PasswordResetForm):
    """Django's reset skips accounts without a usable password: a member created without
    one (the CLI), or whose welcome link expired, could then never get in."""

    def get_users(self, email):
        from sobrio.core.models import User

        return User.objects.filter(email__iexact=email, is_active=True)


class WelcomeForm(auth_forms.PasswordResetForm):
    """Django's reset link, sent also to an account that never had a password."""

    def get_users(self, email):
        from sobrio.core.models import User

        return User.objects.filter(email__iexact=email, is_active=True)


class SetPasswordForm(DsfrMixin, auth_forms.SetPasswordForm):
    pass


class UnitForm(ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        parents = Unit.objects.for_institution(institution)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class InstitutionForm(ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "short_name", "country", "national_identifier", "participant_domains"]
        widgets = {"participant_domains": forms.Textarea(attrs={"rows": 3})}


class MemberForm(Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    full_name = forms.CharField(label=_("Nom complet"), required=False, max_length=150)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[(r.value, r.label) for r in STAFF_ROLES],
        widget=forms.RadioSelect,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Unités (contributeur·rice)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Un·e contributeur·rice édite les données de ces unités et de leurs sous-unités."
        ),
    )

    def __init__(self, *args, institution, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.for_institution(institution)
        if editing:
            del self.fields["email"]
            del self.fields["full_name"]


class AuditFilterForm(Form):
    who = forms.ChoiceField(label=_("Qui"), required=False)
    what = forms.ChoiceField(label=_("Quoi"), required=False)
    since = forms.DateField(
        label=_("Depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        from auditlog.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        from sobrio.core.models import Membership

        members = Membership.objects.for_institution(institution).staff().select_related("user")
        self.fields["who"].choices = [("", _("Tout le monde"))] + [
            (str(m.user_id), str(m.user)) for m in members
        ]
        kinds = (
            LogEntry.objects.filter(additional_data__institution_id=institution.pk)
            .values_list("content_type", flat=True)
            .distinct()
        )
        types = ContentType.objects.filter(pk__in=list(kinds))
        self.fields["what"].choices = [("", _("Tout"))] + sorted(
            (
                (str(t.pk), str(t.model_class()._meta.verbose_name).capitalize())
                for t in types
                if t.model_class()
            ),
            key=lambda kv: kv[1],
        )
