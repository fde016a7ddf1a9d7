"""A small plan built by hand, whose figures are worked out in the comments below.

Today is Wednesday 2030-05-08 (its week runs Mon 05-06 to Sun 05-12). Two departments,
A and B; two sections; four tasks; six assignments:

  section 1  T1 (due 2030-06-30)  A: done on 05-06 (on time)      B: in progress on 05-07
             T2 (due 2030-05-10)  A: only a draft → due soon, 2 days left
  section 2  T3 (no date)         B: blocked on 04-20
             T4 (due 2030-04-30)  A: in progress on 04-25 → overdue, 8 days late
                                  B: done on 05-02 (late)
Both "done" entries are accepted by the office (done means accepted). Entries are filed
(submitted) today, 05-08, except A's: T1 filed on 05-07, T4 on 04-26, so A last filed a
day ago although its latest work is of 05-06.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    LedgerEntryFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
)
from tests.people import People

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date
TODAY = D(2030, 5, 8)
NOW = datetime.datetime(2030, 5, 8, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def add_entry(task, department, status, on, *, state=LedgerEntry.State.SUBMITTED, **fields):
    fields.setdefault("submitted_at", None if state == LedgerEntry.State.DRAFT else NOW)
    return LedgerEntryFactory(
        task=task, department=department, status=status, state=state, happened_on=on, **fields
    )


class SmallPlan:
    pass


@pytest.fixture
def small_plan(db, now):
    p = SmallPlan()
    p.plan = PlanFactory(year=2030)
    p.a = DepartmentFactory(code="dept-a", name="甲处", order=1)
    p.b = DepartmentFactory(code="dept-b", name="乙处", order=2)
    p.s1 = SectionFactory(plan=p.plan, number="一", title="第一部分", order=1)
    p.s2 = SectionFactory(plan=p.plan, number="二", title="第二部分", order=2)
    p.t1 = TaskFactory(section=p.s1, number="一", title="任务一", order=1)
    p.t2 = TaskFactory(section=p.s1, number="二", title="任务二", order=2)
    p.t3 = TaskFactory(section=p.s2, number="一", title="任务三", order=3)
    p.t4 = TaskFactory(section=p.s2, number="二", title="任务四", order=4)
    DeadlineFactory(task=p.t1, text="2030年6月底前", due=D(2030, 6, 30))
    DeadlineFactory(task=p.t2, text="2030年5月10日前", due=D(2030, 5, 10))
    DeadlineFactory(task=p.t4, text="2030年4月底前", due=D(2030, 4, 30))
    p.t1a = AssignmentFactory(task=p.t1, department=p.a)
    p.t1b = AssignmentFactory(task=p.t1, department=p.b, role="partner", order=1)
    p.t2a = AssignmentFactory(task=p.t2, department=p.a)
    p.t3b = AssignmentFactory(task=p.t3, department=p.b)
    p.t4a = AssignmentFactory(task=p.t4, department=p.a)
    p.t4b = AssignmentFactory(task=p.t4, department=p.b, order=1)
    S = LedgerEntry.Status
    accepted = LedgerEntry.State.ACCEPTED
    p.e1a = add_entry(
        p.t1,
        p.a,
        S.DONE,
        D(2030, 5, 6),
        state=accepted,
        summary="任务一已完成",
        submitted_at=NOW - datetime.timedelta(days=1),
    )
    p.e1b = add_entry(p.t1, p.b, S.IN_PROGRESS, D(2030, 5, 7), summary="乙处推进任务一")
    p.e2a = add_entry(p.t2, p.a, S.DONE, D(2030, 5, 7), state=LedgerEntry.State.DRAFT)
    p.e3b = add_entry(
        p.t3, p.b, S.BLOCKED, D(2030, 4, 20), state=LedgerEntry.State.ACCEPTED, problems="缺经费"
    )
    p.e4a = add_entry(
        p.t4, p.a, S.IN_PROGRESS, D(2030, 4, 25), submitted_at=NOW - datetime.timedelta(days=12)
    )
    p.e4b = add_entry(p.t4, p.b, S.DONE, D(2030, 5, 2), state=accepted)
    return p


@pytest.fixture
def personas(small_plan):
    """The shared people (tests/conftest.py) on this plan's departments, keyed by persona
    (`other_staff` is B's staff); the office's reviewer sits in no department here."""
    people = People(a=small_plan.a, b=small_plan.b)
    return {
        "staff": people.staff,
        "head": people.head,
        "other_staff": people.b_staff,
        "reviewer": people.reviewer,
        "admin": people.admin,
    }
