"""The dashboard's filters. They live in the URL (GET), so a view can be bookmarked and
shared: ?department=policy-law&section=12&status=overdue&changed_since=2016-09-01&as_of=…
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tasks_ledger.ledger.history import end_of_day
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment


def date_param(params, name: str) -> datetime.date | None:
    """The date `name` of a query string, or None when absent or not a date (the form
    reports that one)."""
    try:
        return forms.DateField(required=False).clean(params.get(name))
    except ValidationError:
        return None


class DashboardFilter(django_filters.FilterSet):
    """The filter form of the dashboard's rows: the plan's assignments, loaded whole with
    their status light by the selector (`lights.rows_with_lights`, `last_change` too when
    "changed since" is asked). Those rows number the plan's assignments (dozens), and all of
    them are needed anyway for the department and section choices, so `rows()` keeps the
    chosen ones in Python rather than asking the database a second time."""

    department = django_filters.ChoiceFilter(
        label=_("Department"), field_name="department__code", empty_label=_("All departments")
    )
    section = django_filters.ChoiceFilter(
        label=_("Section"), field_name="task__section_id", empty_label=_("All sections")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="light",
        choices=[(light, Light.LABELS[light]) for light in Light.ORDER],
        empty_label=_("Any status"),
    )
    # The template writes the inputs (type="date"), not the fields' widgets.
    changed_since = django_filters.DateFilter(label=_("Changed since"))
    # Not a filter of the rows: the selector reads it to choose the source of the entries.
    as_of = django_filters.DateFilter(label=_("As of"))

    def __init__(self, data=None, *, rows: list):
        super().__init__(data, queryset=Assignment.objects.none())
        self.every_row = rows
        departments = {(r.department.order, r.department.code, r.department.name) for r in rows}
        sections = {(r.task.section.order, r.task.section_id, str(r.task.section)) for r in rows}
        self.filters["department"].extra["choices"] = [
            (code, name) for _order, code, name in sorted(departments)
        ]
        # Choice values are strings, as they come in the URL.
        self.filters["section"].extra["choices"] = [
            (str(section_id), label) for _order, section_id, label in sorted(sections)
        ]

    @property
    def chosen(self) -> dict:
        """The valid choices: an invalid one is left out (and shown by the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def rows(self, *, by_place_only: bool = False) -> list:
        """The rows the choices keep; with `by_place_only`, by department and section only
        (the scope of the weekly chart and the recent activity, which have no light)."""
        chosen = self.chosen
        kept = self.every_row
        if "department" in chosen:
            kept = [r for r in kept if r.department.code == chosen["department"]]
        if "section" in chosen:
            kept = [r for r in kept if str(r.task.section_id) == chosen["section"]]
        if by_place_only:
            return kept
        if "status" in chosen:
            kept = [r for r in kept if r.light == chosen["status"]]
        if "changed_since" in chosen:
            # From the start of that day in the bureau's time zone: the end of the day before.
            since = end_of_day(chosen["changed_since"] - datetime.timedelta(days=1))
            kept = [r for r in kept if r.last_change is not None and r.last_change >= since]
        return kept
