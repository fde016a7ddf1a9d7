"""Copying a plan to another year: what is carried, how each kind of date moves, refusal."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from departments.models import Membership
from tasks_ledger.calendar.models import Holiday
from tasks_ledger.clone.services import PlanCloneError, moved_date, plan_clone
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Task
from tasks_ledger.reminders.models import ReminderSettings
from tasks_ledger.reviews.models import RoundTaskWeight
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    member,
)

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 2, 29), D(2025, 2, 28)),  # a leap day is February's end
        (D(2023, 2, 28), D(2024, 2, 29)),  # and February's end becomes a leap day
        (D(2024, 9, 30), D(2025, 9, 30)),
        (D(2024, 4, 30), D(2025, 4, 30)),
        (D(2024, 6, 15), D(2025, 6, 15)),  # a fixed day keeps month and day
        (D(2025, 1, 31), D(2026, 1, 31)),  # the year after stays the year after
    ],
)
def test_moved_date(day, expected):
    year = 2024 if day.year in (2024, 2025) else 2023
    assert moved_date(day, year=year, new_year=year + 1) == expected


@pytest.fixture
def small(db):
    """A 2024 plan (a leap year) with one task, a sub-task and a deadline of each kind."""
    plan = PlanFactory(year=2024, title="某局2024年政务公开工作要点", issuer="某局")
    a = DepartmentFactory(code="dept-a", name="甲处")
    b = DepartmentFactory(code="dept-b", name="乙处")
    section = SectionFactory(plan=plan, number="一", title="第一部分", order=1)
    task = TaskFactory(section=section, number="一", title="推进公开", order=1)
    sub = TaskFactory(
        section=section, parent=task, number="1", title="子任务", order=2, ongoing=True
    )
    AssignmentFactory(task=task, department=a, role="lead")
    AssignmentFactory(task=task, department=b, role="partner", order=1)
    AssignmentFactory(task=sub, department=b, role="lead")
    DeadlineFactory(task=task, text="2024年2月底前", due=D(2024, 2, 29), order=0)
    DeadlineFactory(task=task, text="2024年6月15日前", due=D(2024, 6, 15), order=1)
    DeadlineFactory(task=task, text="2025年1月", due=D(2025, 1, 31), order=2)
    DeadlineFactory(
        task=task, text="3个工作日内", kind="relative", due=None, amount=3, unit="workday",
        after="文件公开后", order=3,
    )  # fmt: skip
    DeadlineFactory(task=sub, text="每季度", kind="recurring", due=None, every="quarter")
    check = ReviewRound.objects.create(
        plan=plan, kind="check", text="2024年10月", date=D(2024, 10, 8), lead_weight=2
    )
    ReviewRound.objects.create(
        plan=plan, kind="assessment", text="2025年1月", date=D(2025, 1, 2), partner_weight=0
    )
    RoundTaskWeight.objects.create(round=check, task=task, weight=Decimal("1.5"))
    ReminderSettings.objects.create(plan=plan, days_before=10, workdays_before=2)
    return plan


def deadlines(plan):
    return {
        (d.task.number, d.text): (d.kind, d.due, d.amount, d.unit, d.after, d.every)
        for d in Deadline.objects.filter(task__plan=plan).select_related("task")
    }


def test_clone_carries_the_plan_and_moves_dates_by_their_rule(small):
    copy = plan_clone(plan=small, new_year=2025)
    new = copy.plan
    assert (new.year, new.title, new.issuer, new.source_text) == (
        2025,
        "某局2025年政务公开工作要点",
        "某局",
        "",
    )
    assert new.sections.get().title == "第一部分"
    task = Task.objects.get(plan=new, parent=None)
    sub = Task.objects.get(plan=new, parent=task)
    assert (sub.number, sub.title, sub.section_id) == ("1", "子任务", task.section_id)
    assert (task.ongoing, sub.ongoing) == (False, True)
    assert set(
        Assignment.objects.filter(task__plan=new).values_list(
            "task__number", "department__code", "role"
        )
    ) == {("一", "dept-a", "lead"), ("一", "dept-b", "partner"), ("1", "dept-b", "lead")}
    assert deadlines(new) == {
        # a month-end stays the month-end: Feb 29 → Feb 28
        ("一", "2025年2月底前"): ("date", D(2025, 2, 28), None, "", "", ""),
        ("一", "2025年6月15日前"): ("date", D(2025, 6, 15), None, "", "", ""),
        # January of the year after moves to January of the new year's year after
        ("一", "2026年1月"): ("date", D(2026, 1, 31), None, "", "", ""),
        # relative and recurring: as they were
        ("一", "3个工作日内"): ("relative", None, 3, "workday", "文件公开后", ""),
        ("1", "每季度"): ("recurring", None, None, "", "", "quarter"),
    }
    settings = ReminderSettings.objects.get(plan=new)
    assert (settings.days_before, settings.workdays_before) == (10, 2)


def test_rounds_are_dated_again_on_the_new_years_calendar_with_their_weights(small):
    new = plan_clone(plan=small, new_year=2025).plan
    rounds = {r.kind: r for r in new.review_rounds.all()}
    check, assessment = rounds["check"], rounds["assessment"]
    # The first working day of October 2025 is the 9th (National Day holiday to the 8th);
    # January 2026's is Sunday the 4th, a 调休 working day.
    assert (check.text, check.date, check.date_rule) == (
        "2025年10月",
        D(2025, 10, 9),
        "first_workday",
    )
    assert (assessment.text, assessment.date) == ("2026年1月", D(2026, 1, 4))
    assert (check.lead_weight, assessment.partner_weight) == (Decimal("2"), Decimal("0"))
    assert check.status == ReviewRound.Status.PLANNED
    weight = RoundTaskWeight.objects.get(round=check)
    assert (weight.task.plan, weight.task.number, weight.weight) == (new, "一", Decimal("1.5"))


def test_first_working_day_follows_the_administrators_holidays(small):
    # The administrator declares 2025-10-09 a day off: the round moves to the 10th.
    Holiday.objects.create(date=D(2025, 10, 9), note="调休")
    new = plan_clone(plan=small, new_year=2025).plan
    assert new.review_rounds.get(kind="check").date == D(2025, 10, 10)


def test_a_round_on_a_chosen_day_keeps_its_day(small):
    ReviewRound.objects.filter(kind="check").update(text="2024年10月15日", date=D(2024, 10, 15))
    ReviewRound.objects.filter(kind="assessment").update(date_rule="fixed", date=D(2025, 1, 20))
    new = plan_clone(plan=small, new_year=2025).plan
    assert new.review_rounds.get(kind="check").date == D(2025, 10, 15)
    # A stored rule wins over the words ("2025年1月" alone would be its first working day).
    assert new.review_rounds.get(kind="assessment").date == D(2026, 1, 20)


def test_a_year_without_the_official_calendar_is_reported(small):
    copy = plan_clone(plan=small, new_year=2100)
    assert {(r.kind, source) for r, source in copy.unconfirmed_rounds} == {
        ("check", "weekends-only"),
        ("assessment", "weekends-only"),
    }
    # 2100-10-01 is a Friday: the first weekday, the only calendar known.
    assert copy.plan.review_rounds.get(kind="check").date == D(2100, 10, 1)


def test_the_2016_plan_copied_to_2017(plan_2016):
    new = plan_clone(plan=plan_2016, new_year=2017).plan
    assert new.tasks.count() == plan_2016.tasks.count() == 17
    dates = dict(new.review_rounds.values_list("kind", "date"))
    # 2016-10-08 (a 调休 Saturday) → 2017-10-09, after the 2017 holiday; 2017-01-03 → 2018-01-02.
    assert dates == {"check": D(2017, 10, 9), "assessment": D(2018, 1, 2)}
    assert Deadline.objects.get(task__plan=new, text="2017年9月底前").due == D(2017, 9, 30)


def test_refused_when_the_year_has_a_plan_and_nothing_is_written(small):
    PlanFactory(year=2025)
    before = (Task.objects.count(), Task.history.count(), ReviewRound.objects.count())
    with pytest.raises(PlanCloneError, match="2025"):
        plan_clone(plan=small, new_year=2025)
    assert (Task.objects.count(), Task.history.count(), ReviewRound.objects.count()) == before


def test_refused_for_an_implausible_year(small):
    with pytest.raises(PlanCloneError):
        plan_clone(plan=small, new_year=1000)
    assert not Plan.objects.filter(year=1000).exists()


def test_the_copy_is_in_the_history_with_who_and_the_source_is_untouched(small):
    office = member(DepartmentFactory(code="office"), Membership.Role.REVIEWER, username="office")
    source_history = (Task.history.filter(plan_id=small.id).count(), small.history.count())
    new = plan_clone(plan=small, new_year=2025, by=office).plan
    record = new.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        office,
        "clone_plan 2024 → 2025",
    )
    task_records = Task.history.filter(plan_id=new.id)
    assert task_records.count() == 2
    assert {r.history_user for r in task_records} == {office}
    assert new.review_rounds.first().history.get().history_user == office
    assert (Task.history.filter(plan_id=small.id).count(), small.history.count()) == source_history


def test_current_plan_is_this_years_even_with_next_years_copy(small, plan_2016):
    with time_machine.travel(datetime.datetime(2024, 12, 31, 23, 50, tzinfo=SHANGHAI)):
        plan_clone(plan=small, new_year=2025)
        assert Plan.objects.current() == small
    # Past midnight in Shanghai (still 2024 in UTC): the new year's plan.
    with time_machine.travel(datetime.datetime(2025, 1, 1, 0, 10, tzinfo=SHANGHAI)):
        assert Plan.objects.current().year == 2025
    # No plan of this year: the newest active one, as before.
    with time_machine.travel(datetime.datetime(2030, 1, 2, 12, tzinfo=SHANGHAI), tick=False):
        assert Plan.objects.current().year == 2025
