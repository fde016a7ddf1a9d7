"""The clocks in the API: /api/events/ (record, list, read, withdraw) and /api/obligations/
(list, filter, read, fulfil). Registered in tasks_ledger/api/urls.py; the conventions
(IsMember, the error shape, token auth) are those of the rest of tasks_ledger/api, where the
whole API lives: the API sits above the concerns it serves."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.models import Department
from tasks_ledger.api.people import PersonNameField
from tasks_ledger.api.permissions import IsMember
from tasks_ledger.clocks import selectors, services
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.plan.models import Task

STATE_CHOICES = Obligation.State.choices


class ObligationSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(
        source="event.task_id", read_only=True, help_text="Id of the task."
    )
    department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code of the department that owes it."
    )
    state = serializers.ChoiceField(
        choices=STATE_CHOICES,
        read_only=True,
        help_text="Derived, never set: open, due_soon (the alert went), met (on time), late, "
        "overdue (unmet past its due time).",
    )
    confirmed = serializers.BooleanField(
        source="is_confirmed",
        read_only=True,
        help_text="False when the due time rests on a calendar nobody has confirmed.",
    )
    late_by_seconds = serializers.SerializerMethodField(
        help_text="How late it was met, in seconds; null if on time or not met."
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "event",
            "task",
            "department",
            "deadline_text",
            "amount",
            "unit",
            "due_at",
            "state",
            "calendar",
            "confirmed",
            "fulfilled_by",
            "fulfilled_at",
            "late_by_seconds",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "amount": {"help_text": "How many units the plan allows: 3, 5, 24."},
            "unit": {"help_text": "workday (China's working days), day or hour."},
            "event": {"help_text": "Id of the event that started it."},
            "deadline_text": {"help_text": "The plan's words: 3个工作日内, 5小时内."},
            "due_at": {"help_text": "When it is due (ISO 8601, Beijing time)."},
            "calendar": {
                "help_text": "Which calendar gave the due time: chinese-calendar, admin (the "
                "administrator's holidays), weekends-only (unconfirmed), none (hours or days)."
            },
            "fulfilled_by": {"help_text": "Id of the ledger entry that fulfilled it."},
            "fulfilled_at": {"help_text": "When the work was done."},
        }

    def get_late_by_seconds(self, obligation) -> int | None:
        late = obligation.late_by
        return int(late.total_seconds()) if late else None


class EventSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), help_text="Id of the task whose relative deadlines it starts."
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text="Code of the department that recorded it; null when the office did.",
    )
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Username of who recorded it."
    )
    recorded_by_name = PersonNameField(source="recorded_by", help_text="Name of who recorded it.")
    obligations = ObligationSerializer(
        many=True, read_only=True, source="obligation_list", help_text="What it started."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "task",
            "kind",
            "title",
            "doc_number",
            "url",
            "location",
            "severity",
            "occurred_at",
            "department",
            "recorded_by",
            "recorded_by_name",
            "created_at",
            "withdrawn_at",
            "withdrawal_reason",
            "obligations",
        ]
        read_only_fields = ["created_at", "withdrawn_at", "withdrawal_reason"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "created_at": {"help_text": "When it was recorded."},
            "kind": {"help_text": "document: a policy document published; emergency."},
            "doc_number": {"help_text": "The document's number (文号)."},
            "url": {"help_text": "Where the document is published (required for a document)."},
            "location": {"help_text": "Where the emergency happened (required for one)."},
            "severity": {
                "help_text": "The emergency's grade (required for one). Only extreme (I) and "
                "major (II) start clocks; ordinary and large are refused (400)."
            },
            "withdrawn_at": {"help_text": "When it was withdrawn as recorded by mistake."},
            "withdrawal_reason": {"help_text": "Why it was withdrawn."},
            "occurred_at": {
                "help_text": "When it was published or happened (ISO 8601, e.g. "
                "2016-09-30T16:00:00+08:00); not in the future."
            },
        }

    def validate(self, attrs):
        errors = {}
        if attrs["kind"] == Event.Kind.EMERGENCY:
            for field in ("location", "severity"):
                if not attrs.get(field):
                    errors[field] = serializers.ErrorDetail(
                        _("Required for an emergency."), code="required"
                    )
        elif not attrs.get("url"):
            errors["url"] = serializers.ErrorDetail(
                _("Required for a policy document."), code="required"
            )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class FulfilSerializer(serializers.Serializer):
    entry = serializers.PrimaryKeyRelatedField(
        queryset=LedgerEntry.objects.none(),
        help_text="Id of the owing department's ledger entry, with evidence, for the task, "
        "about work on or after the event's day.",
    )
    at = serializers.DateTimeField(help_text="When the work was done (ISO 8601).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only entries the caller may open: another's draft is "does not exist", as an
        # unknown id is.
        request = self.context.get("request")  # none while the schema is generated
        if request is not None:
            self.fields["entry"].queryset = entries_visible_to(user=request.user)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why the event is withdrawn.")


class EventFilter(filters.FilterSet):
    task = filters.NumberFilter(field_name="task", help_text="Id of a task.")
    kind = filters.ChoiceFilter(choices=Event.Kind.choices, help_text="document or emergency.")

    class Meta:
        model = Event
        fields = []


def _obligations(now):
    return Obligation.objects.with_state(now).select_related("event", "department")


@extend_schema_view(
    list=extend_schema(summary="List trigger events"),
    retrieve=extend_schema(summary="One trigger event, with its obligations"),
    create=extend_schema(summary="Record a trigger event: starts its task's clocks"),
)
class EventViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Published policy documents and emergencies that start relative deadlines. A
    department records them for its own tasks; the office for any."""

    permission_classes = [IsMember]
    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        # Two queries for a page of any size: the events, then their obligations.
        return (
            selectors.visible_events(self.request.user)
            .select_related("department", "recorded_by__membership")
            .prefetch_related(
                Prefetch(
                    "obligations",
                    queryset=_obligations(timezone.now()).order_by("due_at", "id"),
                    to_attr="obligation_list",
                )
            )
            .order_by("-occurred_at", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        task = data.pop("task")
        if not selectors.recordable_tasks(self.request.user).filter(pk=task.pk).exists():
            raise PermissionDenied
        # A refusal (ClockError) is answered by api/exceptions.py, naming its field.
        event = services.event_record(task=task, by=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=event.pk)

    @extend_schema(
        request=WithdrawSerializer,
        responses={200: EventSerializer},
        summary="Withdraw an event recorded by mistake: closes its obligations",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        event = self.get_object()
        if not selectors.may_withdraw(request.user, event):
            raise PermissionDenied
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.event_withdraw(event=event, by=request.user, **serializer.validated_data)
        return Response(EventSerializer(self.get_queryset().get(pk=event.pk)).data)


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 time compared in UTC: Python reads offsets up to ±23:59, PostgreSQL only
    up to ±15:59, so `+20:11` would reach the database as an error instead of a time."""

    def filter(self, qs, value):
        if value is not None and timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return super().filter(qs, value)


class ObligationFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(
        queryset=Department.objects.all(), to_field_name="code", help_text="Code of a department."
    )
    task = filters.NumberFilter(field_name="event__task", help_text="Id of a task.")
    event = filters.NumberFilter(field_name="event", help_text="Id of an event.")
    state = filters.ChoiceFilter(choices=STATE_CHOICES, help_text="The derived state.")
    due_before = UtcDateTimeFilter(
        field_name="due_at", lookup_expr="lte", help_text="Due at or before (ISO 8601)."
    )
    due_after = UtcDateTimeFilter(
        field_name="due_at", lookup_expr="gte", help_text="Due at or after (ISO 8601)."
    )

    class Meta:
        model = Obligation
        fields = []


@extend_schema_view(
    list=extend_schema(summary="List obligations, with their derived state"),
    retrieve=extend_schema(summary="One obligation"),
)
class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """What each department owes after an event, due when, and whether it was met."""

    permission_classes = [IsMember]
    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter

    def get_queryset(self):
        return (
            _obligations(timezone.now())
            .filter(event__in=selectors.visible_events(self.request.user))
            .order_by("due_at", "id")
        )

    @extend_schema(
        request=FulfilSerializer,
        responses={200: ObligationSerializer},
        summary="Fulfil an obligation with a ledger entry",
    )
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        obligation = self.get_object()
        if not selectors.may_fulfil(request.user, obligation):
            raise PermissionDenied
        serializer = FulfilSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.obligation_fulfil(
            obligation=obligation,
            entry=serializer.validated_data["entry"],
            at=serializer.validated_data["at"],
            by=request.user,
        )
        fresh = self.get_queryset().get(pk=obligation.pk)
        return Response(ObligationSerializer(fresh).data, status=status.HTTP_200_OK)
