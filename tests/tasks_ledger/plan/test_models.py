"""Constraints the database enforces, whatever code writes the rows."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from departments.models import Membership
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Task
from tasks_ledger.reviews.models import Finding
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    LedgerEntryFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_department_is_assigned_to_a_task_once():
    assignment = AssignmentFactory()
    refused(
        lambda: Assignment.objects.create(
            task=assignment.task, department=assignment.department, role="partner"
        )
    )


def test_task_numbers_are_unique_in_their_section_and_parent():
    task = TaskFactory(number="一")
    refused(
        lambda: Task.objects.create(plan=task.plan, section=task.section, number="一", title="x")
    )
    Task.objects.create(plan=task.plan, section=task.section, parent=task, number="1", title="a")
    refused(
        lambda: Task.objects.create(
            plan=task.plan, section=task.section, parent=task, number="1", title="b"
        )
    )
    sub = task.subtasks.get()
    assert sub.code == f"{task.section.number}(一)1"


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "date"},  # no due date
        {"kind": "date", "due": datetime.date(2016, 9, 30), "amount": 3},
        {"kind": "relative", "amount": 3},  # no unit
        {"kind": "relative", "amount": 0, "unit": "hour"},
        {"kind": "recurring"},  # no period
        {"kind": "recurring", "every": "month", "due": datetime.date(2016, 1, 1)},
    ],
)
def test_deadline_fields_must_match_their_kind(fields):
    task = TaskFactory()
    refused(lambda: Deadline.objects.create(task=task, text="x", **fields))


def test_well_formed_deadlines_of_each_kind_are_accepted():
    task = TaskFactory()
    Deadline.objects.create(task=task, text="a", kind="date", due=datetime.date(2016, 9, 30))
    Deadline.objects.create(
        task=task, text="b", kind="relative", amount=3, unit="workday", after="文件公开后"
    )
    Deadline.objects.create(task=task, text="c", kind="recurring", every="quarter")
    assert task.deadlines.count() == 3
    refused(lambda: Deadline.objects.create(task=task, text="c", kind="recurring", every="month"))


def test_plan_years_are_unique_and_plausible():
    Plan.objects.create(year=2016)
    refused(lambda: Plan.objects.create(year=2016))
    refused(lambda: Plan.objects.create(year=16))


def test_staff_and_heads_belong_to_a_department():
    user = UserFactory()
    refused(lambda: Membership.objects.create(user=user, role="staff"))
    Membership.objects.create(user=user, role="admin")  # an administrator needs none


def test_entries_keep_their_version_positive_and_submission_time():
    entry = LedgerEntryFactory()
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(version=0))
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(state="submitted"))


def test_evidence_must_carry_what_its_kind_says():
    entry = LedgerEntryFactory()
    refused(lambda: Evidence.objects.create(entry=entry, kind="link"))
    refused(lambda: Evidence.objects.create(entry=entry, kind="doc_number", url="http://x.cn"))
    Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交发〔2016〕1号")


def test_one_finding_per_round_task_and_department_with_a_score_in_range():
    assignment = AssignmentFactory()
    review_round = ReviewRound.objects.create(
        plan=assignment.task.plan, kind="check", text="2016年10月", date=datetime.date(2016, 10, 8)
    )
    reviewer = UserFactory()

    def finding(**extra):
        return Finding.objects.create(
            round=review_round,
            task=assignment.task,
            department=assignment.department,
            rating="complete",
            reviewer=reviewer,
            **extra,
        )

    refused(lambda: finding(score=101))
    finding(score=95)
    refused(lambda: finding())


def test_string_forms_are_short_and_readable():
    assignment = AssignmentFactory(department=DepartmentFactory(name="政策法规处"))
    task = assignment.task
    assert str(task) == f"{task.section.number}({task.number}) {task.title}"
    with translation.override("zh-hans"):
        assert str(assignment) == f"{task.code} · 政策法规处 · 牵头"
    with translation.override("en"):
        assert str(assignment) == f"{task.code} · 政策法规处 · Lead"
