"""Writes of publishing: publish a plan, propose a task's public text, pass or refuse it
(保密审查), withdraw what was published.

Each is atomic and keyword-only. A role that may not act gets PermissionDenied (a 403); a
rule that forbids the action now gets PublishingError with the reason for the user. Rows
are claimed with a conditional update of the proposal's state, so two reviewers clicking at
once (or a withdrawal racing a review) decide once. Every change of what the public sees
moves PublicEdition on in the same transaction, which is what invalidates the page cache.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import (
    is_confidentiality_reviewer,
    may_propose_publication,
    may_withdraw_publication,
)
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Plan, Task
from tasks_ledger.publishing.models import (
    ConfidentialityReview,
    PlanPublication,
    PublicationProposal,
    PublicEdition,
    Withdrawal,
)

TEXT_MAX = 2000


class PublishingError(Exception):
    """A publishing action that cannot be done, with the reason for the user."""


def _next_edition(now) -> None:
    # The row is made by the migration; get_or_create covers a database flushed since.
    if not PublicEdition.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now):
        PublicEdition.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})


@transaction.atomic
def plan_publish(*, plan: Plan, by) -> PlanPublication:
    """此件公开发布: the plan's text, tasks, departments and deadlines become public."""
    if not may_propose_publication(by):
        raise PermissionDenied
    now = timezone.now()
    publication, created = PlanPublication.objects.get_or_create(
        plan=plan, defaults={"published_by": by, "published_at": now}
    )
    if not created:
        raise PublishingError(_("This plan is already published."))
    _next_edition(now)
    return publication


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise PublishingError(_("Public text: write what the public should read."))
    if len(text) > TEXT_MAX:
        raise PublishingError(
            _("Public text: at most %(max)d characters (this one has %(n)d).")
            % {"max": TEXT_MAX, "n": len(text)}
        )
    return text


def publishable_evidence(task: Task):
    """Evidence that may go with a task's public text: that of its accepted entries only."""
    return Evidence.objects.filter(entry__task=task, entry__state=LedgerEntry.State.ACCEPTED)


@transaction.atomic
def proposal_create(
    *, task: Task, text: str, evidence_ids=(), by, revises: PublicationProposal | None = None
) -> PublicationProposal:
    """Propose a public text for a task, with the chosen evidence. A change to a published
    (or refused) text is a new proposal that `revises` it and needs its own review."""
    if not may_propose_publication(by):
        raise PermissionDenied
    text = _clean_text(text)
    wanted = {int(pk) for pk in evidence_ids}
    evidence = list(publishable_evidence(task).filter(pk__in=wanted))
    if len(evidence) != len(wanted):
        raise PublishingError(
            _("Evidence: only evidence of this task's accepted entries may be published.")
        )
    if revises is not None and revises.task_id != task.pk:
        raise PublishingError(_("A revision must be of the same task."))
    proposal = PublicationProposal.objects.create(
        task=task, text=text, revises=revises, proposed_by=by, proposed_at=timezone.now()
    )
    proposal.evidence.set(evidence)
    return proposal


def _evidence_snapshot(proposal: PublicationProposal) -> list[dict]:
    # Only what the public will see of each item: never the internal note.
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "url": item.url,
            "doc_number": item.doc_number,
            "filename": item.filename,
        }
        for item in proposal.evidence.order_by("id")
    ]


@transaction.atomic
def proposal_review(
    *, proposal: PublicationProposal, decision: str, opinion: str = "", by
) -> ConfidentialityReview:
    """保密审查: pass or refuse a pending proposal. Never the reviewer's own proposal; a
    refusal needs a reason. Passing copies the exact text and evidence, and replaces the
    version it revises on the public pages."""
    if not is_confidentiality_reviewer(by):
        raise PermissionDenied
    if proposal.proposed_by_id == by.pk:
        raise PublishingError(_("You proposed this text: another reviewer must review it."))
    if decision not in ConfidentialityReview.Decision.values:
        raise PublishingError(_("Decision: choose pass or refuse."))
    opinion = (opinion or "").strip()
    if decision == ConfidentialityReview.Decision.REFUSED and not opinion:
        raise PublishingError(_("Opinion: a refusal needs its reason."))
    new_state = (
        PublicationProposal.State.PASSED
        if decision == ConfidentialityReview.Decision.PASSED
        else PublicationProposal.State.REFUSED
    )
    claimed = PublicationProposal.objects.filter(
        pk=proposal.pk, state=PublicationProposal.State.PENDING
    ).update(state=new_state)
    if not claimed:
        raise PublishingError(_("This proposal has already been reviewed."))
    now = timezone.now()
    passed = new_state == PublicationProposal.State.PASSED
    review = ConfidentialityReview.objects.create(
        proposal=proposal,
        reviewer=by,
        decided_at=now,
        decision=decision,
        opinion=opinion,
        text_passed=proposal.text if passed else "",
        evidence_passed=_evidence_snapshot(proposal) if passed else [],
    )
    if passed:
        if proposal.revises_id:
            PublicationProposal.objects.filter(
                pk=proposal.revises_id, state=PublicationProposal.State.PASSED
            ).update(state=PublicationProposal.State.SUPERSEDED)
        _next_edition(now)
    proposal.refresh_from_db()
    return review


@transaction.atomic
def proposal_withdraw(*, proposal: PublicationProposal, reason: str, by) -> Withdrawal:
    """Take a published text down at once, with the reason recorded."""
    if not may_withdraw_publication(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise PublishingError(_("Reason: say why it is withdrawn."))
    claimed = PublicationProposal.objects.filter(
        pk=proposal.pk, state=PublicationProposal.State.PASSED
    ).update(state=PublicationProposal.State.WITHDRAWN)
    if not claimed:
        raise PublishingError(_("Only a published text can be withdrawn."))
    now = timezone.now()
    withdrawal = Withdrawal.objects.create(
        proposal=proposal, withdrawn_by=by, withdrawn_at=now, reason=reason
    )
    _next_edition(now)
    proposal.refresh_from_db()
    return withdrawal
