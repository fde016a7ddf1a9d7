"""The administrator's side: holidays entered in the admin move due dates; an event added
in the admin starts its clocks like one recorded on the clock pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tasks_ledger.calendar.models import Holiday
from tasks_ledger.clocks.models import Calendar, Event
from tests.tasks_ledger.clocks.conftest import at


@pytest.fixture
def admin_client_(client, people):
    client.force_login(people["admin"])
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    return client


def add_event(client, task, **fields):
    data = {
        "task": task.pk,
        "kind": "document",
        "title": "关于调整部分道路运输收费标准的通知",
        "doc_number": "",
        "url": "https://www.example.gov.cn/zcwj/91.html",
        "occurred_at": "2016-09-30T16:00",
        "location": "",
        "severity": "",
        # The obligations inline (read-only, nothing to add).
        "obligations-TOTAL_FORMS": "0",
        "obligations-INITIAL_FORMS": "0",
    } | fields
    return client.post(reverse("admin:clocks_event_add"), data)


@time_machine.travel(at(2016, 10, 8, 9, 0), tick=False)
def test_a_holiday_added_in_the_admin_moves_the_due_date(admin_client_, document_task, people):
    response = admin_client_.post(
        reverse("admin:calendar_holiday_add"),
        {"date": "2016-10-10", "is_workday": "", "note": "临时放假"},
    )
    assert response.status_code == 302
    assert Holiday.objects.get().date == datetime.date(2016, 10, 10)
    response = add_event(admin_client_, document_task)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.recorded_by.username == people["admin"].username
    assert {(o.due_at, o.calendar) for o in event.obligations.all()} == {
        (at(2016, 10, 11, 23, 59, 59), Calendar.ADMIN)
    }
    # Once recorded, an event is read-only: its obligations were computed from it.
    page = admin_client_.get(reverse("admin:clocks_event_change", args=[event.pk]))
    assert page.status_code == 200
    assert "occurred_at" in page.context["adminform"].readonly_fields


@time_machine.travel(at(2016, 10, 8, 9, 0), tick=False)
def test_the_admin_refuses_an_event_that_starts_nothing(admin_client_, document_task):
    document_task.deadlines.all().delete()
    response = add_event(admin_client_, document_task)
    assert response.status_code == 200
    assert "task" in response.context["adminform"].form.errors
    assert not Event.objects.exists()
