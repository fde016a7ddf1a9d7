"""Told on every step: one message per submit, return and accept, to whom it concerns, in
the inbox, by email and to the departments' group robots (a failing robot blocks nothing)."""

import pytest
from django.core import mail

from departments.models import Department, Membership
from tasks_ledger.ledger import services as ledger
from tasks_ledger.reminders.models import Notification, RobotChannel, RobotMessage
from tasks_ledger.reminders.sending_tasks import send_robot_message_task
from tests.factories import AssignmentFactory, DepartmentFactory, LedgerEntryFactory, member
from tests.tasks_ledger.reminders.robot_receiver import serve


@pytest.fixture
def world(db):
    office = DepartmentFactory(name="局办公室", code="office", kind=Department.Kind.OFFICE)
    department = DepartmentFactory(name="政策法规处", code="policy")
    assignment = AssignmentFactory(department=department)
    people = {
        "staff": member(department, username="staff"),
        "head": member(department, Membership.Role.HEAD, username="head"),
        "reviewer": member(office, Membership.Role.REVIEWER, username="reviewer"),
        "other": member(DepartmentFactory(), username="other"),
    }
    entry = LedgerEntryFactory(task=assignment.task, department=department, author=people["staff"])
    return office, department, entry, people


@pytest.fixture
def robot():
    receiver, server = serve(secret="SEC-test-secret")
    yield receiver
    server.shutdown()


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "link"))


def step(capture, action, **kw):
    with capture(execute=True):
        return action(**kw)


def test_submit_return_accept_each_tell_once_with_a_link(
    world, eager_celery, django_capture_on_commit_callbacks
):
    office, department, entry, p = world
    capture = django_capture_on_commit_callbacks
    link = f"/ledger/entries/{entry.id}/"

    entry = step(capture, ledger.ledger_entry_submit, entry=entry, by=p["head"])
    assert inbox(p["reviewer"]) == [("entry_submitted", link)]
    # The head submitted: nobody else in the department is told of their own step.
    assert inbox(p["head"]) == inbox(p["staff"]) == []
    assert [m.to for m in mail.outbox] == [["reviewer@example.gov.cn"]]
    assert "http://127.0.0.1:8000" + link in mail.outbox[0].body

    entry = step(
        capture, ledger.ledger_entry_return, entry=entry, by=p["reviewer"], reason="缺少文号"
    )
    returned = Notification.objects.get(kind="entry_returned", recipient=p["staff"])
    assert "缺少文号" in returned.body and "局办公室" in returned.body
    assert inbox(p["head"]) == [("entry_returned", link)]
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "head@example.gov.cn",
        "staff@example.gov.cn",
    ]

    entry = step(capture, ledger.ledger_entry_submit, entry=entry, by=p["head"])
    entry = step(capture, ledger.ledger_entry_accept, entry=entry, by=p["reviewer"])
    assert inbox(p["staff"])[0] == ("entry_accepted", link)
    assert Notification.objects.filter(kind="entry_accepted").count() == 1
    assert Notification.objects.filter(kind="entry_submitted").count() == 2  # two submits
    assert len(mail.outbox) == 5  # one email per message, none doubled
    assert inbox(p["other"]) == []


def test_staff_submitting_directly_tells_the_head_too(
    world, eager_celery, django_capture_on_commit_callbacks
):
    _office, department, entry, p = world
    department.staff_may_submit = True
    department.save()
    step(django_capture_on_commit_callbacks, ledger.ledger_entry_submit, entry=entry, by=p["staff"])
    assert [n.recipient.username for n in Notification.objects.order_by("recipient__username")] == [
        "head",
        "reviewer",
    ]


def test_a_step_told_twice_sends_nothing_new(world, django_capture_on_commit_callbacks):
    from tasks_ledger.reminders.entry_events import notify_entry_event

    _office, _department, entry, p = world
    entry = ledger.ledger_entry_submit(entry=entry, by=p["head"])
    assert notify_entry_event(entry=entry, event="submitted", by=p["head"]) == 0
    assert Notification.objects.count() == 1


def test_a_refused_step_tells_nobody(world):
    _office, _department, entry, p = world
    with pytest.raises(ledger.NotAllowed):
        ledger.ledger_entry_submit(entry=entry, by=p["staff"])  # staff may not submit here
    assert Notification.objects.count() == 0


def test_the_robot_receives_the_signed_message(
    world, robot, eager_celery, django_capture_on_commit_callbacks
):
    _office, department, entry, p = world
    RobotChannel.objects.create(
        department=department,
        kind=RobotChannel.Kind.DINGTALK,
        webhook_url=robot.url,
        secret=robot.secret,
    )
    entry = step(
        django_capture_on_commit_callbacks, ledger.ledger_entry_submit, entry=entry, by=p["head"]
    )
    assert robot.received == []  # a head's submit goes to the office's robot, not this one
    step(
        django_capture_on_commit_callbacks,
        ledger.ledger_entry_return,
        entry=entry,
        by=p["reviewer"],
        reason="缺少文号",
    )
    ((query, payload, signed),) = robot.received
    assert signed is True
    assert query["access_token"] == "t" and query["timestamp"].isdigit()
    assert payload["msgtype"] == "text"
    assert "缺少文号" in payload["text"]["content"]
    assert f"/ledger/entries/{entry.id}/" in payload["text"]["content"]
    assert RobotMessage.objects.get().sent_at is not None


def test_a_failing_robot_blocks_neither_inbox_nor_email_nor_other_robots(
    world, robot, eager_celery, django_capture_on_commit_callbacks
):
    office, department, entry, p = world
    broken, broken_server = serve()
    broken.status = 500
    try:
        RobotChannel.objects.create(
            department=department, kind=RobotChannel.Kind.WECOM, webhook_url=broken.url
        )
        RobotChannel.objects.create(
            department=department,
            kind=RobotChannel.Kind.DINGTALK,
            webhook_url=robot.url,
            secret=robot.secret,
        )
        department.staff_may_submit = True
        department.save()
        step(
            django_capture_on_commit_callbacks,
            ledger.ledger_entry_submit,
            entry=entry,
            by=p["staff"],
        )
        failed = RobotMessage.objects.get(channel__webhook_url=broken.url)
        assert len(broken.received) == 1
        assert failed.sent_at is None and "500" in failed.last_error  # left for the retry
        assert len(robot.received) == 1 and robot.received[0][2] is True
        assert sorted(m.to[0] for m in mail.outbox) == [
            "head@example.gov.cn",
            "reviewer@example.gov.cn",
        ]
        assert Notification.objects.count() == 2
        # The robot's server is back: the retry posts the message, once.
        broken.status = 200
        send_robot_message_task.apply(args=[failed.id])
        send_robot_message_task.apply(args=[failed.id])
    finally:
        broken_server.shutdown()
    assert len(broken.received) == 2
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.last_error == ""
