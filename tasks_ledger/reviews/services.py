"""Writes of review rounds: open and close a round, record a finding. Only the bureau office
may do any of them; each raises ReviewError with a message the view shows."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import is_office
from tasks_ledger import errors
from tasks_ledger.plan.models import Assignment, ReviewRound
from tasks_ledger.reviews.models import Finding


class ReviewError(errors.Invalid):
    """A review action that cannot be done, with the reason for the user: about the
    request as a whole (the round is closed, a check takes no score, …)."""

    def __init__(self, message: str):
        super().__init__({errors.NON_FIELD: [message]}, code="review")


def _require_office(by) -> None:
    if not is_office(by):
        raise PermissionError("only the bureau office reviews")


def review_round_open(*, review_round: ReviewRound, by) -> ReviewRound:
    """Open a planned round for findings. Its ledger is the one at the end of its date."""
    _require_office(by)
    # Conditional update: two clicks (or two reviewers) open it once.
    opened = ReviewRound.objects.filter(
        pk=review_round.pk, status=ReviewRound.Status.PLANNED
    ).update(status=ReviewRound.Status.OPEN, opened_at=timezone.now(), opened_by=by)
    if not opened:
        raise ReviewError(_("Only a planned round can be opened."))
    review_round.refresh_from_db()
    return review_round


def review_round_close(*, review_round: ReviewRound, by) -> ReviewRound:
    _require_office(by)
    closed = ReviewRound.objects.filter(pk=review_round.pk, status=ReviewRound.Status.OPEN).update(
        status=ReviewRound.Status.CLOSED
    )
    if not closed:
        raise ReviewError(_("Only an open round can be closed."))
    review_round.refresh_from_db()
    return review_round


def _score(review_round: ReviewRound, score) -> Decimal | None:
    if score in (None, ""):
        if review_round.kind == ReviewRound.Kind.ASSESSMENT:
            raise ReviewError(_("The assessment needs a score from 0 to 100."))
        return None
    if review_round.kind == ReviewRound.Kind.CHECK:
        raise ReviewError(_("The check gives no score, only a rating."))
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise ReviewError(_("The score must be a number from 0 to 100.")) from exc
    if not Decimal("0") <= value <= Decimal("100"):
        raise ReviewError(_("The score must be a number from 0 to 100."))
    return value


@transaction.atomic
def finding_record(
    *, review_round: ReviewRound, assignment: Assignment, rating: str, score, comment: str, by
) -> Finding:
    """Record (or correct) the finding of a task × assigned department in an open round."""
    _require_office(by)
    # Locked so that a close running at the same moment cannot slip between check and write.
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.status != ReviewRound.Status.OPEN:
        raise ReviewError(_("Findings are recorded only while the round is open."))
    if assignment.task.plan_id != review_round.plan_id:
        raise ReviewError(_("This task is not in the round's plan."))
    if rating not in Finding.Rating.values:
        raise ReviewError(_("Choose a rating."))
    finding, _created = Finding.objects.update_or_create(
        round=review_round,
        task_id=assignment.task_id,
        department_id=assignment.department_id,
        defaults={
            "rating": rating,
            "score": _score(review_round, score),
            "comment": comment.strip(),
            "reviewer": by,
        },
    )
    return finding
