"""Query parameters of the list endpoints (django-filter). Ordering is a parameter too:
`?ordering=field` or `?ordering=-field`."""

from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters

from departments.models import Department
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Section, Task
from tasks_ledger.reviews.models import Finding


class DepartmentFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(
        choices=Department.Kind.choices, help_text="office, department or unit."
    )
    active = filters.BooleanFilter(help_text="true: only active departments; false: only inactive.")

    class Meta:
        model = Department
        fields = []


class PlanFilter(filters.FilterSet):
    year = filters.NumberFilter(help_text="The plan's year.")
    status = filters.ChoiceFilter(choices=Plan.Status.choices, help_text="draft, active or closed.")

    class Meta:
        model = Plan
        fields = []


class TaskFilter(filters.FilterSet):
    plan = filters.ModelChoiceFilter(queryset=Plan.objects.all(), help_text="Id of a plan.")
    plan_year = filters.NumberFilter(field_name="plan__year", help_text="Year of a plan.")
    section = filters.ModelChoiceFilter(
        queryset=Section.objects.all(), help_text="Id of a section."
    )
    section_number = filters.CharFilter(
        field_name="section__number", help_text="Number of a section as written: 一, 二, …"
    )
    department = filters.CharFilter(
        method="filter_department", help_text="Code of a department assigned to the task."
    )
    status = filters.ChoiceFilter(
        choices=[(light, light) for light in Light.ORDER],
        help_text="Status light, as in the task's `status`.",
    )
    due_before = filters.DateFilter(
        method="filter_due_before", help_text="Has a date deadline on or before this day."
    )
    due_after = filters.DateFilter(
        method="filter_due_after", help_text="Has a date deadline on or after this day."
    )
    ordering = filters.OrderingFilter(
        fields=(
            ("id", "id"),
            ("plan__year", "plan_year"),
            ("section__order", "section"),
            ("order", "order"),
            ("status", "status"),
        ),
        help_text="Order by id, plan_year, section, order or status; `-` first for descending.",
    )

    class Meta:
        model = Task
        fields = []

    def filter_department(self, queryset, name, value):
        # Exists rather than a join, so a task is never listed twice.
        return queryset.filter(
            Exists(Assignment.objects.filter(task=OuterRef("pk"), department__code=value))
        )

    def filter_due_before(self, queryset, name, value):
        return queryset.filter(Exists(self._date_deadlines().filter(due__lte=value)))

    def filter_due_after(self, queryset, name, value):
        return queryset.filter(Exists(self._date_deadlines().filter(due__gte=value)))

    @staticmethod
    def _date_deadlines():
        return Deadline.objects.filter(task=OuterRef("pk"), kind=Deadline.Kind.DATE)


class LedgerEntryFilter(filters.FilterSet):
    task = filters.ModelChoiceFilter(queryset=Task.objects.all(), help_text="Id of a task.")
    department = filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        to_field_name="code",
        help_text="Code of a department.",
    )
    status = filters.ChoiceFilter(
        choices=LedgerEntry.Status.choices, help_text="Progress the entry reports."
    )
    state = filters.ChoiceFilter(choices=LedgerEntry.State.choices, help_text="Workflow state.")
    changed_since = filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this time (ISO 8601, e.g. 2016-10-01T00:00:00+08:00).",
    )
    ordering = filters.OrderingFilter(
        fields=(
            ("id", "id"),
            ("happened_on", "happened_on"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        ),
        help_text="Order by id, happened_on, created_at or updated_at; `-` first for "
        "descending. Default: newest work first.",
    )

    class Meta:
        model = LedgerEntry
        fields = []


class FindingFilter(filters.FilterSet):
    round = filters.ModelChoiceFilter(
        queryset=ReviewRound.objects.all(), help_text="Id of a review round."
    )
    task = filters.ModelChoiceFilter(queryset=Task.objects.all(), help_text="Id of a task.")
    department = filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        to_field_name="code",
        help_text="Code of a department.",
    )
    rating = filters.ChoiceFilter(choices=Finding.Rating.choices, help_text="The rating given.")
    ordering = filters.OrderingFilter(
        fields=(("id", "id"), ("updated_at", "updated_at"), ("score", "score")),
        help_text="Order by id, updated_at or score; `-` first for descending.",
    )

    class Meta:
        model = Finding
        fields = []
