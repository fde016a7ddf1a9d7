"""Every reminder reaches the department's group robot too: the scheduled ones (due soon,
overdue, before a round) and urges, once each, signed, through the same retried tasks and
outbox sweep as the emails; a failing robot holds up neither the inbox nor the emails."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from departments.models import Department
from tasks_ledger.plan.models import Task
from tasks_ledger.reminders.models import Notification, RobotChannel, RobotMessage
from tasks_ledger.reminders.selectors import reminders_due
from tasks_ledger.reminders.sending import robot_messages_sweep
from tasks_ledger.reminders.sending_tasks import (
    reminders_email_sweep_task,
    send_robot_message_task,
)
from tasks_ledger.reminders.services import reminders_send_for_day, urge_create
from tests.tasks_ledger.reminders.robot_receiver import serve

D = datetime.date
# 2016-09-29 08:30 in Shanghai: the morning before 二(三)'s deadline (admin-service's).
MORNING_BEFORE = datetime.datetime(2016, 9, 29, 0, 30, tzinfo=datetime.UTC)


@pytest.fixture
def robot():
    receiver, server = serve(secret="SEC-test-secret")
    yield receiver
    server.shutdown()


def channel(code, receiver, kind=RobotChannel.Kind.DINGTALK):
    return RobotChannel.objects.create(
        department=Department.objects.get(code=code),
        kind=kind,
        webhook_url=receiver.url,
        secret=receiver.secret if kind == RobotChannel.Kind.DINGTALK else "",
    )


def texts(receiver):
    return [payload["text"]["content"] for _query, payload, _signed in receiver.received]


def run_day(capture, on):
    with capture(execute=True):
        return reminders_send_for_day(on=on)


@pytest.mark.usefixtures("demo_accounts")
def test_a_due_soon_reminder_reaches_the_departments_robot_once_signed(
    plan_2016, robot, eager_celery, django_capture_on_commit_callbacks
):
    channel("admin-service", robot)
    quiet, quiet_server = serve()
    try:
        channel("policy-law", quiet, kind=RobotChannel.Kind.WECOM)
        with time_machine.travel(MORNING_BEFORE):
            assert run_day(django_capture_on_commit_callbacks, D(2016, 9, 29)) == 2
            assert run_day(django_capture_on_commit_callbacks, D(2016, 9, 29)) == 0
    finally:
        quiet_server.shutdown()
    assert quiet.received == []  # nothing due for policy-law that day
    ((query, payload, signed),) = robot.received
    assert signed is True and query["timestamp"].isdigit()
    task = Task.objects.get(deadlines__due=D(2016, 9, 30))
    text = payload["text"]["content"]
    assert text.startswith("2016-09-30到期：二(三)\n")  # the inbox's subject heads it
    assert task.title in text
    assert text.endswith(f"/ledger/tasks/{task.id}/")
    assert RobotMessage.objects.get().key == f"deadline:deadline:{task.deadlines.get().id}:" + (
        f"{Department.objects.get(code='admin-service').id}:2016-09-29"
    )


@pytest.mark.usefixtures("demo_accounts")
def test_overdue_and_round_reminders_reach_the_robot_too(
    plan_2016, robot, eager_celery, django_capture_on_commit_callbacks
):
    channel("admin-service", robot)
    admin_service = Department.objects.get(code="admin-service")
    overdue_day = next(
        r.on
        for r in reminders_due(start=D(2016, 10, 1), end=D(2016, 10, 31))
        if r.kind == "overdue" and r.department == admin_service
    )
    run_day(django_capture_on_commit_callbacks, D(2016, 9, 30))  # the check's eve
    run_day(django_capture_on_commit_callbacks, overdue_day)
    run_day(django_capture_on_commit_callbacks, overdue_day)  # run twice: posted once
    sent = texts(robot)
    assert len(sent) == 2
    assert "2016-10-08" in sent[0] and admin_service.name in sent[0]  # before the check
    assert sent[1].startswith("逾期") and "二(三)" in sent[1]
    assert Notification.objects.filter(kind="overdue", department=admin_service).exists()


@pytest.mark.usefixtures("demo_accounts")
def test_an_urge_reaches_the_robot_once_per_press_with_the_offices_name(
    plan_2016, robot, eager_celery, django_capture_on_commit_callbacks
):
    channel("safety", robot)
    safety = Department.objects.get(code="safety")
    task = Task.objects.filter(assignments__department=safety).first()
    reviewer = safety.memberships.model.objects.get(user__username="reviewer").user
    with django_capture_on_commit_callbacks(execute=True):
        urge_create(task=task, department=safety, by=reviewer, message="请本周内报送")
    with django_capture_on_commit_callbacks(execute=True):
        urge_create(task=task, department=safety, by=reviewer, message="", confirmed=True)
    first, second = texts(robot)
    assert first.startswith("办公室") and "请本周内报送" in first
    assert "reviewer" not in first  # the office's name, never a username
    assert first.endswith(f"/ledger/tasks/{task.id}/") and second != ""
    assert RobotMessage.objects.count() == 2


@pytest.mark.usefixtures("demo_accounts")
def test_a_failing_robot_blocks_neither_inbox_nor_email_and_is_retried_once(
    plan_2016, eager_celery, django_capture_on_commit_callbacks
):
    broken, server = serve()
    broken.status = 500
    try:
        channel("admin-service", broken, kind=RobotChannel.Kind.WECOM)
        with time_machine.travel(MORNING_BEFORE):
            assert run_day(django_capture_on_commit_callbacks, D(2016, 9, 29)) == 2
        assert Notification.objects.count() == 2 and len(mail.outbox) == 2
        failed = RobotMessage.objects.get()
        assert failed.sent_at is None and "500" in failed.last_error
        # A refused message is its task's to retry, not the minute sweep's.
        assert robot_messages_sweep() == 0
        broken.status = 200
        send_robot_message_task.apply(args=[failed.id])
        send_robot_message_task.apply(args=[failed.id])
    finally:
        server.shutdown()
    assert len(broken.received) == 2  # the refusal, then the one retry that went through
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.last_error == ""


@pytest.mark.usefixtures("demo_accounts")
def test_the_minute_sweep_posts_what_the_broker_lost(plan_2016, robot, eager_celery):
    channel("admin-service", robot)
    # No on-commit callbacks run: as if the broker were down when it was queued.
    reminders_send_for_day(on=D(2016, 9, 29))
    message = RobotMessage.objects.get()
    assert robot_messages_sweep() == 0  # too fresh: its own task may still come
    RobotMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    reminders_email_sweep_task.apply()
    reminders_email_sweep_task.apply()
    assert len(robot.received) == 1 and robot.received[0][2] is True
    assert send_robot_message_task.apply(args=[message.id]).get() is False  # late task: no-op
