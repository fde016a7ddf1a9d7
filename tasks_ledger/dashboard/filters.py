"""The dashboard's filters. They live in the URL (GET), so a view can be bookmarked and
shared: ?department=policy-law&section=12&status=overdue&changed_since=2016-09-01&as_of=…
"""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tasks_ledger.dashboard.asof import end_of_day
from tasks_ledger.ledger.status import Light

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DashboardFilter(django_filters.FilterSet):
    """Filters an assignment queryset annotated by `status.with_status` and
    `selectors.with_last_change`. The department and section choices are passed in (read
    once by the selector) so that validating a choice costs no query."""

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
    changed_since = django_filters.DateFilter(
        label=_("Changed since"), method="filter_changed_since", widget=DATE_INPUT
    )
    # Not a filter of the rows: the view reads it to choose the source of the entries.
    as_of = django_filters.DateFilter(label=_("As of"), method="keep", widget=DATE_INPUT)

    def __init__(self, *args, departments=(), sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = list(departments)
        self.filters["section"].extra["choices"] = list(sections)

    def filter_changed_since(self, queryset, name, value):
        # From the start of that day in the bureau's time zone: the end of the day before.
        return queryset.filter(last_change__gte=end_of_day(value - datetime.timedelta(days=1)))

    def keep(self, queryset, name, value):
        return queryset
