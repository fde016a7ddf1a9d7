"""The ledger in the API: /api/ledger-entries/ (read, create with evidence, change, and the
submit / accept / return workflow). Writes call the same services as the browser, which
hold the rules (who may, workflow, locking); the serializers only shape and check data.
Registered in tasks_ledger/api/urls.py."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from departments.access import department_of
from departments.models import Department
from tasks_ledger.api.ledger_serializers import (
    EntryActionSerializer,
    EntryReturnSerializer,
    LedgerEntrySerializer,
    LedgerEntryUpdateSerializer,
)
from tasks_ledger.api.permissions import IsMember
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.selectors import entries_visible_to, entry_for_user
from tasks_ledger.ledger.services import (
    ledger_entry_accept,
    ledger_entry_record,
    ledger_entry_return,
    ledger_entry_revise,
    ledger_entry_submit,
)
from tasks_ledger.plan.models import Task


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


def entry_body(entry: LedgerEntry) -> dict:
    """An entry as the API shows it, read afresh with what the serializer needs (also the
    `current` of a 409)."""
    entry = LedgerEntry.objects.with_people().get(pk=entry.pk)
    return changed_body(entry)


def changed_body(entry: LedgerEntry) -> dict:
    """The API's answer to a write: `entry` as the write left it — created with its task,
    department and author, or read with them (`entry_for_user`) and kept current by the
    services (they refresh its row when they claim it). Only its evidence is read again."""
    return LedgerEntrySerializer(with_evidence(entry)).data


def with_evidence(entry: LedgerEntry) -> LedgerEntry:
    """`entry` with its evidence read, in the order it was added (by id alone: the model's
    own order goes through the entry's, a join for nothing)."""
    prefetch_related_objects(
        [entry], Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
    )
    return entry


def _evidence_items(items) -> list[dict]:
    """The API's evidence (a link or a document number each) as the ledger's services take
    it (`evidence_add`'s arguments): the kind follows from what is given."""
    return [
        {
            "kind": Evidence.Kind.LINK if item.get("url") else Evidence.Kind.DOC_NUMBER,
            "url": item.get("url", ""),
            "doc_number": item.get("doc_number", ""),
            "note": item.get("note", ""),
        }
        for item in items
    ]


ENTRY_WRITE_ERRORS = (
    "403: the entry is another department's, or the caller is not one of its department's "
    "staff. 404: the entry is not visible to the caller. 409: the version sent is older "
    "than the stored one, or the entry's state no longer allows it; the body's `current` "
    "is the stored entry."
)


def _entry_write(summary: str, request):
    """The schema of a write to one entry: the body it takes, the entry it answers with, and
    the refusals every such write may meet."""
    return extend_schema(
        summary=summary,
        request=request,
        responses=LedgerEntrySerializer,
        description=ENTRY_WRITE_ERRORS,
    )


@extend_schema_view(
    list=extend_schema(summary="List ledger entries visible to the caller"),
    retrieve=extend_schema(summary="One ledger entry"),
    create=extend_schema(
        summary="Add an entry to the caller's department's ledger: a draft, or submitted "
        "at once with `submit`",
        description="403 for another department's ledger (or a caller with none, like the "
        "office); 400 naming `task` for a task not assigned to the department.",
    ),
    update=_entry_write("Change a draft or returned entry", LedgerEntryUpdateSerializer),
    partial_update=_entry_write(
        "Change part of a draft or returned entry (`version` still required)",
        LedgerEntryUpdateSerializer,
    ),
    submit=_entry_write(
        "Submit the entry for the department (the head, or staff if allowed)", EntryActionSerializer
    ),
    accept=_entry_write(
        "Accept a submitted entry (office only); it is locked from then on", EntryActionSerializer
    ),
    return_entry=_entry_write(
        "Return a submitted entry to its department (office only), saying why",
        EntryReturnSerializer,
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
    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerEntryFilter

    def get_queryset(self):
        return (
            entries_visible_to(user=self.request.user)
            .with_people()
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
            .order_by("-happened_on", "-id")
        )

    def get_object(self):
        # The selectors' lookup: an entry the caller may not see is a 404 by construction.
        # The API names the task by id: its code's joins are left out.
        return entry_for_user(user=self.request.user, pk=self.kwargs["pk"], task_code=False)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(with_evidence(self.get_object())).data)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return LedgerEntryUpdateSerializer
        return LedgerEntrySerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        task = data.pop("task")
        department = data.pop("department", None) or department_of(request.user)
        evidence = data.pop("evidence", [])
        submit = data.pop("submit", False)
        if department is None:
            raise PermissionDenied(_("Only a department's own staff write its ledger."))
        entry = ledger_entry_record(
            task=task,
            department=department,
            by=request.user,
            data=data,
            evidence=_evidence_items(evidence),
            submit=submit,
        )
        return Response(changed_body(entry), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        entry = self.get_object()
        serializer = self.get_serializer(entry, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise ValidationError({"version": [_("This field is required.")]}, code="required")
        version = data.pop("version")
        evidence = data.pop("evidence", None)
        # Evidence given replaces the links and numbers; left out, keeps them all.
        entry = ledger_entry_revise(
            entry=entry,
            by=request.user,
            version=version,
            data=data,
            evidence=_evidence_items(evidence or []),
            replace_evidence=evidence is not None,
        )
        return Response(changed_body(entry))

    def _action(self, request, service, serializer_class):
        entry = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = service(entry=entry, by=request.user, **serializer.validated_data)
        return Response(changed_body(entry))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._action(request, ledger_entry_submit, EntryActionSerializer)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._action(request, ledger_entry_accept, EntryActionSerializer)

    @action(detail=True, methods=["post"], url_path="return")
    def return_entry(self, request, pk=None):
        return self._action(request, ledger_entry_return, EntryReturnSerializer)
