"""Trigger events and the obligations they start."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks_ledger.calendar import workdays
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Deadline, Task


class Calendar(models.TextChoices):
    """Which calendar gave a due time; anything but the official one is unconfirmed."""

    OFFICIAL = workdays.OFFICIAL, _("Official (chinese-calendar)")
    ADMIN = workdays.ADMIN, _("Entered by the administrator")
    WEEKENDS_ONLY = workdays.WEEKENDS_ONLY, _("Weekends only (unconfirmed)")
    # Hours and calendar days run on the clock: no calendar is needed to count them.
    NONE = "none", _("None needed (hours or calendar days)")

    @classmethod
    def confirmed(cls) -> list[str]:
        return [cls.OFFICIAL, cls.NONE]


class Event(models.Model):
    """Something that starts a task's relative deadlines: a published policy document or
    an emergency."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Policy document published")
        EMERGENCY = "emergency", _("Emergency")

    class Severity(models.TextChoices):
        # The four grades of the national emergency response plan (I–IV).
        EXTREME = "extreme", _("Extremely serious (I)")
        MAJOR = "major", _("Major (II)")
        LARGE = "large", _("Serious (III)")
        ORDINARY = "ordinary", _("Ordinary (IV)")

        @classmethod
        def with_clocks(cls) -> list[str]:
            """The grades the plan's 5-hour and 24-hour rules are for: 特别重大 and 重大
            (its words: 重大突发事件发生后); III and IV events start no clock."""
            return [cls.EXTREME, cls.MAJOR]

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="clock_events", verbose_name=_("task")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The document's title, or what happened.")
    )
    doc_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    occurred_at = models.DateTimeField(
        _("when"), help_text=_("When the document was published, or the emergency happened.")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clock_events",
        verbose_name=_("recorded for"),
        help_text=_("The department that recorded it; empty when the office did."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="clock_events",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Claimed by the one run that sends the "clock started" alert (see services).
    alerted_at = models.DateTimeField(_("alert sent at"), null=True, blank=True, editable=False)
    # An event recorded by mistake is withdrawn, never deleted: the record and its reason
    # stay, and its obligations are closed (Obligation.State.WITHDRAWN).
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)

    class Meta:
        verbose_name = _("trigger event")
        verbose_name_plural = _("trigger events")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="clock_event_fields_match_kind",
                condition=Q(kind="document", severity="", location="")
                | Q(kind="emergency", doc_number="") & ~Q(severity=""),
            ),
            models.CheckConstraint(
                name="clock_event_withdrawal_complete",
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                & ~Q(withdrawal_reason=""),
            ),
        ]
        indexes = [
            # The task page lists a task's events, newest first.
            models.Index(fields=["task", "-occurred_at"], name="clock_event_by_task"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.title}"


class ObligationQuerySet(models.QuerySet):
    def with_state(self, now: datetime.datetime):
        """Annotate `state` (see Obligation.State), derived in the database at `now`."""
        return self.annotate(state=Obligation.state_expression(now))

    def running(self):
        """Obligations whose event stands: a withdrawn event's are closed, counted nowhere."""
        return self.filter(event__withdrawn_at__isnull=True)


class Obligation(models.Model):
    """One relative deadline of a task, started by an event, owed by one department."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DUE_SOON = "due_soon", _("Due soon")
        MET = "met", _("Met on time")
        LATE = "late", _("Met late")
        OVERDUE = "overdue", _("Overdue")
        WITHDRAWN = "withdrawn", _("Withdrawn with its event")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("event")
    )
    # The plan may be edited or re-imported later: what was owed is copied here, and the
    # deadline link is only a pointer back.
    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("deadline"),
    )
    deadline_text = models.CharField(_("deadline"), max_length=100)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=10, choices=Deadline.Unit.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("department"),
    )
    due_at = models.DateTimeField(_("due"))
    warn_at = models.DateTimeField(
        _("due soon from"), help_text=_("When the obligation turns due soon and is alerted.")
    )
    calendar = models.CharField(
        _("calendar"), max_length=20, choices=Calendar.choices, default=Calendar.OFFICIAL
    )
    fulfilled_by = models.ForeignKey(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("fulfilled by"),
    )
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    fulfilment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fulfilment recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Each claimed by the one run that sends that alert (see services).
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    breach_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "department", "deadline_text"], name="obligation_unique"
            ),
            models.CheckConstraint(
                name="obligation_fulfilment_complete",
                condition=Q(fulfilled_by__isnull=True, fulfilled_at__isnull=True)
                | Q(fulfilled_by__isnull=False, fulfilled_at__isnull=False),
            ),
            models.CheckConstraint(
                name="obligation_warn_before_due", condition=Q(warn_at__lte=F("due_at"))
            ),
        ]
        indexes = [
            # The clock board and the alert sweep look at open obligations by due time.
            models.Index(
                fields=["due_at"],
                condition=Q(fulfilled_at__isnull=True),
                name="obligation_open_by_due",
            ),
            # A department's obligations on the board.
            models.Index(fields=["department", "due_at"], name="obligation_by_department"),
        ]

    def __str__(self):
        return f"{self.event} · {self.department} · {self.deadline_text}"

    @staticmethod
    def state_expression(now: datetime.datetime):
        # Overdue only after the due time: at the due second itself it is still due soon.
        return Case(
            When(event__withdrawn_at__isnull=False, then=Value("withdrawn")),
            When(fulfilled_at__isnull=False, fulfilled_at__lte=F("due_at"), then=Value("met")),
            When(fulfilled_at__isnull=False, then=Value("late")),
            When(due_at__lt=now, then=Value("overdue")),
            When(warn_at__lte=now, then=Value("due_soon")),
            default=Value("open"),
            output_field=CharField(),
        )

    def state_at(self, now: datetime.datetime) -> str:
        """The same rule as `state_expression`, for one object already in memory."""
        if self.event.withdrawn_at is not None:
            return self.State.WITHDRAWN
        if self.fulfilled_at is not None:
            return self.State.MET if self.fulfilled_at <= self.due_at else self.State.LATE
        if self.due_at < now:
            return self.State.OVERDUE
        if self.warn_at <= now:
            return self.State.DUE_SOON
        return self.State.OPEN

    @property
    def is_confirmed(self) -> bool:
        return self.calendar in Calendar.confirmed()

    @property
    def late_by(self) -> datetime.timedelta | None:
        if self.fulfilled_at is None or self.fulfilled_at <= self.due_at:
            return None
        return self.fulfilled_at - self.due_at
