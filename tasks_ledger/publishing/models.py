"""What the public may see, and the record of who decided it.

Nothing here is ever edited in place: a proposal's text is fixed when it is made (a change
is a new proposal that `revises` it), a review is one row written once with a copy of the
exact text and evidence it passed, a withdrawal is one row with its reason. The public pages
read the review's copy, so what the public sees is what the reviewer read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tasks_ledger.ledger.models import Evidence
from tasks_ledger.plan.models import Plan, Task


class PlanPublication(models.Model):
    """此件公开发布: the plan's own text, sections, tasks, departments and deadlines are
    public from this moment."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="publication", verbose_name=_("plan")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("plan publication")
        verbose_name_plural = _("plan publications")

    def __str__(self):
        return f"{self.plan} · {self.published_at:%Y-%m-%d}"


class PublicationProposal(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting confidentiality review")
        PASSED = "passed", _("Passed and public")
        REFUSED = "refused", _("Refused")
        SUPERSEDED = "superseded", _("Replaced by a later version")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="publication_proposals", verbose_name=_("task")
    )
    text = models.TextField(_("public text"))
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="publication_proposals", verbose_name=_("evidence")
    )
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("revises"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="publication_proposals",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )

    class Meta:
        verbose_name = _("publication proposal")
        verbose_name_plural = _("publication proposals")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            # The public pages: the passed texts of a plan's tasks.
            models.Index(fields=["state", "task"], name="proposal_by_state_task"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.proposed_at:%Y-%m-%d} · {self.get_state_display()}"


class ConfidentialityReview(models.Model):
    """保密审查 of one proposal: written once, never changed."""

    class Decision(models.TextChoices):
        PASSED = "passed", _("Passed")
        REFUSED = "refused", _("Refused")

    proposal = models.OneToOneField(
        PublicationProposal,
        on_delete=models.PROTECT,
        related_name="review",
        verbose_name=_("proposal"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="confidentiality_reviews",
        verbose_name=_("reviewer"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    # The exact text and evidence passed, copied: what the public sees is what was read.
    text_passed = models.TextField(_("text passed"), blank=True)
    evidence_passed = models.JSONField(_("evidence passed"), default=list, blank=True)

    class Meta:
        verbose_name = _("confidentiality review")
        verbose_name_plural = _("confidentiality reviews")
        constraints = [
            models.CheckConstraint(
                name="review_refusal_has_reason",
                condition=Q(decision="passed") | ~Q(opinion=""),
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.get_decision_display()}"


class Withdrawal(models.Model):
    """A passed publication taken down, with the reason recorded."""

    proposal = models.OneToOneField(
        PublicationProposal,
        on_delete=models.PROTECT,
        related_name="withdrawal",
        verbose_name=_("proposal"),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"))
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        constraints = [
            models.CheckConstraint(name="withdrawal_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.withdrawn_at:%Y-%m-%d}"


class PublicEdition(models.Model):
    """One row: a counter every change of what the public sees moves on (a plan published, a
    text passed or withdrawn). The public page cache keys on it, so a withdrawal is gone from
    every server process at once whatever cache backend is configured."""

    number = models.PositiveIntegerField(_("edition"), default=0)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public edition")
        verbose_name_plural = _("public editions")

    def __str__(self):
        return str(self.number)
