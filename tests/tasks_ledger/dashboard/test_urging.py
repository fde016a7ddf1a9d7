"""催办 from anywhere, once: the same task × department urged twice a day asks first and is
one record; the task keeps its history (who, when, message, read or not); the words."""

import pytest
from django.core import mail
from django.urls import reverse

from departments.models import Department
from tasks_ledger.reminders.models import Notification, SentReminder, Urge
from tasks_ledger.reminders.services import UrgedToday, notification_mark_read, urge_create
from tasks_ledger.reminders.urge_history import urges_for_task
from tests.factories import PlanFactory, SectionFactory, TaskFactory
from tests.tasks_ledger.reminders import conftest as reminder_fixtures

URGE = reverse("dashboard:urge")
# Queued emails run in this process (the reminders' fixture).
eager_celery = reminder_fixtures.eager_celery


@pytest.fixture
def office(db):
    return Department.objects.create(
        name="局办公室", code="office", kind=Department.Kind.OFFICE, order=0
    )


@pytest.mark.usefixtures("eager_celery")
def test_urged_twice_the_same_day_asks_first_and_is_recorded_once(
    client, personas, small_plan, office, django_capture_on_commit_callbacks
):
    client.force_login(personas["reviewer"])
    post = {"assignment": small_plan.t4a.pk, "message": "请尽快报送"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URGE, post).status_code == 302
    sent = len(mail.outbox)
    assert sent == 2  # the department's staff and head

    # Pressed again: the page asks, nothing is recorded or sent.
    response = client.post(URGE, post | {"message": "再催"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="urge-confirm"' in html
    assert 'name="confirmed" value="True"' in html
    assert f'value="{small_plan.t4b.pk}"' not in html  # asked about this one only
    assert Urge.objects.count() == 1 and len(mail.outbox) == sent

    # Confirmed: still one record, the second message kept, sent once more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URGE, post | {"message": "再催", "confirmed": "True"})
    assert response.status_code == 302
    urge = Urge.objects.get()
    assert urge.times == 2 and urge.message == "请尽快报送\n再催"
    assert len(mail.outbox) == 2 * sent
    # Another department, or the next day, is another urge.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URGE, {"assignment": small_plan.t4b.pk})
    assert Urge.objects.count() == 2


def test_the_message_reads_as_the_office_wrote_it(small_plan, personas, office):
    urge_create(task=small_plan.t4, department=small_plan.a, by=personas["reviewer"], message="")
    note = Notification.objects.filter(kind="urge").first()
    assert "局办公室" in note.body and personas["reviewer"].username not in note.body
    assert "甲处" in note.body and "任务四" in note.subject


def test_a_double_urge_in_the_service_raises_until_confirmed(small_plan, personas):
    by = personas["reviewer"]
    first = urge_create(task=small_plan.t2, department=small_plan.a, by=by, message="一")
    with pytest.raises(UrgedToday) as asked:
        urge_create(task=small_plan.t2, department=small_plan.a, by=by, message="二")
    assert asked.value.urge == first
    assert SentReminder.objects.filter(kind="urge").count() == 2  # staff + head, once


def test_the_task_keeps_its_urge_history_with_read_or_not(
    client, small_plan, personas, django_assert_num_queries
):
    by = personas["reviewer"]
    urge_create(task=small_plan.t4, department=small_plan.a, by=by, message="请报送")
    urge_create(task=small_plan.t4, department=small_plan.b, by=by, message="")
    note = Notification.objects.get(kind="urge", recipient=personas["staff"])
    notification_mark_read(notification=note, user=personas["staff"])
    with django_assert_num_queries(1):  # the urges with their people and a read flag
        history = {
            u.department.code: (u.by, u.message, u.read) for u in urges_for_task(task=small_plan.t4)
        }
    assert history == {"dept-a": (by, "请报送", True), "dept-b": (by, "", False)}

    client.force_login(by)
    html = client.get(reverse("dashboard:task-urges", args=[small_plan.t4.pk])).content.decode()
    assert "请报送" in html and html.count("data-urge=") == 2
    # The task page loads it for the office only.
    page = client.get(reverse("ledger:task", args=[small_plan.t4.pk])).content.decode()
    assert reverse("dashboard:task-urges", args=[small_plan.t4.pk]) in page
    client.force_login(personas["staff"])
    page = client.get(reverse("ledger:task", args=[small_plan.t4.pk])).content.decode()
    assert "task-urges" not in page
    assert client.get(reverse("dashboard:task-urges", args=[small_plan.t4.pk])).status_code == 403


def test_urge_links_from_the_matrix_and_the_department_table(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    html = client.get(reverse("dashboard:dashboard")).content.decode()
    assert f"{URGE}?task={small_plan.t4.pk}" in html
    assert f"{URGE}?department=dept-a" in html
    page = client.get(URGE, {"department": "dept-b"}).content.decode()
    assert f'value="{small_plan.t3b.pk}"' in page and f'value="{small_plan.t2a.pk}"' not in page


def test_an_assignment_not_offered_is_a_field_error(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    response = client.post(f"{URGE}?task={small_plan.t1.pk}", {"assignment": small_plan.t4a.pk})
    assert response.status_code == 400
    assert not Urge.objects.exists()


def test_a_past_plans_task_shows_its_urges_without_the_button(client, personas, small_plan):
    """The urge form offers the current plan's assignments only: a task of a past plan
    keeps its history on its page but offers no 催办 that would lead nowhere."""
    past = TaskFactory(section=SectionFactory(plan=PlanFactory(year=2029)), title="旧任务")
    client.force_login(personas["reviewer"])
    current = client.get(reverse("dashboard:task-urges", args=[small_plan.t4.pk]))
    old = client.get(reverse("dashboard:task-urges", args=[past.pk]))
    button = f'href="{URGE}?task='
    assert button in current.content.decode()
    assert old.status_code == 200 and button not in old.content.decode()
