"""Forms of the clocks: record an event, record an obligation's fulfilment."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks_ledger.clocks.models import Event

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _formfield(db_field, **kwargs):
    # Links without a scheme are read as https (Django 6's default, chosen now).
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "title", "doc_number", "url", "occurred_at", "location", "severity"]
        widgets = {"kind": forms.Select, "occurred_at": DateTimeLocalInput()}
        labels = {"occurred_at": _("When it was published or happened")}
        help_texts = {"occurred_at": _("Beijing time.")}
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # the admin's change page shows it read-only
            self.fields["kind"].choices = Event.Kind.choices  # no empty choice

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now():
            raise forms.ValidationError(_("The time of the event is in the future."))
        return occurred_at

    def clean(self):
        data = super().clean()
        if data.get("kind") == Event.Kind.EMERGENCY:
            for field in ("location", "severity"):
                if not data.get(field):
                    self.add_error(field, _("Required for an emergency."))
        elif data.get("kind") == Event.Kind.DOCUMENT and not data.get("url"):
            self.add_error(
                "url", _("Required for a policy document: the link where it is published.")
            )
        return data


class FulfilForm(forms.Form):
    entry = forms.ModelChoiceField(
        queryset=None,
        label=_("Ledger entry with the evidence"),
        empty_label=None,
    )
    at = forms.DateTimeField(
        label=_("When it was done"),
        widget=DateTimeLocalInput(),
        help_text=_(
            "Beijing time: when the interpretation, release or press conference was "
            "published or held."
        ),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda e: f"{e.happened_on} · {e.summary[:60]}"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the event withdrawn?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the event: e.g. recorded for the wrong task, or it did not happen."),
    )


class BoardFilterForm(forms.Form):
    """The clock board's query parameters: the period of the on-time rates (the days the
    obligations were due, both included) and, for the office, one department."""

    since = forms.DateField(label=_("Due from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Due until"), required=False, widget=DateInput())
    department = forms.ModelChoiceField(
        queryset=None, label=_("Department"), required=False, to_field_name="code"
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data
