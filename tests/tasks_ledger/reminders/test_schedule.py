"""The reminder schedule over the whole 2016 plan (the seed), with time fixed."""

import datetime
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from departments.models import Department
from disclosure.celery import app
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Deadline, Plan, ReviewRound
from tasks_ledger.reminders.models import ReminderSettings
from tasks_ledger.reminders.selectors import reminders_due
from tasks_ledger.reminders.tasks import SEND_FOR_TODAY
from tests.factories import LedgerEntryFactory, UserFactory

D = datetime.date
YEAR = (D(2016, 1, 1), D(2017, 1, 31))
DEPARTMENTS = [
    "general-office",
    "policy-law",
    "admin-service",
    "safety",
    "planning",
    "construction",
    "finance",
    "political",
]
OVERDUE_DAYS = [
    "2016-10-08",  # 10-01 is National Day: the first working day after the deadline
    "2016-10-14",
    "2016-10-21",
    "2016-10-28",
    "2016-11-04",
    "2016-11-11",
    "2016-11-18",
    "2016-11-25",
    "2016-12-02",
    "2016-12-09",
    "2016-12-16",
    "2016-12-23",
    "2016-12-30",
    "2017-01-06",
    "2017-01-13",
    "2017-01-20",
    "2017-01-26",  # 01-27 is the Spring Festival eve holiday: the working day before
]

