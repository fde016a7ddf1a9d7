"""The API's views: thin. Reads are querysets scoped to the caller; writes call the same
services as the browser, which hold the rules."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from departments.access import department_of, is_office
from departments.models import Department
from tasks_ledger.api import filters, serializers
from tasks_ledger.api.permissions import IsMember, OfficeWritesOthersRead
from tasks_ledger.api.selectors import entry_body, task_list
from tasks_ledger.errors import Invalid
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.ledger.selectors import entries_visible_to, entry_for_user
from tasks_ledger.ledger.services import (
    evidence_add,
    evidence_remove,
    ledger_entry_accept,
    ledger_entry_create,
    ledger_entry_return,
    ledger_entry_submit,
    ledger_entry_update,
)
from tasks_ledger.plan.models import Assignment, Plan, Section, Task
from tasks_ledger.reviews.models import Finding
from tasks_ledger.reviews.services import finding_record


class TokenView(APIView):
    """Exchange a username and password for the account's API token."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = serializers.TokenRequestSerializer

    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses={200: serializers.TokenSerializer},
        summary="Get an API token",
        description="Returns the account's token (created on first use). Requests are "
        "throttled, and failed passwords count towards the sign-in lockout.",
    )
    def post(self, request):
        serializer = serializers.TokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)


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
    serializer_class = serializers.DepartmentSerializer
    queryset = Department.objects.order_by("order", "code")
    lookup_field = "code"
    filterset_class = filters.DepartmentFilter


