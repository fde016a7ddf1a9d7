"""The dashboard's figures against the ones worked out by hand in conftest.py."""

import datetime

from django.http import QueryDict
from django.utils import timezone

from tasks_ledger.calendar.models import Holiday
from tasks_ledger.dashboard import selectors
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.ledger.status import Light
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory
from tests.tasks_ledger.dashboard.conftest import TODAY, add_entry

D = datetime.date


def board(small_plan, query="", today=TODAY):
    return selectors.dashboard(plan=small_plan.plan, params=QueryDict(query), today=today)


def lights(data):
    return {
        (item["task"].title, cell.department.code): cell.light
        for section in data.sections
        for item in section.tasks
        for cell in item["cells"]
        if cell
    }


def test_the_headline_figures_of_the_small_plan(small_plan):
    data = board(small_plan)
    assert data.headline == {
        "tasks": 4,
        "assignments": 6,
        "done": 2,  # T1×A, T4×B
        "awaiting": 0,
        "not_filed": 0,
        "on_track": 1,  # T1×B
        "due_soon": 1,  # T2×A: its only entry is a draft
        "overdue": 1,  # T4×A
        "blocked": 1,  # T3×B
        "entries_this_week": 2,  # counted entries dated 05-06 and 05-07; the draft is not
    }
    assert data.week == (D(2030, 5, 6), D(2030, 5, 12))


def test_matrix_lights_and_latest_dates(small_plan):
    data = board(small_plan)
    assert data.columns == [("dept-a", "甲处"), ("dept-b", "乙处")]
    assert lights(data) == {
        ("任务一", "dept-a"): Light.DONE,
        ("任务一", "dept-b"): Light.ON_TRACK,
        ("任务二", "dept-a"): Light.DUE_SOON,
        ("任务三", "dept-b"): Light.BLOCKED,
        ("任务四", "dept-a"): Light.OVERDUE,
        ("任务四", "dept-b"): Light.DONE,
    }
    t2_row = data.sections[0].tasks[1]
    assert t2_row["cells"][1] is None  # B is not assigned T2
    assert t2_row["cells"][0].latest_on is None  # drafts are not the department's word
    assert data.sections[0].tasks[0]["cells"][0].latest_on == D(2030, 5, 6)


def test_completion_per_section(small_plan):
    data = board(small_plan)
    assert [(s.label, s.done, s.assignments, s.percent_done) for s in data.sections] == [
        ("一、第一部分", 1, 3, 33),
        ("二、第二部分", 1, 3, 33),
    ]


def test_per_department_figures(small_plan):
    data = board(small_plan)
    a, b = data.departments
    # A: T1 done on time (decided), T2 not yet due (undecided), T4 overdue (decided, late).
    assert (a.code, a.assignments, a.done, a.overdue, a.on_time, a.decided) == (
        "dept-a",
        3,
        1,
        1,
        1,
        2,
    )
    assert a.on_time_rate == 0.5
    # Counted from the last filing (05-07), not from the day of the work (05-06).
    assert (timezone.localdate(a.last_filed_at), a.days_since) == (D(2030, 5, 7), 1)
    # B: T1 not due (undecided), T3 has no date deadline (left out), T4 done late.
    assert (b.assignments, b.done, b.overdue, b.on_time, b.decided) == (3, 1, 0, 0, 1)
    assert b.on_time_rate == 0
    assert (timezone.localdate(b.last_filed_at), b.days_since) == (D(2030, 5, 8), 0)


def test_due_soon_and_overdue_lists(small_plan):
    data = board(small_plan)
    (soon,) = data.due_soon
    assert (soon.task, soon.department, soon.days_left, soon.next_due) == (
        small_plan.t2,
        small_plan.a,
        2,
        D(2030, 5, 10),
    )
    assert soon.workdays_left == 2  # Thursday and Friday
    (late,) = data.overdue
    assert (late.task, late.department, late.days_late) == (small_plan.t4, small_plan.a, 8)


def test_working_days_left_follow_the_administrators_holidays(small_plan):
    Holiday.objects.create(date=D(2030, 5, 9), note="调休放假")
    (soon,) = board(small_plan).due_soon
    assert (soon.days_left, soon.workdays_left) == (2, 1)  # Friday only


def test_recent_activity_leaves_drafts_out(small_plan):
    data = board(small_plan)
    assert small_plan.e2a not in data.recent
    assert {e.id for e in data.recent} == {
        small_plan.e1a.id,
        small_plan.e1b.id,
        small_plan.e3b.id,
        small_plan.e4a.id,
        small_plan.e4b.id,
    }


def test_weekly_chart_is_svg_with_escaped_names(small_plan):
    small_plan.a.name = "<script>甲处"
    small_plan.a.save()
    data = board(small_plan)
    assert data.weekly_chart.startswith("<svg")
    assert "<script>" not in data.weekly_chart
    assert "&lt;script&gt;甲处" in data.weekly_chart
    assert data.status_chart.count("<rect") == 5 + 7  # five lights present, seven swatches


