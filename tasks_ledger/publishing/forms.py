from django import forms
from django.utils.translation import gettext_lazy as _

from tasks_ledger.publishing.models import ConfidentialityReview
from tasks_ledger.publishing.services import TEXT_MAX


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Public text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Written for citizens: no names of staff, no internal matters."),
    )
    evidence = forms.MultipleChoiceField(
        label=_("Evidence to publish with it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = evidence_choices


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ConfidentialityReview.Decision.choices,
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when refusing: the reason."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
