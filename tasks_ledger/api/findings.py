"""Review findings in the API: /api/findings/. The office records and corrects them through
the reviews' service; a department reads its own. Registered in tasks_ledger/api/urls.py."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from departments.access import department_of, is_office
from departments.models import Department
from tasks_ledger.api.people import PersonNameField
from tasks_ledger.api.permissions import IsMember, OfficeWritesOthersRead
from tasks_ledger.plan.models import Assignment, ReviewRound, Task
from tasks_ledger.reviews.models import Finding
from tasks_ledger.reviews.services import finding_record

FINDING_FIELD_HELP = {
    "id": {"help_text": "Internal id."},
    "rating": {"help_text": "complete (完成), mostly (基本完成) or incomplete (未完成)."},
    "score": {
        "help_text": "Score from 0 to 100: required for an assessment, absent for a check.",
        "min_value": 0,
        "max_value": 100,
    },
    "comment": {"help_text": "The reviewer's comment."},
    "created_at": {"help_text": "When it was recorded."},
    "updated_at": {"help_text": "When it last changed."},
}


class FindingSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(
        queryset=ReviewRound.objects.all(), help_text="Id of the review round."
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), help_text="Id of the task reviewed."
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        help_text="Code of the department reviewed; it must be assigned to the task.",
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Username of the reviewer."
    )
    reviewer_name = PersonNameField(source="reviewer", help_text="Name of the reviewer.")

    class Meta:
        model = Finding
        fields = [
            "id",
            "round",
            "task",
            "department",
            "rating",
            "score",
            "comment",
            "reviewer",
            "reviewer_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = FINDING_FIELD_HELP

    def validate(self, attrs):
        # The finding is of a task × assigned department: find that assignment, so that
        # the service receives what the browser's form gives it.
        try:
            attrs["assignment"] = Assignment.objects.select_related("task").get(
                task=attrs["task"], department=attrs["department"]
            )
        except Assignment.DoesNotExist:
            raise serializers.ValidationError(
                {"department": _("This department is not assigned to the task.")},
                code="not_assigned",
            ) from None
        return attrs


class FindingUpdateSerializer(serializers.ModelSerializer):
    """A correction: the rating, score and comment of a finding already recorded."""

    class Meta:
        model = Finding
        fields = ["rating", "score", "comment"]
        extra_kwargs = FINDING_FIELD_HELP


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


@extend_schema_view(
    list=extend_schema(summary="List review findings"),
    retrieve=extend_schema(summary="One finding"),
    create=extend_schema(
        summary="Record a finding (office only)",
        description="Records the finding of a task × assigned department in an open round. "
        "One finding per round, task and department: correct it with PUT or PATCH.",
    ),
    update=extend_schema(
        summary="Correct a finding (office only)",
        request=FindingUpdateSerializer,
        responses=FindingSerializer,
    ),
    partial_update=extend_schema(
        summary="Correct part of a finding (office only)",
        request=FindingUpdateSerializer,
        responses=FindingSerializer,
    ),
)
class FindingViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Findings of the October check and the January assessment: the office records them;
    a department reads its own."""

    permission_classes = [IsMember, OfficeWritesOthersRead]
    serializer_class = FindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        findings = Finding.objects.select_related("department", "reviewer__membership").order_by(
            "round_id", "task_id", "department__order", "id"
        )
        if is_office(self.request.user):
            return findings
        # A department reads its own findings; another department's are not found (404).
        return findings.filter(department=department_of(self.request.user))

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return FindingUpdateSerializer
        return FindingSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        finding = finding_record(
            review_round=data["round"],
            assignment=data["assignment"],
            rating=data["rating"],
            score=data.get("score"),
            comment=data.get("comment", ""),
            by=request.user,
        )
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        finding = self.get_object()
        serializer = self.get_serializer(finding, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = Assignment.objects.select_related("task").get(
            task=finding.task_id, department=finding.department_id
        )
        finding = finding_record(
            review_round=finding.round,
            assignment=assignment,
            rating=data.get("rating", finding.rating),
            score=data.get("score", finding.score),
            comment=data.get("comment", finding.comment),
            by=request.user,
        )
        return Response(FindingSerializer(finding).data)
