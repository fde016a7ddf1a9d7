"""Forms of the plan import page: what to read, the year, and a task's corrections."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.models import Department

ROLE_CHOICES = [("lead", gettext_lazy("Lead")), ("partner", gettext_lazy("Partner"))]


class ImportSourceForm(forms.Form):
    """A plan file, or its text pasted: exactly one of the two."""

    file = forms.FileField(label=gettext_lazy("Plan file"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Or paste the plan's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise ValidationError(_("Choose a file or paste the text, one of the two."))
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year of the plan"), min_value=1990, max_value=2200
    )


class UnitMappingForm(forms.Form):
    name = forms.CharField(max_length=100)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.filter(active=True),
        empty_label=gettext_lazy("(choose a department)"),
    )


def task_correction(post, task: dict) -> dict:
    """The corrected task from the preview's form (keyword arguments of
    import_draft_correct_task). Rows are addressed by their index in the draft: unit-0-name,
    deadline-1-due; a ticked …-remove drops the row; new-unit-… and new-deadline-… add one.
    Raises ValidationError naming the field in the clerk's words."""
    units = []
    for index, unit in enumerate(task.get("departments", [])):
        if post.get(f"unit-{index}-remove"):
            continue
        units.append(
            {
                "name": post.get(f"unit-{index}-name", unit["name"]).strip(),
                "role": _role(post.get(f"unit-{index}-role", unit["role"])),
            }
        )
    if post.get("new-unit-name", "").strip():
        units.append(
            {"name": post["new-unit-name"].strip(), "role": _role(post.get("new-unit-role"))}
        )
    deadlines = []
    for index, deadline in enumerate(task.get("deadlines", [])):
        if post.get(f"deadline-{index}-remove"):
            continue
        # The facts only: where it was read from comes back if they are unchanged (drafts).
        item = {k: v for k, v in deadline.items() if k not in ("source", "guess")}
        item["text"] = post.get(f"deadline-{index}-text", deadline["text"]).strip()
        if deadline["kind"] == "date":
            item["due"] = _date(post.get(f"deadline-{index}-due", deadline.get("due")), index + 1)
        deadlines.append(item)
    if post.get("new-deadline-text", "").strip():
        due = _date(post.get("new-deadline-due"), len(task.get("deadlines", [])) + 1)
        deadlines.append({"text": post["new-deadline-text"].strip(), "kind": "date", "due": due})
    return {
        "number": post.get("number", ""),
        "title": post.get("title", ""),
        "ongoing": bool(post.get("ongoing")),
        "units": units,
        "deadlines": deadlines,
    }


def _role(value) -> str:
    if value not in ("lead", "partner"):
        raise ValidationError(_("A unit's role must be lead or partner."))
    return value


def _date(value, number: int) -> str:
    try:
        return datetime.date.fromisoformat((value or "").strip()).isoformat()
    except ValueError:
        raise ValidationError(
            _("Deadline %(number)s: the date must be written YYYY-MM-DD.") % {"number": number}
        ) from None
