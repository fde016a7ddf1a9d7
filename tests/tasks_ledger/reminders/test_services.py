"""Sending reminders: once per kind, target, recipient and day; urges; emails with retry."""

import datetime

import pytest
import time_machine
from django.core import mail

from departments.models import Department, Membership
from tasks_ledger.plan.models import Task
from tasks_ledger.reminders.models import Notification, SentReminder, Urge
from tasks_ledger.reminders.selectors import notifications_unread_count
from tasks_ledger.reminders.sending_tasks import send_reminder_email_task
from tasks_ledger.reminders.services import (
    UrgedToday,
    notification_mark_read,
    notifications_mark_all_read,
    reminder_send,
    reminders_send_for_day,
    urge_create,
)
from tasks_ledger.reminders.tasks import send_reminders_for_today_task
from tests.factories import DepartmentFactory, TaskFactory, member

D = datetime.date


@pytest.fixture
def people(db):
    department = DepartmentFactory()
    return (
        department,
        member(department, username="staff"),
        member(department, Membership.Role.HEAD, username="head"),
    )


def send(recipients, **kw):
    args = {
        "kind": "deadline",
        "target": "deadline:1:1",
        "on": D(2016, 9, 23),
        "subject": "到期提醒",
        "body": "任务二(三)将于2016-09-30到期",
        "link": "/ledger/",
    } | kw
    return reminder_send(recipients=recipients, **args)


def test_sends_once_per_kind_target_recipient_and_day(
    people, eager_celery, django_capture_on_commit_callbacks
):
    department, staff, head = people
    with django_capture_on_commit_callbacks(execute=True):
        assert send([staff, head, staff]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send([staff, head]) == 0
    assert Notification.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["staff@example.gov.cn"], ["head@example.gov.cn"]]
    assert mail.outbox[0].subject == "到期提醒"
    assert "http://127.0.0.1:8000/ledger/" in mail.outbox[0].body
    # Another day, another kind or another target is another reminder.
    with django_capture_on_commit_callbacks(execute=True):
        assert send([staff], on=D(2016, 9, 29)) == 1
        assert send([staff], kind="overdue") == 1
        assert send([staff], target="deadline:1:2") == 1
    assert len(mail.outbox) == 5
    assert not SentReminder.objects.filter(emailed_at__isnull=True).exists()


def test_no_email_address_inbox_only(people, eager_celery, django_capture_on_commit_callbacks):
    department, staff, head = people
    staff.email = ""
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send([staff]) == 1
    assert mail.outbox == []
    assert notifications_unread_count(user=staff) == 1


def test_email_is_sent_at_most_once(people, eager_celery, django_capture_on_commit_callbacks):
    department, staff, head = people
    with django_capture_on_commit_callbacks(execute=True):
        send([staff])
    delivery = SentReminder.objects.get()
    assert send_reminder_email_task.apply(args=[delivery.id]).get() is False
    assert len(mail.outbox) == 1


def test_email_failure_releases_the_claim_and_retries(people, settings, eager_celery):
    department, staff, head = people
    send([staff])  # no on_commit here: the email is sent by hand below
    delivery = SentReminder.objects.get()
    # A mail server that refuses connections: every attempt fails and is retried.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    eager_celery.conf.task_eager_propagates = False
    result = send_reminder_email_task.apply(args=[delivery.id])
    # Run eagerly, Celery performs the retries at once (a worker would wait the backoff
    # between them) and, all failing, gives up with the mail server's error.
    assert result.state == "FAILURE"
    assert isinstance(result.result, OSError)
    eager_celery.conf.task_eager_propagates = True
    delivery.refresh_from_db()
    assert delivery.emailed_at is None  # still to be sent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reminder_email_task.apply(args=[delivery.id]).get() is True
    assert len(mail.outbox) == 1


def test_email_task_retries_with_backoff():
    assert send_reminder_email_task.autoretry_for
    assert send_reminder_email_task.retry_backoff == 30
    assert send_reminder_email_task.max_retries == 8


def test_urge_reaches_the_department_at_once(
    people, eager_celery, django_capture_on_commit_callbacks
):
    department, staff, head = people
    reviewer = member(None, Membership.Role.REVIEWER, username="office", first_name="王")
    member(DepartmentFactory(), username="other")
    # Numbers given: the factories' own sequences grow past the field's length in a long run.
    task = TaskFactory(number="一", section__number="一")
    with django_capture_on_commit_callbacks(execute=True):
        urge = urge_create(task=task, department=department, by=reviewer, message="请本周内补充")
    assert Urge.objects.get() == urge
    notes = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in notes] == ["head", "staff"]
    assert {n.kind for n in notes} == {"urge"}
    assert "请本周内补充" in notes[0].body
    assert notes[0].task == task and notes[0].department == department
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.gov.cn", "staff@example.gov.cn"]
    # A second urge the same day asks first; confirmed, it is sent again but stays one record.
    with pytest.raises(UrgedToday):
        urge_create(task=task, department=department, by=reviewer, message="")
    assert Notification.objects.count() == 2
    urge_create(task=task, department=department, by=reviewer, message="", confirmed=True)
    assert Notification.objects.count() == 4 and Urge.objects.get().times == 2


def test_mark_read(people):
    department, staff, head = people
    send([staff, head])
    send([staff], target="deadline:2:1")
    note = Notification.objects.filter(recipient=staff).first()
    notification_mark_read(notification=note, user=staff)
    assert notifications_unread_count(user=staff) == 1
    with pytest.raises(PermissionError):
        notification_mark_read(notification=note, user=head)
    assert notifications_mark_all_read(user=staff) == 1
    assert notifications_unread_count(user=staff) == 0
    assert notifications_unread_count(user=head) == 1


@pytest.mark.usefixtures("demo_accounts")
def test_the_days_run_sends_the_schedule_once(
    plan_2016, eager_celery, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2016, 9, 29, 0, 30, tzinfo=datetime.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders_for_today_task.apply().get() == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders_for_today_task.apply().get() == 0
    notes = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in notes] == ["admin-service", "admin-service-head"]
    assert notes[0].task == Task.objects.get(deadlines__due=D(2016, 9, 30))
    assert notes[0].subject == "2016-09-30到期：二(三)"
    assert len(mail.outbox) == 2
    # The check's day: every department, with its tasks lacking an entry listed.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_for_day(on=D(2016, 9, 30)) == 16
    note = Notification.objects.get(recipient__username="policy-law", kind="check")
    assert "2016-10-08" in note.subject
    assert "二(一)" in note.body
    assert Department.objects.get(code="policy-law").name in note.body
