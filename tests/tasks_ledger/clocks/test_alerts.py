"""Clock alerts with time fixed: when an event is recorded, shortly before the due time,
and at a breach; each sent exactly once, however often the task runs."""

import datetime

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from tasks_ledger.clocks.models import Event
from tasks_ledger.clocks.services import event_record, obligation_fulfil
from tasks_ledger.clocks.tasks import clock_alerts_send_task, event_alert_send_task
from tasks_ledger.reminders.models import Notification, RobotChannel
from tests.tasks_ledger.clocks.conftest import at
from tests.tasks_ledger.clocks.factories import entry_with_evidence
from tests.tasks_ledger.clocks.test_services import fulfil, record_emergency
from tests.tasks_ledger.reminders.robot_receiver import serve


def inbox():
    """(kind, recipient) of every notification sent so far, sorted."""
    return sorted(Notification.objects.values_list("kind", "recipient__username"))


def sweep(now):
    with time_machine.travel(now, tick=False):
        return clock_alerts_send_task()


@pytest.fixture
def document_event(document_task, people, eager_celery, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(at(2016, 9, 30, 16, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return event_record(
            task=document_task,
            kind=Event.Kind.DOCUMENT,
            title="关于印发《宿迁市交通运输行政执法规范》的通知",
            url="https://www.example.gov.cn/zcwj/90.html",
            occurred_at=at(2016, 9, 30, 16, 0),
            by=people["staff"],
        )


def test_recording_an_event_tells_the_departments_that_must_act(document_event, people):
    # Both assigned departments' staff and heads; not the office, not another department.
    assert inbox() == sorted(
        ("clock_event", who.username) for who in (people.staff, people.head, people.b_staff)
    )
    note = Notification.objects.filter(recipient=people.staff).get()
    assert "2016-10-10 23:59" in note.body
    assert note.link == f"/clocks/events/{document_event.pk}/"
    # The queued task and the sweep both find it sent already.
    assert event_alert_send_task(document_event.pk) is False
    assert sweep(at(2016, 9, 30, 16, 35))["clock_event"] == 0
    assert len(inbox()) == 3


def test_working_day_clock_warns_at_0830_on_the_last_day_then_breaches(document_event, people):
    told = [people.staff.username, people.head.username, people.b_staff.username]
    assert sweep(at(2016, 10, 10, 8, 29)) == {
        "clock_event": 0,
        "clock_due_soon": 0,
        "clock_breach": 0,
    }
    assert sweep(at(2016, 10, 10, 8, 30))["clock_due_soon"] == 2  # one per department
    assert sweep(at(2016, 10, 10, 8, 35))["clock_due_soon"] == 0  # run twice: nothing twice
    due_soon = [who for kind, who in inbox() if kind == "clock_due_soon"]
    assert due_soon == sorted(told)

    assert sweep(at(2016, 10, 10, 23, 59, 59))["clock_breach"] == 0  # still in time
    assert sweep(at(2016, 10, 11, 0, 0))["clock_breach"] == 2
    assert sweep(at(2016, 10, 11, 0, 5))["clock_breach"] == 0
    breach = [who for kind, who in inbox() if kind == "clock_breach"]
    # Each department, and the office (its reviewer) once for each department's breach.
    assert breach == sorted(told + [people.reviewer.username] * 2)


def test_hour_clocks_warn_an_hour_before_and_a_fulfilled_clock_stays_quiet(emergency_task, people):
    with time_machine.travel(at(2016, 10, 3, 22, 40), tick=False):
        event = record_emergency(emergency_task, people["staff"], at(2016, 10, 3, 22, 30))
    assert sweep(at(2016, 10, 3, 22, 45))["clock_event"] == 1  # the sweep catches it up
    assert sweep(at(2016, 10, 4, 2, 29))["clock_due_soon"] == 0
    assert sweep(at(2016, 10, 4, 2, 30))["clock_due_soon"] == 1  # 5 hours: 03:30 − 1 h
    fulfil(event, "5小时内", at(2016, 10, 4, 3, 29), people["staff"])
    assert sweep(at(2016, 10, 4, 3, 31)) == {
        "clock_event": 0,
        "clock_due_soon": 0,
        "clock_breach": 0,
    }
    assert sweep(at(2016, 10, 4, 21, 30))["clock_due_soon"] == 1  # 24 hours: 22:30 − 1 h
    assert sweep(at(2016, 10, 4, 22, 31))["clock_breach"] == 1
    assert sweep(at(2016, 10, 4, 22, 36))["clock_breach"] == 0
    assert Notification.objects.filter(kind="clock_breach").count() == 3  # staff, head, office


def test_a_clock_already_breached_when_recorded_gets_only_the_breach(emergency_task, people):
    with time_machine.travel(at(2016, 10, 4, 12, 0), tick=False):
        record_emergency(emergency_task, people["staff"], at(2016, 10, 4, 6, 0))
    # 5 hours ran out at 11:00; the 24-hour clock is not yet due soon.
    assert sweep(at(2016, 10, 4, 12, 1)) == {
        "clock_event": 1,
        "clock_due_soon": 0,
        "clock_breach": 1,
    }


def test_a_fulfilled_obligation_is_not_alerted(document_event, people, departments):
    entry = entry_with_evidence(task=document_event.task, department=departments["own"])
    with time_machine.travel(at(2016, 10, 9, 10, 0), tick=False):
        obligation_fulfil(
            obligation=document_event.obligations.get(department=departments["own"]),
            entry=entry,
            at=at(2016, 10, 9, 9, 0),
            by=people["staff"],
        )
    assert sweep(at(2016, 10, 10, 8, 30))["clock_due_soon"] == 1
    assert sweep(at(2016, 10, 11, 0, 0))["clock_breach"] == 1
    alerted = Notification.objects.exclude(kind="clock_event").values_list("department__code")
    assert set(alerted) == {("political",)}


def test_the_sweep_is_scheduled_in_beat(db):
    task = PeriodicTask.objects.get(task="tasks_ledger.clocks.tasks.clock_alerts_send_task")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")
    assert datetime.timedelta(minutes=task.interval.every) <= datetime.timedelta(minutes=10)


def test_clock_alerts_reach_the_departments_robot_once_each(
    document_task, people, departments, eager_celery, django_capture_on_commit_callbacks
):
    receiver, server = serve(secret="SEC-clock")
    try:
        RobotChannel.objects.create(
            department=departments["own"],
            kind=RobotChannel.Kind.DINGTALK,
            webhook_url=receiver.url,
            secret=receiver.secret,
        )
        with (
            time_machine.travel(at(2016, 9, 30, 16, 30), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            event_record(
                task=document_task,
                kind=Event.Kind.DOCUMENT,
                title="关于印发《宿迁市交通运输行政执法规范》的通知",
                url="https://www.example.gov.cn/zcwj/90.html",
                occurred_at=at(2016, 9, 30, 16, 0),
                by=people["staff"],
            )
        for moment in (at(2016, 10, 10, 8, 30), at(2016, 10, 10, 8, 35), at(2016, 10, 11, 0, 0)):
            with django_capture_on_commit_callbacks(execute=True):
                sweep(moment)
    finally:
        server.shutdown()
    # Started, due soon, breached: one each for the owning department's robot (the partner
    # has none), each signed.
    contents = [payload["text"]["content"] for _q, payload, _s in receiver.received]
    assert len(contents) == 3 and all(signed for _q, _p, signed in receiver.received)
    assert "2016-10-10 23:59" in contents[0]
    assert all("/clocks/events/" in text for text in contents)
