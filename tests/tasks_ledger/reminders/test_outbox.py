"""The outbox: deliveries are rows that remember whether they were emailed; the sweep emails
what is unsent; a broker outage never fails the request that committed them."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from departments.models import Membership
from tasks_ledger.reminders.models import SentReminder, Urge
from tasks_ledger.reminders.sending import reminder_email_send
from tasks_ledger.reminders.sending_tasks import EMAIL_SWEEP, reminders_email_sweep_task
from tasks_ledger.reminders.services import reminder_send
from tests.factories import AssignmentFactory, DepartmentFactory, TaskFactory, member
from tests.tasks_ledger.reminders.conftest import celery_broker, free_port


@pytest.fixture
def people(db):
    department = DepartmentFactory()
    return (
        department,
        member(department, username="staff"),
        member(department, Membership.Role.HEAD, username="head"),
    )


def deliver(recipients, target="deadline:1:1"):
    # No on_commit here (the test's transaction never commits): the rows alone, unsent, as
    # when the broker lost their messages.
    reminder_send(
        kind="deadline",
        target=target,
        recipients=recipients,
        on=datetime.date(2016, 9, 23),
        subject=f"到期提醒 {target}",
        body="任务二(三)将于2016-09-30到期",
    )


def test_the_sweep_emails_what_is_unsent_once(people):
    _department, staff, head = people
    deliver([staff, head])
    assert SentReminder.objects.filter(emailed_at__isnull=True).count() == 2

    assert reminders_email_sweep_task.apply().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.gov.cn", "staff@example.gov.cn"]
    assert not SentReminder.objects.filter(emailed_at__isnull=True).exists()
    # Run again (beat every minute, or two sweeps at once): nothing more.
    assert reminders_email_sweep_task.apply().get() == 0
    assert len(mail.outbox) == 2


def test_a_row_being_sent_is_left_to_its_worker_until_the_claim_expires(people, settings):
    settings.REMINDER_EMAIL_CLAIM_SECONDS = 300
    _department, staff, _head = people
    deliver([staff])
    delivery = SentReminder.objects.get()
    # A worker claimed it and was killed before the mail server answered.
    claimed = timezone.now()
    SentReminder.objects.filter(pk=delivery.pk).update(email_claimed_at=claimed)

    assert reminders_email_sweep_task.apply().get() == 0
    assert reminder_email_send(delivery_id=delivery.pk) is False  # a redelivered message
    assert mail.outbox == []

    with time_machine.travel(claimed + datetime.timedelta(seconds=301)):
        assert reminders_email_sweep_task.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["staff@example.gov.cn"]]
    delivery.refresh_from_db()
    assert delivery.emailed_at is not None
    assert reminder_email_send(delivery_id=delivery.pk) is False
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_leaves_the_row_for_the_next_sweep(people, settings):
    _department, staff, _head = people
    deliver([staff])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    assert reminders_email_sweep_task.apply().get() == 0
    delivery = SentReminder.objects.get()
    assert (delivery.emailed_at, delivery.email_claimed_at) == (None, None)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_email_sweep_task.apply().get() == 1
    assert len(mail.outbox) == 1


def test_the_sweep_is_scheduled_every_minute(db):
    entry = PeriodicTask.objects.get(task=EMAIL_SWEEP)
    assert entry.enabled
    assert (entry.interval.every, entry.interval.period) == (1, "minutes")


# transactional_db: the urge's on_commit runs inside the request, as in production.
def test_an_urge_with_the_broker_down_answers_and_is_emailed_later(transactional_db, client):
    department = DepartmentFactory()
    staff = member(department, username="staff")
    head = member(department, Membership.Role.HEAD, username="head")
    reviewer = member(None, Membership.Role.REVIEWER, username="office")
    assignment = AssignmentFactory(task=TaskFactory(), department=department)
    client.force_login(reviewer)

    # Nothing listens on the broker's port.
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        response = client.post(reverse("dashboard:urge"), {"assignment": assignment.pk})
    assert response.status_code == 302
    assert Urge.objects.count() == 1  # saved once: nobody has a reason to press again
    unsent = SentReminder.objects.filter(kind="urge", emailed_at__isnull=True)
    assert sorted(unsent.values_list("recipient__username", flat=True)) == ["head", "staff"]
    assert mail.outbox == []

    # The next sweep (beat, once the broker is back) emails them, once each.
    assert reminders_email_sweep_task.apply().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [head.email, staff.email]
    assert reminders_email_sweep_task.apply().get() == 0
