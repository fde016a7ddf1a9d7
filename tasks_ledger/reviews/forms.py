"""Forms of the review pages: a finding, and the reason an entry is returned."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tasks_ledger.reviews.models import Finding


class FindingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("rating"), choices=Finding.Rating.choices, widget=forms.RadioSelect
    )
    score = forms.DecimalField(
        label=_("score"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("From 0 to 100."),
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea)
