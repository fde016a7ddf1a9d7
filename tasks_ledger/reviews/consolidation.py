"""Leads speak for their tasks: the consolidated progress (综合进展) of a task at a review
round, written by its lead department citing its partners' entries, submitted by the head
and accepted or returned by the office, like an entry; and a lead asking a partner for an
update (a message through the reminders).

Who: the lead department's people write (the head submits, or staff where the department
lets them); a lead reads its partners' submitted and accepted entries on the task (never
their drafts); the office reads all and reviews. Writes are atomic; a save carries the
version it read and is refused when someone saved since (no silent overwrite).
"""

from django.db import transaction
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import department_of, is_head, is_office
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.plan.models import Assignment, ReviewRound
from tasks_ledger.reminders.selectors import department_people
from tasks_ledger.reminders.services import reminder_send
from tasks_ledger.reviews.models import Consolidation

EDITABLE = (Consolidation.State.DRAFT, Consolidation.State.RETURNED)


class ConsolidationError(Exception):
    """A consolidation action that cannot be done, with the reason for people."""


def lead_department(*, task, user):
    """`user`'s department when it leads `task`, else None."""
    own = department_of(user)
    if own is None:
        return None
    leads = Assignment.objects.filter(task=task, department=own, role=Assignment.Role.LEAD)
    return own if leads.exists() else None


def partner_entries(*, task):
    """The partners' submitted and accepted entries on `task`, newest first: what a lead
    may read and cite."""
    partners = Assignment.objects.filter(task=task, role=Assignment.Role.PARTNER).values(
        "department"
    )
    return (
        LedgerEntry.objects.filter(task=task, department__in=partners, state__in=COUNTED_STATES)
        .select_related("department")
        .order_by("-happened_on", "-id")
    )


def consolidations_of_round(*, review_round: ReviewRound, user) -> dict[int, Consolidation]:
    """The round's consolidations `user` may read, by task id: all for the office, its own
    (as lead) for a department. One query, plus one for the cited entries."""
    rows = Consolidation.objects.filter(round=review_round)
    if not is_office(user):
        rows = rows.filter(department=department_of(user))
    cited = Prefetch("cited", queryset=LedgerEntry.objects.select_related("department"))
    rows = rows.select_related("department").prefetch_related(cited)
    return {c.task_id: c for c in rows}


@transaction.atomic
def consolidation_save(
    *, review_round: ReviewRound, task, by, text: str, cited_ids, version: int | None = None
) -> Consolidation:
    """Write (or correct) the lead's consolidated progress of `task` in an open round."""
    department = lead_department(task=task, user=by)
    if department is None:
        raise ConsolidationError(_("Only the task's lead department writes its consolidation."))
    if review_round.status == ReviewRound.Status.CLOSED or task.plan_id != review_round.plan_id:
        raise ConsolidationError(_("The round is closed or the task is not in its plan."))
    text = text.strip()
    if not text:
        raise ConsolidationError(_("Write the consolidated progress."))
    cited = list(partner_entries(task=task).filter(pk__in=[int(i) for i in cited_ids]))
    if len(cited) != len(set(cited_ids)):
        raise ConsolidationError(_("Only the partners' submitted entries on the task are cited."))
    current = Consolidation.objects.filter(round=review_round, task=task).first()
    if current is None:
        consolidation = Consolidation(
            round=review_round, task=task, department=department, author=by, text=text
        )
    else:
        # The claim, as for entries: only the version the writer read, only while editable.
        claimed = Consolidation.objects.filter(
            pk=current.pk, version=version or 0, state__in=EDITABLE
        ).update(version=F("version") + 1)
        if not claimed:
            raise ConsolidationError(
                _("Someone changed the consolidation since you opened it, or it is submitted.")
            )
        consolidation = Consolidation.objects.get(pk=current.pk)
        consolidation.text, consolidation.author = text, by
    consolidation._history_user = by
    consolidation.save()
    consolidation.cited.set(cited)
    return consolidation


def _transition(consolidation, *, by, states, to, **fields) -> Consolidation:
    moved = Consolidation.objects.filter(pk=consolidation.pk, state__in=states).update(
        state=to, version=F("version") + 1, **fields
    )
    if not moved:
        raise ConsolidationError(_("The consolidation is not in a state that allows this."))
    consolidation.refresh_from_db()
    # One history record per move, with who made it (update() alone writes none).
    consolidation._history_user = by
    consolidation.save()
    return consolidation


@transaction.atomic
def consolidation_submit(*, consolidation: Consolidation, by) -> Consolidation:
    own = department_of(by)
    if own is None or own.pk != consolidation.department_id:
        raise ConsolidationError(_("Only the task's lead department writes its consolidation."))
    if not (is_head(by) or own.staff_may_submit):
        raise ConsolidationError(_("The department head submits."))
    return _transition(
        consolidation, by=by, states=EDITABLE, to=Consolidation.State.SUBMITTED,
        submitted_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def consolidation_review(
    *, consolidation: Consolidation, by, accept: bool, reason: str = ""
) -> Consolidation:
    """The office accepts a submitted consolidation, or returns it with a reason."""
    if not is_office(by):
        raise ConsolidationError(_("Only the bureau office reviews."))
    if not accept and not reason.strip():
        raise ConsolidationError(_("Say why it is returned."))
    to = Consolidation.State.ACCEPTED if accept else Consolidation.State.RETURNED
    states = (Consolidation.State.SUBMITTED,)
    return _transition(consolidation, by=by, states=states, to=to, return_reason=reason.strip())


def partner_update_request(*, task, partner, by, message: str = "") -> int:
    """The lead asks a partner department for an update on the task: a message in the
    partner's people's inboxes (and email), once a day per task and partner."""
    lead = lead_department(task=task, user=by)
    if lead is None:
        raise ConsolidationError(_("Only the task's lead department asks its partners."))
    if not Assignment.objects.filter(
        task=task, department=partner, role=Assignment.Role.PARTNER
    ).exists():
        raise ConsolidationError(_("That department is not a partner on the task."))
    values = {"lead": lead.name, "task": task.code}
    return reminder_send(
        kind="lead_request",
        target=f"lead_request:{task.pk}:{partner.pk}",
        recipients=department_people(department=partner),
        on=timezone.localdate(),
        subject=_("%(lead)s asks for an update on %(task)s") % values,
        body=message.strip() or _("Please add your latest progress on the task to the ledger."),
        link=reverse("ledger:task", args=[task.pk]),
        department=partner,
        task=task,
    )
