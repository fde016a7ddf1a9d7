"""Review rounds: opening, findings (only the office, only while open), weighted totals."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import ReviewRound
from tasks_ledger.reviews.models import Finding, RoundTaskWeight
from tasks_ledger.reviews.selectors import round_rows, round_totals
from tasks_ledger.reviews.services import (
    ReviewError,
    finding_record,
    review_round_close,
    review_round_open,
)
from tests.factories import AssignmentFactory, LedgerEntryFactory


def record(review_round, assignment, by, rating=Finding.Rating.COMPLETE, score=None, comment=""):
    return finding_record(
        review_round=review_round,
        assignment=assignment,
        rating=rating,
        score=score,
        comment=comment,
        by=by,
    )


def test_open_then_close(users, check_round):
    review_round_open(review_round=check_round, by=users["reviewer"])
    assert check_round.status == ReviewRound.Status.OPEN
    assert check_round.opened_by == users["reviewer"]
    with pytest.raises(ReviewError):
        review_round_open(review_round=check_round, by=users["reviewer"])
    review_round_close(review_round=check_round, by=users["admin"])
    assert check_round.status == ReviewRound.Status.CLOSED
    with pytest.raises(ReviewError):
        review_round_close(review_round=check_round, by=users["admin"])


@pytest.mark.parametrize("who", ["policy-law", "policy-law-head", "nobody"])
def test_only_the_office_reviews(users, check_round, policy_law_lead, who):
    with pytest.raises(PermissionError):
        review_round_open(review_round=check_round, by=users[who])
    review_round_open(review_round=check_round, by=users["reviewer"])
    with pytest.raises(PermissionError):
        record(check_round, policy_law_lead, users[who])
    assert not Finding.objects.exists()


def test_findings_only_while_open(users, check_round, policy_law_lead):
    with pytest.raises(ReviewError, match="只有在检查考评进行中才能记录评定"):
        record(check_round, policy_law_lead, users["reviewer"])
    review_round_open(review_round=check_round, by=users["reviewer"])
    finding = record(check_round, policy_law_lead, users["reviewer"], comment=" 台账齐全 ")
    assert (finding.rating, finding.score, finding.comment) == ("complete", None, "台账齐全")
    # Recording again corrects the finding, never a second one.
    record(check_round, policy_law_lead, users["reviewer"], rating=Finding.Rating.MOSTLY)
    assert Finding.objects.get().rating == Finding.Rating.MOSTLY
    review_round_close(review_round=check_round, by=users["reviewer"])
    with pytest.raises(ReviewError):
        record(check_round, policy_law_lead, users["reviewer"])


def test_scores_belong_to_the_assessment(users, check_round, assessment, policy_law_lead):
    for review_round in (check_round, assessment):
        review_round_open(review_round=review_round, by=users["reviewer"])
    with pytest.raises(ReviewError, match="检查只作评定，不打分"):
        record(check_round, policy_law_lead, users["reviewer"], score=90)
    with pytest.raises(ReviewError, match="考评需要0到100的得分"):
        record(assessment, policy_law_lead, users["reviewer"])
    for bad in (-1, 100.5, "abc"):
        with pytest.raises(ReviewError):
            record(assessment, policy_law_lead, users["reviewer"], score=bad)
    assert record(assessment, policy_law_lead, users["reviewer"], score="92.25").score == Decimal(
        "92.2"
    )


def test_a_task_of_another_plan_is_refused(users, check_round):
    review_round_open(review_round=check_round, by=users["reviewer"])
    other_plan = AssignmentFactory(task__number="一", task__section__number="一")
    with pytest.raises(ReviewError):
        record(check_round, other_plan, users["reviewer"])


def test_weighted_totals(users, assessment, policy_law_lead, safety_partner, plan_2016):
    review_round_open(review_round=assessment, by=users["reviewer"])
    reviewer = users["reviewer"]
    record(assessment, policy_law_lead, reviewer, score=90)
    # 二(二): 政策法规处 leads it, 安全处 partners.
    policy_law_2_2 = safety_partner.task.assignments.get(department__code="policy-law")
    record(assessment, policy_law_2_2, reviewer, score=60)
    record(assessment, safety_partner, reviewer, score=80)
    totals = {row["code"]: row for row in round_totals(review_round=assessment)}
    assert totals["policy-law"]["total"] == Decimal("75.0")  # (90 + 60) / 2
    assert totals["safety"]["total"] == Decimal("80.0")
    # 二(二) weighs 3: (90×1 + 60×3) / 4 = 67.5. The partner's weight only scales its own
    # tasks against each other, so a department with one task keeps its score.
    RoundTaskWeight.objects.create(round=assessment, task=safety_partner.task, weight=3)
    totals = {row["code"]: row for row in round_totals(review_round=assessment)}
    assert totals["policy-law"]["total"] == Decimal("67.5")
    assert totals["safety"]["total"] == Decimal("80.0")
    assert (totals["policy-law"]["findings"], totals["policy-law"]["scored"]) == (2, 2)


def test_partner_weight_counts_against_lead_tasks(users, assessment, safety_partner, plan_2016):
    """One task 安全处 leads and one it partners: the partner task weighs half."""
    lead = plan_2016.tasks.filter(assignments__department__code="safety", assignments__role="lead")
    lead_assignment = lead.first().assignments.get(department__code="safety")
    review_round_open(review_round=assessment, by=users["reviewer"])
    record(assessment, lead_assignment, users["reviewer"], score=100)
    record(assessment, safety_partner, users["reviewer"], score=70)
    (row,) = round_totals(review_round=assessment, department=safety_partner.department)
    # (100×1 + 70×0.5) / 1.5 = 90.0
    assert row["total"] == Decimal("90.0")


def test_the_round_sees_the_ledger_as_of_its_date(users, check_round, policy_law_lead):
    """An entry submitted before the check counts for it; one added after does not, and a
    later change to the earlier one does not show either."""
    common = {
        "task": policy_law_lead.task,
        "department": policy_law_lead.department,
        "author": users["policy-law"],
        "state": LedgerEntry.State.SUBMITTED,
        "submitted_at": datetime.datetime(2016, 9, 1, tzinfo=datetime.UTC),
    }
    with time_machine.travel(datetime.datetime(2016, 9, 1, 2, tzinfo=datetime.UTC)):
        before = LedgerEntryFactory(
            happened_on=datetime.date(2016, 9, 1), status=LedgerEntry.Status.IN_PROGRESS, **common
        )
    with time_machine.travel(datetime.datetime(2016, 10, 20, 2, tzinfo=datetime.UTC)):
        LedgerEntryFactory(
            happened_on=datetime.date(2016, 10, 20), status=LedgerEntry.Status.DONE, **common
        )
        before.summary = "后来改的"
        before.save()
    rows = {r.pk: r for r in round_rows(review_round=check_round, user=users["reviewer"])}
    row = rows[policy_law_lead.pk]
    assert row.entries_then == 1
    assert row.latest_on == datetime.date(2016, 9, 1)
    assert row.light == "on_track"
    # The department reads only its own rows.
    own = round_rows(review_round=check_round, user=users["policy-law"])
    assert {r.department.code for r in own} == {"policy-law"}
    assert len(rows) > len(own) > 0
