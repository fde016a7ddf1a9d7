"""The plan as data: plan → sections → tasks (→ sub-tasks), who leads, deadlines, and the
review rounds the plan names."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from departments.models import Department


class PlanQuerySet(models.QuerySet):
    def current(self):
        """The plan departments work on now: this year's (Asia/Shanghai) when it is active,
        else the newest active one. This year's first, so that next year's plan, copied
        ahead in December to be prepared, does not take over the departments' pages."""
        this_year = timezone.localdate().year
        # The active plans are a handful: choosing among them here costs less than the
        # ordering expression's compiling (every ledger and office page asks).
        active = list(self.filter(status=Plan.Status.ACTIVE).order_by("-year"))
        for plan in active:
            if plan.year == this_year:
                return plan
        return active[0] if active else None


def code_related(via: str = "") -> list[str]:
    """What a task's `code` reads (its section, its parent's section), for select_related,
    reached through `via`: `select_related(*code_related("task"))` for an entry's task."""
    prefix = f"{via}__" if via else ""
    return [f"{prefix}section", f"{prefix}parent__section"]


# Rows of task × department (assignments, entries) department by department, each
# department's in the plan's order: order_by(*BY_DEPARTMENT_THEN_TASK).
BY_DEPARTMENT_THEN_TASK = (
    "department__order",
    "department__code",
    "task__section__order",
    "task__order",
    "task_id",
)


class TaskQuerySet(models.QuerySet):
    def with_code(self):
        """With what `Task.code` reads loaded, so that listing codes costs no query each."""
        return self.select_related(*code_related())


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="plan_year_plausible", condition=Q(year__gte=1990)),
        ]

    def __str__(self):
        return self.title or f"{self.year}"


class Section(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    # Both empty for a plan without 一、 headings: its one section holds every task.
    number = models.CharField(
        _("number"), max_length=10, blank=True, help_text=_("As written: 一, 二, …")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="section_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}、{self.title}" if self.number else self.title


class Task(models.Model):
    """A numbered task of a section, or a sub-task of a task (parent set)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan")
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("section")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subtasks",
        verbose_name=_("parent task"),
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("As written: 一, 二, 1, …"))
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(
        _("body"), blank=True, help_text=_("The task's text after its title, verbatim.")
    )
    other_units = models.CharField(
        _("other units"),
        max_length=200,
        blank=True,
        help_text=_("A collective reference kept as written: 各单位, 有关部门, …等."),
    )
    ongoing = models.BooleanField(
        _("ongoing"),
        default=False,
        help_text=_("Work with no deadline that goes on all year: 持续推进, 长期坚持, 常态化."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    departments = models.ManyToManyField(
        Department, through="Assignment", related_name="tasks", verbose_name=_("departments")
    )

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                condition=Q(parent__isnull=True),
                name="task_number_unique_in_section",
            ),
            models.UniqueConstraint(
                fields=["parent", "number"],
                condition=Q(parent__isnull=False),
                name="subtask_number_unique_in_parent",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        """How people cite the task: 二(三), or 二(三)1 for a sub-task."""
        if self.parent_id:
            return f"{self.parent.code}{self.number}"
        return f"{self.section.number}({self.number})"


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="assignment_unique"),
        ]
        indexes = [
            # The ledger page lists a department's assignments.
            models.Index(fields=["department", "task"], name="assignment_by_department"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.department} · {self.get_role_display()}"


class Deadline(models.Model):
    class Kind(models.TextChoices):
        DATE = "date", _("By a date")
        RELATIVE = "relative", _("After an event")
        RECURRING = "recurring", _("Recurring")

    class Unit(models.TextChoices):
        WORKDAY = "workday", _("working days")
        DAY = "day", _("days")
        HOUR = "hour", _("hours")

    class Every(models.TextChoices):
        WEEK = "week", _("every week")
        MONTH = "month", _("every month")
        QUARTER = "quarter", _("every quarter")
        YEAR = "year", _("every year")
        PERIODIC = "periodic", _("periodically (定期)")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("task")
    )
    text = models.CharField(_("words"), max_length=100, help_text=_("As written in the plan."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due = models.DateField(_("due"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("amount"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    after = models.CharField(
        _("trigger"), max_length=200, blank=True, help_text=_("The event it counts from.")
    )
    every = models.CharField(_("every"), max_length=10, choices=Every.choices, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "text"], name="deadline_words_unique"),
            models.CheckConstraint(
                name="deadline_fields_match_kind",
                condition=(
                    Q(kind="date", due__isnull=False, amount__isnull=True, unit="", every="")
                    | Q(kind="relative", due__isnull=True, amount__gt=0, every="") & ~Q(unit="")
                    | Q(kind="recurring", due__isnull=True, amount__isnull=True, unit="")
                    & ~Q(every="")
                ),
            ),
        ]
        indexes = [
            # Reminders and the dashboard look up date deadlines by day.
            models.Index(fields=["kind", "due"], name="deadline_by_due"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.text}"


class ImportDraft(models.Model):
    """A plan read from an upload or pasted text, kept while its importer corrects it and
    before it is committed, so that a reload or a second tab loses nothing. Abandoned
    drafts are discarded after a day (`import_drafts_discard_stale`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_drafts",
        verbose_name=_("owner"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.JSONField(_("plan JSON"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        ordering = ["-updated_at"]
        indexes = [
            # The cleanup looks drafts up by their last change.
            models.Index(fields=["updated_at"], name="importdraft_by_updated"),
        ]

    def __str__(self):
        return f"{self.file_name} · {self.owner}"


class ReviewRound(models.Model):
    """A review round the plan names (检查 in October, 考评验收 in January): its date, and
    what the reviews concern sets on it (status, the roles' weights, who opened it)."""

    class Kind(models.TextChoices):
        CHECK = "check", _("Check")
        ASSESSMENT = "assessment", _("Assessment")

    class DateRule(models.TextChoices):
        FIRST_WORKDAY = "first_workday", _("The month's first working day")
        FIXED = "fixed", _("This day of the month")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="review_rounds", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("words"), max_length=100, help_text=_("As written: 2016年10月."))
    date = models.DateField(
        _("date"),
        help_text=_("When the words name only a month, the month's first working day."),
    )
    # How the date is found again in another year when the plan is copied (clone_plan):
    # the date alone cannot say whether 2016-10-08 was "the first working day of October"
    # or a chosen day. Empty: as the words say (a month alone: its first working day).
    date_rule = models.CharField(
        _("date rule"),
        max_length=15,
        choices=DateRule.choices,
        blank=True,
        help_text=_(
            "How the date is found in another year when the plan is copied. "
            "Empty: as the words say (a month alone: its first working day)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    lead_weight = models.DecimalField(
        _("weight of a lead department"), max_digits=4, decimal_places=2, default=Decimal("1")
    )
    partner_weight = models.DecimalField(
        _("weight of a partner department"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    # The tables keep the names they had when the model lived in the reviews app (plan
    # migration 0005 and reviews 0004 moved it; the rows did not move).
    history = HistoricalRecords(table_name="reviews_historicalreviewround")

    class Meta:
        db_table = "reviews_reviewround"
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "text"], name="review_round_unique"),
            models.CheckConstraint(
                name="review_round_weights_positive",
                condition=Q(lead_weight__gt=0, partner_weight__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.text} {self.get_kind_display()}"
