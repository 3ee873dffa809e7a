from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from sobrio.core.enums import Role
from sobrio.core.models import Institution, Unit


class DsfrMixin:
    """DSFR rendering with optional fields marked (as DSFR now asks), without django-dsfr's
    transition warnings; mixed into plain, model and Django's own auth forms alike."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBaseForm.bound_field_class

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

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
    pass


class PasswordResetForm(DsfrMixin, auth_forms.PasswordResetForm):
    pass


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
        fields = ["name", "short_name", "country", "national_identifier"]


class MemberForm(Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    full_name = forms.CharField(label=_("Nom complet"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, widget=forms.RadioSelect)
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
