"""The inbox page, marking as read, and the unread badge in the header."""

import datetime

import pytest
from django.urls import reverse

from departments.models import Membership
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reminders.services import reminder_send
from tests.factories import DepartmentFactory, member


@pytest.fixture
def people(db):
    department = DepartmentFactory(name="行政服务处")
    return {
        "staff": member(department, username="staff"),
        "other": member(DepartmentFactory(), username="other"),
        "reviewer": member(None, Membership.Role.REVIEWER, username="office"),
    }


def send(user, n=1):
    for i in range(n):
        reminder_send(
            kind="deadline",
            target=f"deadline:{i}:1",
            recipients=[user],
            on=datetime.date(2016, 9, 23),
            subject=f"到期提醒{i}",
            body="任务二(三)将于2016-09-30到期",
            link="/ledger/",
        )
    return Notification.objects.filter(recipient=user).order_by("id")


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("reminders:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_inbox_lists_own_messages_and_badge(client, people):
    send(people["staff"], 3)
    send(people["other"])
    client.force_login(people["staff"])
    response = client.get(reverse("reminders:inbox"))
    page = response.content.decode()
    assert [n.subject for n in response.context["page"]] == ["到期提醒2", "到期提醒1", "到期提醒0"]
    assert '<span class="badge" aria-label="未读">3</span>' in page
    client.force_login(people["reviewer"])
    page = client.get(reverse("reminders:inbox")).content.decode()
    assert "到期提醒" not in page
    assert 'class="badge"' not in page


def test_mark_read_and_follow_the_link(client, people):
    first, second = send(people["staff"], 2)
    client.force_login(people["staff"])
    response = client.post(reverse("reminders:read", args=[first.pk]), {"next": "/ledger/"})
    assert response.status_code == 302 and response.url == "/ledger/"
    first.refresh_from_db()
    assert first.read_at is not None
    # An outside address is not followed.
    response = client.post(
        reverse("reminders:read", args=[second.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("reminders:inbox")
    page = client.get(reverse("reminders:inbox")).content.decode()
    assert 'class="badge"' not in page


def test_mark_all_read(client, people):
    send(people["staff"], 3)
    send(people["other"])
    client.force_login(people["staff"])
    response = client.post(reverse("reminders:read-all"), follow=True)
    assert "已将3条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=people["staff"], read_at=None).exists()
    assert Notification.objects.filter(recipient=people["other"], read_at=None).count() == 1


def test_someone_elses_message_is_404_and_get_is_405(client, people):
    (note,) = send(people["other"])
    client.force_login(people["staff"])
    assert client.post(reverse("reminders:read", args=[note.pk])).status_code == 404
    assert client.get(reverse("reminders:read", args=[note.pk])).status_code == 405
    assert client.get(reverse("reminders:read-all")).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("count", [1, 60])
def test_inbox_query_count_is_fixed(client, people, count, django_assert_num_queries):
    send(people["staff"], count)
    client.force_login(people["staff"])
    # 1 session, 2 user with membership and department, 3 count for the pager, 4 the page
    # of messages with department and task, 5 unread count (badge).
    with django_assert_num_queries(5):
        response = client.get(reverse("reminders:inbox"))
    assert len(response.context["page"]) == min(count, 50)