@extend_schema_view(
    list=extend_schema(summary="List plans"),
    retrieve=extend_schema(summary="One plan, with its sections and their tasks"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Implementation plans (实施方案), one a year."""

    permission_classes = [IsMember]
    filterset_class = filters.PlanFilter

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
            return serializers.PlanDetailSerializer
        return serializers.PlanSerializer


@extend_schema_view(
    list=extend_schema(summary="List tasks, with their derived status"),
    retrieve=extend_schema(summary="One task"),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks of the plans, with who is assigned, the deadlines and the status light."""

    permission_classes = [IsMember]
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter

    def get_queryset(self):
        return task_list(user=self.request.user, today=timezone.localdate())


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
        request=serializers.FindingUpdateSerializer,
        responses=serializers.FindingSerializer,
    ),
    partial_update=extend_schema(
        summary="Correct part of a finding (office only)",
        request=serializers.FindingUpdateSerializer,
        responses=serializers.FindingSerializer,
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
    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter

    def get_queryset(self):
        findings = Finding.objects.select_related("department", "reviewer").order_by(
            "round_id", "task_id", "department__order", "id"
        )
        if is_office(self.request.user):
            return findings
        # A department reads its own findings; another department's are not found (404).
        return findings.filter(department=department_of(self.request.user))

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.FindingUpdateSerializer
        return serializers.FindingSerializer

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
        return Response(serializers.FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

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
        return Response(serializers.FindingSerializer(finding).data)


class NotFoundView(APIView):
    """Any other URL under /api/: a 404 in the API's error shape, not Django's HTML page."""

    permission_classes = [permissions.AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()


def _add_evidence(*, entry, by, items) -> None:
    for index, item in enumerate(items):
        kind = Evidence.Kind.LINK if item.get("url") else Evidence.Kind.DOC_NUMBER
        try:
            evidence_add(
                entry=entry,
                by=by,
                kind=kind,
                url=item.get("url", ""),
                doc_number=item.get("doc_number", ""),
                note=item.get("note", ""),
            )
        except Invalid as exc:
            # The error names the field inside the item it is about ("evidence.0.url").
            raise exc.within(f"evidence.{index}.") from exc


ENTRY_WRITE_ERRORS = (
    "403: the entry is another department's, or the caller is not one of its department's "
    "staff. 404: the entry is not visible to the caller. 409: the version sent is older "
    "than the stored one, or the entry's state no longer allows it; the body's `current` "
    "is the stored entry."
)


@extend_schema_view(
    list=extend_schema(summary="List ledger entries visible to the caller"),
    retrieve=extend_schema(summary="One ledger entry"),
    create=extend_schema(
        summary="Add a draft entry to the caller's department's ledger",
        description="403 for another department's ledger (or a caller with none, like the "
        "office); 400 naming `task` for a task not assigned to the department.",
    ),
    update=extend_schema(
        summary="Change a draft or returned entry",
        request=serializers.LedgerEntryUpdateSerializer,
        responses=serializers.LedgerEntrySerializer,
        description=ENTRY_WRITE_ERRORS,
    ),
    partial_update=extend_schema(
        summary="Change part of a draft or returned entry (`version` still required)",
        request=serializers.LedgerEntryUpdateSerializer,
        responses=serializers.LedgerEntrySerializer,
        description=ENTRY_WRITE_ERRORS,
    ),
    submit=extend_schema(
        summary="Submit the entry for the department (the head, or staff if allowed)",
        request=serializers.EntryActionSerializer,
        responses=serializers.LedgerEntrySerializer,
        description=ENTRY_WRITE_ERRORS,
    ),
    accept=extend_schema(
        summary="Accept a submitted entry (office only); it is locked from then on",
        request=serializers.EntryActionSerializer,
        responses=serializers.LedgerEntrySerializer,
        description=ENTRY_WRITE_ERRORS,
    ),
    return_entry=extend_schema(
        summary="Return a submitted entry to its department (office only), saying why",
        request=serializers.EntryReturnSerializer,
        responses=serializers.LedgerEntrySerializer,
        description=ENTRY_WRITE_ERRORS,
    ),
)
class LedgerEntryViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The 工作台账. What a caller sees and may change is decided by
    tasks_ledger.ledger.selectors and services, as in the browser: a department sees all
    its own entries, drafts included, and writes only its own; others see what was
    submitted or accepted; the office also sees returned entries, and accepts or returns."""

    permission_classes = [IsMember]
    serializer_class = serializers.LedgerEntrySerializer
    filterset_class = filters.LedgerEntryFilter

    def get_queryset(self):
        return (
            entries_visible_to(user=self.request.user)
            .select_related("department", "author")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
            .order_by("-happened_on", "-id")
        )

    def get_object(self):
        # The selectors' lookup: an entry the caller may not see is a 404 by construction.
        return entry_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.LedgerEntryUpdateSerializer
        return serializers.LedgerEntrySerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        task = data.pop("task")
        department = data.pop("department", None) or department_of(request.user)
        evidence = data.pop("evidence", [])
        if department is None:
            raise PermissionDenied(_("Only a department's own staff write its ledger."))
        # One transaction: an entry whose evidence is refused is not kept half-written.
        with transaction.atomic():
            entry = ledger_entry_create(
                task=task, department=department, by=request.user, data=data
            )
            _add_evidence(entry=entry, by=request.user, items=evidence)
        return Response(entry_body(entry), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        entry = self.get_object()
        serializer = self.get_serializer(entry, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise ValidationError({"version": [_("This field is required.")]}, code="required")
        version = data.pop("version")
        evidence = data.pop("evidence", None)
        with transaction.atomic():
            entry = ledger_entry_update(entry=entry, by=request.user, version=version, data=data)
            if evidence is not None:
                # The update above claimed this version; the evidence goes with it or not
                # at all.
                for item in entry.evidence.exclude(kind=Evidence.Kind.FILE):
                    evidence_remove(evidence=item, by=request.user)
                _add_evidence(entry=entry, by=request.user, items=evidence)
        return Response(entry_body(entry))

    def _action(self, request, service, serializer_class):
        entry = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = service(entry=entry, by=request.user, **serializer.validated_data)
        return Response(entry_body(entry))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._action(request, ledger_entry_submit, serializers.EntryActionSerializer)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._action(request, ledger_entry_accept, serializers.EntryActionSerializer)

    @action(detail=True, methods=["post"], url_path="return")
    def return_entry(self, request, pk=None):
        return self._action(request, ledger_entry_return, serializers.EntryReturnSerializer)
