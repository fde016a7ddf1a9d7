"""Reads of review rounds: the round sheet (the ledger as of the round's date, with the
findings), the findings a department may read, and the assessment's totals."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from departments.access import department_of, is_office, is_reader
from departments.models import Department
from tasks_ledger.ledger.history import entries_as_of
from tasks_ledger.ledger.lights import rows_with_lights
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, ReviewRound, code_related
from tasks_ledger.reviews.models import (
    Finding,
    RoundTaskWeight,
    SelfAssessment,
    SelfAssessmentItem,
)

WEIGHT = DecimalField(max_digits=8, decimal_places=4)


def rounds_for(*, user) -> QuerySet:
    """Rounds `user` may open: every round for the office and for anyone in a department
    (a department sees its own rows of each); nobody else's."""
    if is_reader(user):
        return ReviewRound.objects.select_related("plan")
    return ReviewRound.objects.none()


def round_rows(*, review_round: ReviewRound, user) -> list[Assignment]:
    """The round's task × department rows `user` may read (all for the office, its own for
    a department), each with the status light and latest entry as the ledger stood at the
    end of the round's date, the number of entries then (`entries_then`), and the round's
    finding. One query; two or three more the first time the round's date is read once it
    is over (ledger/lights.py stores the pairs' rows for it: ledger/asof.py)."""
    assignments = Assignment.objects.filter(task__plan=review_round.plan_id)
    if not is_office(user):
        assignments = assignments.filter(department=department_of(user))
    day = review_round.date
    finding = Finding.objects.filter(
        round=review_round, task=OuterRef("task"), department=OuterRef("department")
    )
    # The department's own grade, once its head submitted the self-assessment.
    self_item = SelfAssessmentItem.objects.filter(
        self_assessment__round=review_round,
        self_assessment__status=SelfAssessment.Status.SUBMITTED,
        self_assessment__department=OuterRef("department"),
        task=OuterRef("task"),
    )
    rows = rows_with_lights(
        assignments.select_related(*code_related("task"), "department")
        .annotate(
            finding_id=Subquery(finding.values("id")[:1]),
            finding_rating=Subquery(finding.values("rating")[:1]),
            finding_score=Subquery(finding.values("score")[:1]),
            finding_comment=Subquery(finding.values("comment")[:1]),
            self_rating=Subquery(self_item.values("rating")[:1]),
            self_score=Subquery(self_item.values("score")[:1]),
        )
        .order_by("task__section__order", "task__order", "task_id", "department__order", "order"),
        today=day,
        as_of=day,
    )
    for row in rows:
        # Drafts are left out: a draft is its department's own business.
        row.entries_then = row.filed
    return rows


def score_difference(row) -> Decimal | None:
    """The office's score minus the department's own, when both are there."""
    if row.finding_score is None or row.self_score is None:
        return None
    return Decimal(str(row.finding_score)) - Decimal(str(row.self_score))


def assignment_in_round(*, review_round: ReviewRound, pk: int) -> Assignment:
    return Assignment.objects.select_related(*code_related("task"), "department").get(
        pk=pk, task__plan=review_round.plan_id
    )


def entries_for_review(*, review_round: ReviewRound, assignment: Assignment) -> dict:
    """For the office's finding page: the entries of the task × department as they stood at
    the end of the round's date (history rows), and the entries now (to accept or return
    those submitted). Two queries. Drafts, then and now, are left out: they are their
    department's own business (ledger.selectors)."""
    then = list(
        entries_as_of(day=review_round.date)
        .filter(task_id=assignment.task_id, department_id=assignment.department_id)
        .exclude(state=LedgerEntry.State.DRAFT)
        .order_by("-happened_on", "-id")
    )
    now = list(
        LedgerEntry.objects.filter(task=assignment.task_id, department=assignment.department_id)
        .exclude(state=LedgerEntry.State.DRAFT)
        .select_related("author__membership")
        .order_by("-happened_on", "-id")
    )
    return {"then": then, "now": now}


def round_totals(*, review_round: ReviewRound, department: Department | None = None) -> list:
    """Each department's weighted total of the round (models.py says how), in one query:
    dicts with department id, name, code, findings, scored and total (Decimal or None)."""
    role = Assignment.objects.filter(
        task=OuterRef("task"), department=OuterRef("department")
    ).values("role")[:1]
    task_weight = RoundTaskWeight.objects.filter(round=review_round, task=OuterRef("task")).values(
        "weight"
    )[:1]
    findings = Finding.objects.filter(round=review_round)
    if department is not None:
        findings = findings.filter(department=department)
    weight = ExpressionWrapper(
        Coalesce(Subquery(task_weight), Value(Decimal("1")), output_field=WEIGHT)
        * Case(
            When(role="partner", then=Value(review_round.partner_weight)),
            default=Value(review_round.lead_weight),
            output_field=WEIGHT,
        ),
        output_field=WEIGHT,
    )
    rows = (
        findings.annotate(role=Subquery(role), weight=weight)
        .values("department", "department__name", "department__code", "department__order")
        .annotate(
            findings=Count("id"),
            scored=Count("score"),
            weighted=Sum(
                Case(When(score__isnull=False, then=F("score") * F("weight")), output_field=WEIGHT)
            ),
            weights=Sum(Case(When(score__isnull=False, then=F("weight")), output_field=WEIGHT)),
        )
        .order_by("department__order", "department__code")
    )
    result = []
    for row in rows:
        total = None
        if row["weights"]:
            total = (Decimal(str(row["weighted"])) / Decimal(str(row["weights"]))).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        result.append(
            {
                "department": row["department"],
                "name": row["department__name"],
                "code": row["department__code"],
                "findings": row["findings"],
                "scored": row["scored"],
                "total": total,
            }
        )
    return result


def round_unrated_count(*, review_round: ReviewRound) -> int:
    """How many task × department rows of the round have no finding yet (closing the round
    asks again when there are any): one query."""
    finding = Finding.objects.filter(
        round=review_round, task=OuterRef("task"), department=OuterRef("department")
    )
    return (
        Assignment.objects.filter(task__plan=review_round.plan_id).exclude(Exists(finding)).count()
    )
