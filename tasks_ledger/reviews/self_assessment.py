"""Self-assessment (自评) before the office scores: the writes and reads.

When the office opens an assessment round it hands out the forms with a due date: each
department with assignments in the plan gets one, an item per assigned task, its evidence
prefilled from the department's accepted entries up to the round's date. The department's
people fill in a self-grade, a score and an explanation; the head submits it (late when
after the due date: kept, and marked). The daily reminders remind the department of it
like any deadline: 7 days and 1 day before, then weekly once overdue with the office told.

Reads: a department its own self-assessment only; the office any.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import department_of, is_head, is_office
from departments.models import Membership
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, ReviewRound, code_related
from tasks_ledger.reminders.selectors import department_people
from tasks_ledger.reminders.services import reminder_send
from tasks_ledger.reviews.models import Finding, SelfAssessment, SelfAssessmentItem

REMIND_DAYS_BEFORE = (7, 1)
OVERDUE_EVERY_DAYS = 7


class SelfAssessmentError(Exception):
    """A self-assessment action that cannot be done, with the reason for people."""


def _evidence_text(entries: list[LedgerEntry]) -> str:
    lines = []
    for entry in entries:
        numbers = "、".join(e.doc_number for e in entry.doc_numbers)
        line = f"{entry.happened_on.isoformat()} {entry.summary}"
        lines.append(f"{line}（{numbers}）" if numbers else line)
    return "\n".join(lines)


@transaction.atomic
def self_assessments_open(*, review_round: ReviewRound, due_on: datetime.date, by) -> int:
    """Hand out the self-assessment forms of an open assessment round, due on `due_on`.
    Repeating it changes only the due date of forms not yet submitted. Returns how many
    forms were created."""
    if not is_office(by):
        raise SelfAssessmentError(_("Only the bureau office hands out self-assessments."))
    if review_round.kind != ReviewRound.Kind.ASSESSMENT:
        raise SelfAssessmentError(_("Only an assessment round has self-assessments."))
    if review_round.status != ReviewRound.Status.OPEN:
        raise SelfAssessmentError(_("Open the round first."))
    assignments = list(
        Assignment.objects.filter(task__plan=review_round.plan_id).order_by(
            "department_id", "task__section__order", "task__order"
        )
    )
    accepted = (
        LedgerEntry.objects.filter(
            task__plan=review_round.plan_id,
            state=LedgerEntry.State.ACCEPTED,
            happened_on__lte=review_round.date,
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(kind=Evidence.Kind.DOC_NUMBER),
                to_attr="doc_numbers",
            )
        )
        .order_by("happened_on", "id")
    )
    by_assignment: dict[tuple, list] = {}
    for entry in accepted:
        by_assignment.setdefault((entry.task_id, entry.department_id), []).append(entry)
    SelfAssessment.objects.filter(round=review_round, status=SelfAssessment.Status.DRAFT).update(
        due_on=due_on
    )
    created = 0
    for department_id in dict.fromkeys(a.department_id for a in assignments):
        form, new = SelfAssessment.objects.get_or_create(
            round=review_round, department_id=department_id, defaults={"due_on": due_on}
        )
        if not new:
            continue
        created += 1
        items = []
        for a in assignments:
            if a.department_id != department_id:
                continue
            entries = by_assignment.get((a.task_id, department_id), [])
            items.append(
                SelfAssessmentItem(
                    self_assessment=form, task_id=a.task_id, evidence=_evidence_text(entries)
                )
            )
        SelfAssessmentItem.objects.bulk_create(items)
    return created


def self_assessment_for(*, user, review_round: ReviewRound, department=None):
    """The self-assessment `user` may read: the own department's, or (office) the named
    department's. None when there is none; a department asking for another's gets its own."""
    if not is_office(user):
        department = department_of(user)
    if department is None:
        return None
    return (
        SelfAssessment.objects.filter(round=review_round, department=department)
        .select_related("department", "round__plan", "submitted_by__membership")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=SelfAssessmentItem.objects.select_related(*code_related("task")),
            )
        )
        .first()
    )


def self_assessment_item_for(*, review_round: ReviewRound, assignment) -> SelfAssessmentItem | None:
    """For the office's finding page: the department's submitted grade of the task."""
    return (
        SelfAssessmentItem.objects.filter(
            self_assessment__round=review_round,
            self_assessment__department=assignment.department_id,
            self_assessment__status=SelfAssessment.Status.SUBMITTED,
            task=assignment.task_id,
        )
        .select_related("self_assessment")
        .first()
    )


def _require_own(self_assessment: SelfAssessment, by) -> None:
    own = department_of(by)
    if own is None or own.pk != self_assessment.department_id:
        raise SelfAssessmentError(_("Only the department itself fills in its self-assessment."))
    if self_assessment.status != SelfAssessment.Status.DRAFT:
        raise SelfAssessmentError(_("The self-assessment is submitted and cannot be changed."))


def _score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        score = None
    if score is None or not Decimal(0) <= score <= Decimal(100):
        raise SelfAssessmentError(_("The score must be a number from 0 to 100."))
    return score


@transaction.atomic
def self_assessment_save(*, self_assessment: SelfAssessment, by, items: dict[int, dict]) -> None:
    """Save the department's grades: `items` maps an item id to its rating, score,
    explanation and evidence. Ratings not among the choices and scores out of range are
    refused, naming the task; nothing is saved then."""
    _require_own(self_assessment, by)
    for item in self_assessment.items.select_related(*code_related("task")):
        data = items.get(item.pk)
        if data is None:
            continue
        rating = data.get("rating", "")
        if rating and rating not in Finding.Rating.values:
            raise SelfAssessmentError(_("%(task)s: choose a grade.") % {"task": item.task.code})
        try:
            item.score = _score(data.get("score"))
        except SelfAssessmentError as exc:
            raise SelfAssessmentError(f"{item.task.code}: {exc}") from None
        item.rating = rating
        item.explanation = data.get("explanation", "").strip()
        item.evidence = data.get("evidence", "").strip()
        item._history_user = by
        item.save()


@transaction.atomic
def self_assessment_submit(*, self_assessment: SelfAssessment, by) -> SelfAssessment:
    """The head submits the self-assessment; every task needs a grade and a score. After
    the due date it is still taken, marked late."""
    _require_own(self_assessment, by)
    if not is_head(by):
        raise SelfAssessmentError(_("The department head submits the self-assessment."))
    missing = self_assessment.items.filter(rating="") | self_assessment.items.filter(
        score__isnull=True
    )
    if missing.exists():
        codes = ", ".join(sorted({i.task.code for i in missing.select_related("task__section")}))
        raise SelfAssessmentError(
            _("Grade and score every task before submitting: %(tasks)s.") % {"tasks": codes}
        )
    now = timezone.now()
    # Conditional update: a double click submits once.
    if not SelfAssessment.objects.filter(
        pk=self_assessment.pk, status=SelfAssessment.Status.DRAFT
    ).update(
        status=SelfAssessment.Status.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
        late=timezone.localdate(now) > self_assessment.due_on,
    ):
        raise SelfAssessmentError(_("The self-assessment is already submitted."))
    self_assessment.refresh_from_db()
    return self_assessment


def self_assessment_reminders_send(*, on: datetime.date) -> int:
    """Remind the departments whose self-assessment is not submitted: 7 and 1 days before
    it is due (staff and head), and from the day after, every 7 days (also the office).
    Safe to run twice a day: reminder_send delivers each (kind, target, person, day) once."""
    sent = 0
    drafts = SelfAssessment.objects.filter(status=SelfAssessment.Status.DRAFT).select_related(
        "round__plan", "department"
    )
    office = None
    for form in drafts:
        days_left = (form.due_on - on).days
        overdue = days_left < 0 and (-days_left - 1) % OVERDUE_EVERY_DAYS == 0
        if days_left not in REMIND_DAYS_BEFORE and not overdue:
            continue
        recipients = list(department_people(department=form.department))
        if overdue:
            if office is None:
                office = [
                    m.user
                    for m in Membership.objects.filter(
                        role=Membership.Role.REVIEWER, user__is_active=True
                    ).select_related("user")
                ]
            recipients += office
        values = {"round": str(form.round), "due": form.due_on.isoformat()}
        subject = (
            _("Self-assessment for %(round)s overdue since %(due)s") % values
            if overdue
            else _("Self-assessment for %(round)s due on %(due)s") % values
        )
        sent += reminder_send(
            kind="self_assessment_overdue" if overdue else "self_assessment",
            target=f"self_assessment:{form.pk}",
            recipients=recipients,
            on=on,
            subject=subject,
            body=_("%(department)s: grade each task, explain, and submit (the head).")
            % {"department": form.department.name},
            link=reverse("reviews:self-assessment", args=[form.round_id]),
            department=form.department,
        )
    return sent
