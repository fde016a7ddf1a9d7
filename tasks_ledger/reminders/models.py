"""Reminders: what was sent to whom (once), the in-app inbox, urges, per-plan lead times."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks_ledger.plan.models import Plan, Task


class SentReminder(models.Model):
    """One reminder delivered to one person. The unique constraint is what makes sending
    idempotent: a retried or doubled task inserts nothing the second time."""

    kind = models.SlugField(_("kind"), max_length=30)
    # What the reminder is about, e.g. "deadline:12:3" (deadline 12, department 3) or
    # "round:2:3"; free-form so that other features (statutory clocks) can add their own.
    target = models.CharField(_("target"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("recipient"),
    )
    on = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # The outbox: set when the email went out (or at once when there is nobody to email);
    # NULL = still to send. The sweep (reminders_email_sweep) sends every NULL row.
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    # Set by the worker sending it (a conditional update, so only one does); a claim older
    # than REMINDER_EMAIL_CLAIM_SECONDS is a worker that died mid-send, and is taken over.
    email_claimed_at = models.DateTimeField(_("email claimed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "recipient", "on"], name="sent_reminder_once"
            ),
        ]
        indexes = [
            # The sweep's query: the unsent rows, a handful among all ever sent.
            models.Index(
                fields=["id"], condition=Q(emailed_at__isnull=True), name="sent_reminder_unsent"
            ),
        ]

    def __str__(self):
        # Read in the admin: the kind's name, not its code (the target is a key, not words).
        return f"{KIND_LABELS.get(self.kind, self.kind)} → {self.recipient} · {self.on}"


# How the inbox names the kinds it knows; other kinds (from other features) show as is.
KIND_LABELS = {
    "check": _("Check"),
    "assessment": _("Assessment"),
    "deadline": _("Deadline"),
    "overdue": _("Overdue"),
    "urge": _("Urge"),
    "clock_event": _("Statutory clock"),
    "clock_due_soon": _("Statutory clock due soon"),
    "clock_breach": _("Statutory clock breached"),
    "entry_submitted": _("Entry submitted"),
    "entry_returned": _("Entry returned"),
    "entry_accepted": _("Entry accepted"),
}


class Notification(models.Model):
    """A message in someone's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    delivery = models.OneToOneField(
        SentReminder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("delivery"),
    )
    kind = models.SlugField(_("kind"), max_length=30)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("task"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header badge counts a user's unread messages on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # The inbox lists a user's messages, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.subject}"

    def get_kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


class Urge(models.Model):
    """A 催办: the office presses a department on a task, by hand."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="urges", verbose_name=_("task")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="urges", verbose_name=_("department")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="urges_sent",
        verbose_name=_("by"),
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The day (Asia/Shanghai) of the urge: one record per task × department × day, however
    # often 催办 is pressed. NULL only for the later urges of a day recorded before the rule.
    on = models.DateField(_("date"), null=True, blank=True)
    # How often the office confirmed urging again that day (the messages are kept in order).
    times = models.PositiveSmallIntegerField(_("times urged"), default=1)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department", "on"], name="urge_once_a_day"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.department} · {self.created_at:%Y-%m-%d}"


class ReminderSettings(models.Model):
    """Lead times of a plan's reminders. A plan without a row uses the defaults."""

    DEFAULT_DAYS_BEFORE = 7
    DEFAULT_WORKDAYS_BEFORE = 1
    DEFAULT_OVERDUE_EVERY_DAYS = 7

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("plan")
    )
    days_before = models.PositiveSmallIntegerField(
        _("days before"),
        default=DEFAULT_DAYS_BEFORE,
        help_text=_("First reminder, this many calendar days before a deadline or round."),
    )
    workdays_before = models.PositiveSmallIntegerField(
        _("working days before"),
        default=DEFAULT_WORKDAYS_BEFORE,
        help_text=_("Last reminder, this many working days before (0: none)."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("repeat overdue every (days)"),
        default=DEFAULT_OVERDUE_EVERY_DAYS,
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                name="reminder_settings_overdue_every_positive",
                condition=Q(overdue_every_days__gte=1),
            ),
        ]

    def __str__(self):
        return str(self.plan)


# The group robots' models live in their own module; imported here so Django registers them.
from tasks_ledger.reminders.robot_models import RobotChannel, RobotMessage  # noqa: E402, F401
