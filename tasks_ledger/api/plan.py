"""The plan in the API: /api/departments/, /api/plans/ (with their sections and tasks)
and /api/tasks/ (with who is assigned, the deadlines and the status light). Read only.
Registered in tasks_ledger/api/urls.py; one module per concern, as for every part of the
API (ledger.py, findings.py, clocks.py, auth.py)."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from departments.models import Department
from tasks_ledger.api.permissions import IsMember
from tasks_ledger.api.selectors import task_list
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task

# The derived light's values, named for the OpenAPI enum (SPECTACULAR_SETTINGS).
TASK_STATUS_CHOICES = [(light, light) for light in Light.ORDER]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "kind", "order", "active"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "code": {"help_text": "Short stable code, used everywhere the API names a department."},
            "name": {"help_text": "Name as written in the plan (处室 / 单位)."},
            "kind": {
                "help_text": "office: the bureau office; department; unit: a subordinate unit."
            },
            "order": {"help_text": "Position in lists."},
            "active": {"help_text": "Inactive departments keep their history but get no new work."},
        }


class AssignmentSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code of the department assigned."
    )

    class Meta:
        model = Assignment
        fields = ["department", "role"]
        extra_kwargs = {
            "role": {"help_text": "lead: named first (牵头/负责); partner: joins (会同/配合)."}
        }


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "text", "kind", "due", "amount", "unit", "after", "every"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "kind": {
                "help_text": "date: by a date; relative: within an amount after an event; "
                "recurring: every period."
            },
            "due": {"help_text": "For kind date: the last day the words allow."},
            "amount": {"help_text": "For kind relative: how many units after the event."},
            "unit": {"help_text": "For kind relative: workday, day or hour."},
            "after": {"help_text": "For kind relative: the event it counts from, as written."},
            "every": {"help_text": "For kind recurring: week, month, quarter, year or periodic."},
        }


class TaskSerializer(serializers.ModelSerializer):
    section_number = serializers.CharField(
        source="section.number", read_only=True, help_text="Number of its section: 一, 二, …"
    )
    code = serializers.CharField(
        read_only=True, help_text="How people cite the task: 二(三), or 二(三)1 for a sub-task."
    )
    assignments = AssignmentSerializer(
        many=True, read_only=True, help_text="The departments assigned, lead first."
    )
    deadlines = DeadlineSerializer(many=True, read_only=True, help_text="Its deadlines.")
    status = serializers.ChoiceField(
        choices=TASK_STATUS_CHOICES,
        read_only=True,
        allow_null=True,
        help_text="Derived status light. For department staff and heads on a task of their "
        "department: their department's light; otherwise the worst light across the task's "
        "departments (overdue, due_soon, blocked, not_filed, awaiting, on_track, done); done "
        "means the office accepted it, awaiting that it is said done and not yet accepted, "
        "not_filed that no entry has been submitted; null when no department is assigned.",
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "section_number",
            "parent",
            "number",
            "code",
            "title",
            "body",
            "other_units",
            "assignments",
            "deadlines",
            "status",
        ]
        extra_kwargs = {
            "id": {"help_text": "Internal id; ledger entries name their task by it."},
            "plan": {"help_text": "Id of the plan."},
            "section": {"help_text": "Id of the section."},
            "parent": {"help_text": "Id of the parent task, for a sub-task; else null."},
            "title": {"help_text": "Its first sentence."},
        }


class SectionTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "parent", "number", "title"]
        extra_kwargs = {
            "id": {"help_text": "Id of the task; /api/tasks/{id}/ has the rest."},
            "parent": {"help_text": "Id of the parent task, for a sub-task; else null."},
            "title": {"help_text": "Its first sentence."},
        }


class SectionSerializer(serializers.ModelSerializer):
    tasks = SectionTaskSerializer(
        many=True, read_only=True, help_text="Its tasks and sub-tasks, in the plan's order."
    )

    class Meta:
        model = Section
        fields = ["id", "number", "title", "body", "tasks"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "title": {"help_text": "Its heading."},
            "body": {"help_text": "Text between the heading and the first task."},
        }


PLAN_FIELD_HELP = {
    "id": {"help_text": "Internal id."},
    "year": {"help_text": "The year the plan is for."},
    "issuer": {"help_text": "Who issued it."},
    "title": {"help_text": "Its title."},
    "status": {"help_text": "draft, active (departments work on it) or closed."},
    "created_at": {"help_text": "When it was stored."},
    "updated_at": {"help_text": "When it last changed."},
    "preamble": {"help_text": "Text before the first section."},
}


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "year", "issuer", "title", "status", "created_at", "updated_at"]
        extra_kwargs = PLAN_FIELD_HELP


class PlanDetailSerializer(PlanSerializer):
    sections = SectionSerializer(
        many=True, read_only=True, help_text="Its sections, each with its tasks."
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "preamble", "sections"]


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


@extend_schema_view(
    list=extend_schema(summary="List departments"),
    retrieve=extend_schema(
        summary="One department, by code",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Its code."
            )
        ],
    ),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The bureau's departments (处室) and units."""

    permission_classes = [IsMember]
    serializer_class = DepartmentSerializer
    queryset = Department.objects.all()  # in the model's order: `order`, then `code`
    lookup_field = "code"
    filterset_class = DepartmentFilter


@extend_schema_view(
    list=extend_schema(summary="List plans"),
    retrieve=extend_schema(summary="One plan, with its sections and their tasks"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Implementation plans (实施方案), one a year."""

    permission_classes = [IsMember]
    filterset_class = PlanFilter

    def get_queryset(self):
        plans = Plan.objects.order_by("-year")
        if self.action == "retrieve":
            # Three queries: the plan, its sections, their tasks.
            return plans.prefetch_related(
                Prefetch(
                    "sections",
                    queryset=Section.objects.order_by("order", "id").prefetch_related(
                        Prefetch("tasks", queryset=Task.objects.order_by("order", "id"))
                    ),
                )
            )
        return plans

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PlanDetailSerializer
        return PlanSerializer


@extend_schema_view(
    list=extend_schema(summary="List tasks, with their derived status"),
    retrieve=extend_schema(summary="One task"),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks of the plans, with who is assigned, the deadlines and the status light."""

    permission_classes = [IsMember]
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return task_list(user=self.request.user, today=timezone.localdate())
