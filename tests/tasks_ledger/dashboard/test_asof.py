""" "As of" a day: the ledger as it stood at the end of that day, from the history."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.http import QueryDict

from tasks_ledger.dashboard import selectors
from tasks_ledger.ledger.history import end_of_day, entries_as_of
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import Light, with_status
from tasks_ledger.plan.models import Assignment
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
)
from tests.tasks_ledger.dashboard.conftest import add_entry

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


def test_end_of_day_is_midnight_in_shanghai():
    assert end_of_day(D(2016, 10, 31)) == datetime.datetime(2016, 11, 1, tzinfo=SHANGHAI)
    assert end_of_day(D(2016, 10, 31)).astimezone(datetime.UTC).hour == 16


def test_an_edit_after_the_day_shows_the_old_value(small_plan, now):
    entry = small_plan.e1b
    # Edited at 23:30 on 05-08 (still that day in Shanghai, already 15:30 UTC) …
    with at(2030, 5, 8, 23, 30):
        entry.summary = "05-08 晚间修改"
        entry.save()
    # … and again the next morning: the task is done.
    with at(2030, 5, 9, 8, 0):
        entry.summary = "乙处已完成任务一"
        entry.status = LedgerEntry.Status.DONE
        entry.save()

    old = entries_as_of(day=D(2030, 5, 8)).get(id=entry.id)
    assert (old.summary, old.status) == ("05-08 晚间修改", LedgerEntry.Status.IN_PROGRESS)
    assert entries_as_of(day=D(2030, 5, 9)).get(id=entry.id).status == LedgerEntry.Status.DONE

    rows = with_status(
        Assignment.objects.filter(pk=small_plan.t1b.pk),
        today=D(2030, 5, 8),
        entries=entries_as_of(day=D(2030, 5, 8)),
    )
    assert rows.get().light == Light.ON_TRACK

    with at(2030, 5, 10, 9, 0):
        old_board = selectors.dashboard(
            plan=small_plan.plan, params=QueryDict("as_of=2030-05-08"), today=D(2030, 5, 10)
        )
        new_board = selectors.dashboard(
            plan=small_plan.plan, params=QueryDict(""), today=D(2030, 5, 10)
        )
    assert old_board.as_of == old_board.today == D(2030, 5, 8)
    assert (old_board.headline["done"], old_board.headline["awaiting"]) == (2, 0)
    # Said done since, not yet accepted: awaiting confirmation, not done.
    assert (new_board.headline["done"], new_board.headline["awaiting"]) == (2, 1)
    recent = {e.id: e.summary for e in old_board.recent}
    assert recent[entry.id] == "05-08 晚间修改"


def test_entries_created_later_or_deleted_by_then_are_absent(small_plan, now):
    with at(2030, 5, 9, 9, 0):
        later = LedgerEntry.objects.create(
            task=small_plan.t2,
            department=small_plan.a,
            author=small_plan.e1a.author,
            happened_on=D(2030, 5, 9),
            summary="次日新增",
        )
        deleted_id = small_plan.e4a.id
        small_plan.e4a.delete()
    on_8th = set(entries_as_of(day=D(2030, 5, 8)).values_list("id", flat=True))
    on_9th = set(entries_as_of(day=D(2030, 5, 9)).values_list("id", flat=True))
    assert later.id not in on_8th and later.id in on_9th
    assert deleted_id in on_8th and deleted_id not in on_9th
    assert len(on_8th) == 6
    assert entries_as_of(day=D(2030, 5, 7)).count() == 0  # everything was written on 05-08


def test_as_of_is_ordered_by_id_and_one_row_per_entry(small_plan, now):
    entry = small_plan.e1a
    for n in range(3):
        entry.summary = f"改{n}"
        entry.save()
    ids = list(entries_as_of(day=D(2030, 5, 8)).values_list("id", flat=True))
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 6


def test_weekly_counts_as_of_a_day(small_plan, now):
    """The chart as of 05-08 counts the entries as they stood then: e4b was re-dated from
    05-02 to 05-07 on 05-09, and a new entry dated 05-07 was written on 05-09."""
    with at(2030, 5, 9, 9, 0):
        small_plan.e4b.happened_on = D(2030, 5, 7)
        small_plan.e4b.save()
        LedgerEntry.objects.create(
            task=small_plan.t1,
            department=small_plan.b,
            author=small_plan.e1b.author,
            happened_on=D(2030, 5, 7),
            summary="补记",
            status=LedgerEntry.Status.IN_PROGRESS,
            state=LedgerEntry.State.SUBMITTED,
            submitted_at=datetime.datetime(2030, 5, 9, 9, 0, tzinfo=SHANGHAI),
        )
    with at(2030, 5, 10, 9, 0):
        old_board = selectors.dashboard(
            plan=small_plan.plan, params=QueryDict("as_of=2030-05-08"), today=D(2030, 5, 10)
        )
        new_board = selectors.dashboard(
            plan=small_plan.plan, params=QueryDict(""), today=D(2030, 5, 10)
        )
    # Weeks from Monday 03-18 to Monday 05-06 in both.
    assert old_board.weekly == [
        ("甲处", [0, 0, 0, 0, 0, 1, 0, 1]),  # e4a 04-25, e1a 05-06
        ("乙处", [0, 0, 0, 0, 1, 0, 1, 1]),  # e3b 04-20, e4b 05-02, e1b 05-07
    ]
    assert new_board.weekly == [
        ("甲处", [0, 0, 0, 0, 0, 1, 0, 1]),
        ("乙处", [0, 0, 0, 0, 1, 0, 0, 3]),  # e4b now 05-07, and the new entry
    ]
    assert (old_board.headline["entries_this_week"], new_board.headline["entries_this_week"]) == (
        2,
        4,
    )


def test_recent_activity_as_of_a_day_is_the_newest_submitted_rows_of_the_plans_pairs(
    small_plan, now
):
    """As of a day, the recent list is the newest submitted history rows then, of the plan's
    assignments only, however many other rows (another plan's, later ones) the history has
    (on PostgreSQL it is read pair by pair, ledger/history.py: newest_per_assignment)."""
    p = small_plan
    other = TaskFactory(section=SectionFactory(plan=PlanFactory(year=2029)), number="一")
    AssignmentFactory(task=other, department=p.a)
    # Fifteen revisions of one entry over five days, a draft among them, and fifteen new
    # entries of this plan and of another written in between: more than the list shows.
    entry = p.e1b
    for n in range(15):
        with at(2030, 5, 9 + n // 3, 9, n):
            entry.summary = f"第{n}次修改"
            entry.state = LedgerEntry.State.DRAFT if n == 7 else LedgerEntry.State.SUBMITTED
            entry.save()
            add_entry(other, p.a, LedgerEntry.Status.IN_PROGRESS, D(2030, 5, 9))
            add_entry(p.t4, p.b, LedgerEntry.Status.IN_PROGRESS, D(2030, 5, 9))
    assignments = list(Assignment.objects.filter(task__plan=p.plan).select_related("task"))
    for day in (D(2030, 5, 1), D(2030, 5, 8), D(2030, 5, 10), D(2030, 5, 13)):
        history = entries_as_of(day=day)
        expected = sorted(
            (
                row
                for row in LedgerEntry.history.filter(history_date__lt=end_of_day(day))
                if row.task.plan_id == p.plan.pk
                and row.state != LedgerEntry.State.DRAFT
                and row.history_id in {h.history_id for h in history}
            ),
            key=lambda row: row.history_date,
            reverse=True,
        )[: selectors.RECENT_SHOWN]
        shown = selectors.recent_activity(history, assignments=assignments)
        # Rows written in the same instant (the fixture's) come in either order.
        assert [r.history_date for r in shown] == [r.history_date for r in expected], day
        assert {r.history_id for r in shown} == {r.history_id for r in expected}, day