def test_weekly_counts_by_department(small_plan, now):
    """The chart's eight weeks (Mondays 03-18 … 05-06) per department, by hand: counted
    entries on the department's own assignments of this plan, dated up to today."""
    S, State = LedgerEntry.Status, LedgerEntry.State
    p = small_plan
    add_entry(p.t1, p.b, S.IN_PROGRESS, D(2030, 3, 18))  # B, week 0 (its first day)
    add_entry(p.t1, p.b, S.IN_PROGRESS, D(2030, 3, 17))  # before the first week
    add_entry(p.t1, p.b, S.IN_PROGRESS, D(2030, 5, 9))  # after today
    add_entry(p.t1, p.a, S.IN_PROGRESS, D(2030, 5, 7), state=State.RETURNED)  # not counted
    add_entry(p.t3, p.a, S.IN_PROGRESS, D(2030, 5, 7))  # A is not assigned T3
    other = TaskFactory(section=SectionFactory(plan=PlanFactory(year=2031)))
    AssignmentFactory(task=other, department=p.a)
    add_entry(other, p.a, S.IN_PROGRESS, D(2030, 5, 7))  # another plan's task
    data = board(p)
    assert data.weeks[0] == D(2030, 3, 18)
    assert data.weeks[-1] == D(2030, 5, 6)
    assert data.weekly == [
        # conftest: e4a 04-25 (week 5), e1a 05-06 (week 7); e2a is a draft.
        ("甲处", [0, 0, 0, 0, 0, 1, 0, 1]),
        # the 03-18 entry (week 0), e3b 04-20 (week 4), e4b 05-02 (week 6), e1b 05-07.
        ("乙处", [1, 0, 0, 0, 1, 0, 1, 1]),
    ]
    assert data.headline["entries_this_week"] == 2
    # Filtered by section 2 (T3, T4): only e3b, e4a and e4b remain.
    data = board(p, f"section={p.s2.id}")
    assert data.weekly == [
        ("甲处", [0, 0, 0, 0, 0, 1, 0, 0]),
        ("乙处", [0, 0, 0, 0, 1, 0, 1, 0]),
    ]


def test_filter_by_department(small_plan):
    data = board(small_plan, "department=dept-b")
    assert set(lights(data)) == {("任务一", "dept-b"), ("任务三", "dept-b"), ("任务四", "dept-b")}
    assert data.headline["entries_this_week"] == 1
    assert [d.code for d in data.departments] == ["dept-b"]


def test_filter_by_section_and_status(small_plan):
    data = board(small_plan, f"section={small_plan.s2.id}&status=done")
    assert lights(data) == {("任务四", "dept-b"): Light.DONE}


def test_filter_changed_since(small_plan, now):
    now.move_to(datetime.datetime(2030, 5, 9, 9, 0, tzinfo=datetime.UTC))
    add_entry(small_plan.t3, small_plan.b, LedgerEntry.Status.IN_PROGRESS, D(2030, 5, 9))
    data = board(small_plan, "changed_since=2030-05-09", today=D(2030, 5, 9))
    assert lights(data) == {("任务三", "dept-b"): Light.ON_TRACK}


def test_invalid_filter_is_reported_and_ignored(small_plan):
    data = board(small_plan, "status=purple&department=dept-a")
    assert "status" in data.filterset.form.errors
    assert {code for _t, code in lights(data)} == {"dept-a"}


def test_three_queries_whatever_the_size(small_plan, django_assert_num_queries):
    def count():
        # 1 matrix (assignments, what their lights need, last change), 2 counted entries
        # per department, task and day over the charted weeks, 3 recent activity. (The
        # plan is the caller's; the filter choices come from the matrix; the holidays are
        # read only for a due-soon list, empty here.)
        with django_assert_num_queries(3):
            board(small_plan, "status=done&changed_since=2030-01-01")

    count()
    for i in range(30):
        add_entry(small_plan.t1, small_plan.a, LedgerEntry.Status.IN_PROGRESS, D(2030, 4, 1 + i))
    count()


def test_the_weekly_index_holds_exactly_the_counted_states():
    """The chart's query names the counted states as SQL literals to match the partial
    index's condition (selectors.COUNTED_SQL): both must follow ledger.models.COUNTED_STATES."""
    (index,) = [i for i in LedgerEntry._meta.indexes if i.name == "entry_counted_by_day"]
    (lookup, states) = index.condition.children[0]
    assert (lookup, sorted(states)) == ("state__in", sorted(COUNTED_STATES))
    assert all(f"'{state}'" in selectors.COUNTED_SQL.sql for state in COUNTED_STATES)
