"""The findings of review rounds (the October check, the January assessment) and the
rounds' task weights. The rounds themselves are plan data (the plan's text names them, the
plan importer writes them): `tasks_ledger.plan.models.ReviewRound`.

A round looks at the ledger as it stood at the end of its date (rebuilt from the entries'
history, so later edits never change what was reviewed). The assessment's total of a
department is the weighted mean of its scores: each finding weighs its task's weight in
the round (`RoundTaskWeight`, 1 when not set) times the round's weight of the
department's role on the task (`lead_weight` for a lead, `partner_weight` for a
partner):

    total = Σ(score × task weight × role weight) / Σ(task weight × role weight)

over the department's scored findings, so it stays on the 0–100 scale of the scores and a
department is not penalised for having fewer tasks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from departments.models import Department
from tasks_ledger.ledger.models import EntryState, InWorkflow
from tasks_ledger.plan.models import ReviewRound, Task


class Finding(models.Model):
    class Rating(models.TextChoices):
        COMPLETE = "complete", _("Complete (完成)")
        MOSTLY = "mostly", _("Mostly complete (基本完成)")
        INCOMPLETE = "incomplete", _("Incomplete (未完成)")

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="findings", verbose_name=_("round")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="findings", verbose_name=_("task")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="findings", verbose_name=_("department")
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("reviewer"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["round", "task", "department"]
        constraints = [
            models.UniqueConstraint(fields=["round", "task", "department"], name="finding_unique"),
            models.CheckConstraint(
                name="finding_score_in_range",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.task.code} · {self.department}"


class RoundTaskWeight(models.Model):
    """How much a task counts in a round's totals, when not 1."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="task_weights", verbose_name=_("round")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="+", verbose_name=_("task")
    )
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("task weight")
        verbose_name_plural = _("task weights")
        constraints = [
            models.UniqueConstraint(fields=["round", "task"], name="round_task_weight_unique"),
            models.CheckConstraint(name="round_task_weight_positive", condition=Q(weight__gte=0)),
        ]

    def __str__(self):
        return f"{self.round} · {self.task.code} × {self.weight}"


class SelfAssessment(models.Model):
    """A department's self-assessment (自评) in an assessment round, due by a date the
    office sets when it hands the forms out; the head submits it before the office scores."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(
        ReviewRound,
        on_delete=models.CASCADE,
        related_name="self_assessments",
        verbose_name=_("round"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="self_assessments",
        verbose_name=_("department"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    late = models.BooleanField(_("submitted late"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["round", "department__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="self_assessment_unique"),
            models.CheckConstraint(
                name="self_assessment_submitted_has_time",
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.department}"


class SelfAssessmentItem(models.Model):
    """The department's own grade of one assigned task, with its explanation and evidence
    (prefilled from its accepted entries when the form was handed out)."""

    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("self-assessment"),
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="+", verbose_name=_("task")
    )
    rating = models.CharField(
        _("self-grade"), max_length=12, choices=Finding.Rating.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment item")
        verbose_name_plural = _("self-assessment items")
        ordering = ["self_assessment", "task__section__order", "task__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "task"], name="self_assessment_item_unique"
            ),
            models.CheckConstraint(
                name="self_assessment_item_score_in_range",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            ),
        ]

    def __str__(self):
        return f"{self.self_assessment} · {self.task.code}"


class Consolidation(InWorkflow, models.Model):
    """A lead department's consolidated progress (综合进展) of its task at a review round: a
    text of its own citing its partners' entries, submitted and reviewed like an entry."""

    State = EntryState

    round = models.ForeignKey(
        ReviewRound,
        on_delete=models.CASCADE,
        related_name="consolidations",
        verbose_name=_("round"),
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="consolidations", verbose_name=_("task")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="consolidations",
        verbose_name=_("lead department"),
    )
    text = models.TextField(_("consolidated progress"))
    cited = models.ManyToManyField(
        "ledger.LedgerEntry", blank=True, related_name="cited_by", verbose_name=_("cited entries")
    )
    state = models.CharField(
        _("workflow state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # Optimistic locking, as for entries: every write sends the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The text and state are kept in the history; the citations are set with the text by
    # the one service that writes it (a history of the m2m would add a model and its
    # permissions to the admin for little gain).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consolidated progress")
        verbose_name_plural = _("consolidated progress")
        ordering = ["round", "task__section__order", "task__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "task"], name="consolidation_unique"),
        ]

    def __str__(self):
        return f"{self.round} · {self.task.code} · {self.department}"