pytestmark = pytest.mark.usefixtures("demo_accounts")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime.datetime(2016, 1, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def preview(start=YEAR[0], end=YEAR[1]):
    return [r.as_json() for r in reminders_due(start=start, end=end)]


def staff_and_head(code):
    return [code, f"{code}-head"]


def test_the_whole_year(plan_2016):
    """Every reminder of 2016 and January 2017: the deadline of 二(三) (the only date
    deadline with departments), then the October check, the overdue run and the January
    assessment."""
    rows = preview()
    summary = [(r["on"], r["kind"], r["department"], r["task"], r["about"]) for r in rows]
    expected = [
        ("2016-09-23", "deadline", "admin-service", "二(三)", "2016-09-30"),
        ("2016-09-29", "deadline", "admin-service", "二(三)", "2016-09-30"),
    ]
    expected += [("2016-09-30", "check", code, None, "2016-10-08") for code in DEPARTMENTS]
    for day in OVERDUE_DAYS:
        if day == "2016-12-30":
            # The assessment's last-working-day reminder (01-03) falls on the same day.
            expected += [("2016-12-30", "assessment", c, None, "2017-01-03") for c in DEPARTMENTS]
        if day == "2016-12-30" or day < "2016-12-27":
            expected.append((day, "overdue", "admin-service", "二(三)", "2016-09-30"))
        if day == "2016-12-23":
            expected += [("2016-12-27", "assessment", c, None, "2017-01-03") for c in DEPARTMENTS]
        if day > "2016-12-30":
            expected.append((day, "overdue", "admin-service", "二(三)", "2016-09-30"))
    assert summary == expected


def test_deadline_of_task_2_3_seven_days_then_one_working_day_before(plan_2016):
    rows = [r for r in preview() if r["kind"] == "deadline"]
    assert rows == [
        # Yellow, due soon: the department's staff.
        {
            "kind": "deadline",
            "department": "admin-service",
            "task": "二(三)",
            "on": "2016-09-23",
            "recipients": ["admin-service"],
            "about": "2016-09-30",
        },
        # Orange, the last working day before: its head too.
        {
            "kind": "deadline",
            "department": "admin-service",
            "task": "二(三)",
            "on": "2016-09-29",
            "recipients": ["admin-service", "admin-service-head"],
            "about": "2016-09-30",
        },
    ]


def test_each_message_links_where_the_work_is_done(plan_2016):
    """A deadline or overdue reminder opens its task (where the entry is recorded); a
    round's reminder opens the department's whole ledger, to bring up to date."""
    reminders = reminders_due(start=D(2016, 9, 23), end=D(2016, 10, 31), with_details=True)
    task = Deadline.objects.get(due=D(2016, 9, 30)).task
    links = {(r.kind, r.link) for r in reminders}
    assert ("deadline", f"/ledger/tasks/{task.id}/") in links
    assert ("overdue", f"/ledger/tasks/{task.id}/") in links
    assert ("check", "/ledger/") in links
    assert {r.link for r in reminders} == {f"/ledger/tasks/{task.id}/", "/ledger/"}


def test_overdue_goes_to_the_office_too_weekly_until_met(plan_2016):
    rows = [r for r in preview() if r["kind"] == "overdue"]
    assert [r["on"] for r in rows] == OVERDUE_DAYS
    assert {tuple(r["recipients"]) for r in rows} == {
        ("admin-service", "admin-service-head", "reviewer")
    }
    # Met on 2016-11-01: the department's newest counted entry says done.
    department = Department.objects.get(code="admin-service")
    task = Deadline.objects.get(due=D(2016, 9, 30)).task
    LedgerEntryFactory(
        task=task,
        department=department,
        author=UserFactory(),
        happened_on=D(2016, 11, 1),
        status=LedgerEntry.Status.DONE,
        state=LedgerEntry.State.SUBMITTED,
        submitted_at=datetime.datetime(2016, 11, 1, tzinfo=datetime.UTC),
    )
    assert [r for r in preview() if r["kind"] in ("overdue", "deadline")] == []


def test_october_check_on_national_day_goes_out_the_working_day_before(plan_2016):
    """The check is on Sat 2016-10-08 (a 调休 working day, the month's first). Seven days
    before is 10-01, National Day; one working day before is 09-30 too, across the holiday:
    one message to each department that day, to its staff and head."""
    check = ReviewRound.objects.get(kind="check")
    assert check.date == D(2016, 10, 8)
    rows = [r for r in preview() if r["kind"] == "check"]
    assert [r["on"] for r in rows] == ["2016-09-30"] * 8
    assert [r["department"] for r in rows] == DEPARTMENTS
    assert rows[1]["recipients"] == staff_and_head("policy-law")
    assert preview(D(2016, 10, 1), D(2016, 10, 7)) == []


def test_january_assessment(plan_2016):
    assessment = ReviewRound.objects.get(kind="assessment")
    assert assessment.date == D(2017, 1, 3)  # 01-01 and 01-02 are the New Year holiday
    rows = [r for r in preview() if r["kind"] == "assessment"]
    # 7 days before is Tue 12-27; one working day before 01-03 is Fri 12-30.
    assert [r["on"] for r in rows] == ["2016-12-27"] * 8 + ["2016-12-30"] * 8


def test_moving_a_round_moves_its_reminders(plan_2016):
    ReviewRound.objects.filter(kind="check").update(date=D(2016, 10, 17))
    days = sorted({r["on"] for r in preview() if r["kind"] == "check"})
    assert days == ["2016-10-10", "2016-10-14"]


def test_moving_a_deadline_moves_its_reminders(plan_2016):
    Deadline.objects.filter(due=D(2016, 9, 30)).update(due=D(2016, 11, 30))
    days = [r["on"] for r in preview() if r["kind"] == "deadline"]
    assert days == ["2016-11-23", "2016-11-29"]


def test_closed_rounds_send_nothing(plan_2016):
    ReviewRound.objects.update(status=ReviewRound.Status.CLOSED)
    assert {r["kind"] for r in preview()} == {"deadline", "overdue"}


def test_lead_times_per_plan(plan_2016):
    ReminderSettings.objects.create(
        plan=plan_2016, days_before=14, workdays_before=3, overdue_every_days=14
    )
    rows = preview()
    # 14 days before 09-30 is 09-16, the Mid-Autumn holiday (09-15 to 09-17): 09-14.
    assert [r["on"] for r in rows if r["kind"] == "deadline"] == ["2016-09-14", "2016-09-27"]
    # 14 days before 10-08 is 09-24 (a Saturday): the Friday before. 3 working days: 09-28.
    assert sorted({r["on"] for r in rows if r["kind"] == "check"}) == [
        "2016-09-23",
        "2016-09-28",
    ]
    assert [r["on"] for r in rows if r["kind"] == "overdue"][:3] == [
        "2016-10-08",
        "2016-10-14",
        "2016-10-28",
    ]


def test_only_active_plans_remind(plan_2016):
    Plan.objects.update(status=Plan.Status.CLOSED)
    assert preview() == []


def test_inactive_departments_are_not_reminded(plan_2016):
    Department.objects.filter(code="admin-service").update(active=False)
    rows = preview()
    assert "admin-service" not in {r["department"] for r in rows}
    assert {r["kind"] for r in rows} == {"check", "assessment"}


def test_query_count_is_fixed(plan_2016, django_assert_num_queries):
    # 1 plans, 2 lead times, 3 memberships, 4 assignments with their newest entry,
    # 5 rounds, 6 date deadlines, 7-8 the administrator's holidays of 2016 and 2017.
    with django_assert_num_queries(8):
        reminders_due(start=YEAR[0], end=YEAR[1])
    # With the messages written: 9 the rounds of the plans, for "since the last round".
    with django_assert_num_queries(9):
        reminders_due(start=YEAR[0], end=YEAR[1], with_details=True)


def test_preview_command_prints_json_lines(plan_2016, capsys):
    call_command("preview_reminders", "--on", "2016-09-29")
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "kind": "deadline",
            "department": "admin-service",
            "task": "二(三)",
            "on": "2016-09-29",
            "recipients": ["admin-service", "admin-service-head"],
            "about": "2016-09-30",
        }
    ]
    call_command("preview_reminders", "--from", "2016-09-01", "--to", "2016-10-31")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 8 + 4
    assert "行政服务处" not in lines[0]  # codes, not names


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--on", "2016-13-01"],
        ["--from", "2016-10-01"],
        ["--from", "2016-10-02", "--to", "2016-10-01"],
        ["--on", "2016-10-01", "--from", "2016-10-01", "--to", "2016-10-02"],
    ],
)
def test_preview_command_refuses_bad_dates(plan_2016, args):
    with pytest.raises(CommandError):
        call_command("preview_reminders", *args)


def test_beat_runs_the_day_every_morning_from_the_database(db):
    """The migration stores one beat entry; it holds no dates, so editing a round or a
    deadline needs no change to the schedule."""
    entry = PeriodicTask.objects.get(name="send reminders for today")
    assert entry.enabled
    assert entry.task == SEND_FOR_TODAY
    assert SEND_FOR_TODAY in app.tasks
    assert (entry.crontab.hour, entry.crontab.minute) == ("8", "30")
    assert str(entry.crontab.timezone) == "Asia/Shanghai"
    assert entry.args == "[]"
