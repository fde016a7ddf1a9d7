"""The admin's record of sent reminders is read-only: a hand-made row would block the real
reminder with the same key."""

import datetime

import pytest

from tasks_ledger.reminders.models import SentReminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(db):
    return SentReminder.objects.create(
        kind="deadline",
        target="task:1:due:2030-06-30",
        recipient=UserFactory(username="staff-a"),
        on=datetime.date(2030, 6, 23),
    )


def test_sent_reminders_can_be_read_and_deleted_but_not_added_or_changed(client, sent):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    base = "/admin/reminders/sentreminder/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    page = client.get(f"{base}{sent.pk}/change/")
    assert page.status_code == 200  # shown, read-only
    assert b'name="_save"' not in page.content
    assert client.post(f"{base}{sent.pk}/change/", {"target": "x"}).status_code == 403
    assert client.post(f"{base}{sent.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not SentReminder.objects.exists()
