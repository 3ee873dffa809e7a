from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core.forms import Form, ModelForm
from sobrio.ideas.models import Idea, IdeaStatus


class IdeaForm(ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "theme", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class IdeaCommentForm(Form):
    text = forms.CharField(
        label=_("Votre commentaire"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IdeaModerationForm(Form):
    status = forms.ChoiceField(label=_("Statut"), choices=IdeaStatus.choices)
    reason = forms.CharField(
        label=_("Motif (si non retenue)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer = forms.CharField(
        label=_("Réponse publique de l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hidden = forms.BooleanField(label=_("Masquer l'idée aux participant·es"), required=False)


class IdeaMergeForm(Form):
    into = forms.ModelChoiceField(label=_("Doublon de"), queryset=Idea.objects.none())

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Idea.objects.for_institution(idea.institution)
            .exclude(pk=idea.pk)
            .filter(merged_into=None)
        )


class IdeaActionForm(Form):
    axis = forms.ModelChoiceField(label=_("Axe du plan"), queryset=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.axes.all()
