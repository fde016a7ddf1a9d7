"""Emergencies start clocks only at grades I and II; an event recorded by mistake is
withdrawn with a reason and its obligations close; the fulfil list and the fulfil input
take only entries the user may open, about that event (issue 11, items 4 and 7)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tasks_ledger.clocks.alerts import clock_alerts_send
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.clocks.selectors import clock_board, on_time_rates, visible_obligations
from tasks_ledger.clocks.services import ClockError, event_withdraw
from tasks_ledger.ledger.models import LedgerEntry
from tests.tasks_ledger.api.conftest import assert_error_shape, client_for
from tests.tasks_ledger.clocks.conftest import at
from tests.tasks_ledger.clocks.factories import entry_with_evidence
from tests.tasks_ledger.clocks.test_services import record_emergency

NOW = at(2016, 10, 4, 2, 45)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def emergency(emergency_task, people):
    return record_emergency(emergency_task, people["staff"], at(2016, 10, 3, 22, 30))


def _emergency_form(severity):
    return {
        "kind": "emergency",
        "title": "京杭运河宿迁段船舶碰撞",
        "location": "京杭运河宿迁段",
        "severity": severity,
        "occurred_at": "2016-10-04T01:15",
    }


@pytest.mark.parametrize("severity", ["large", "ordinary"])
def test_a_grade_iii_or_iv_emergency_starts_no_clock(client, emergency_task, people, severity):
    client.force_login(people["staff"])
    url = reverse("clocks:event-record", args=[emergency_task.pk])
    response = client.post(url, _emergency_form(severity))
    assert response.status_code == 200
    assert "severity" in response.context["form"].errors
    assert "特别重大" in response.context["form"].errors["severity"][0]
    assert not Event.objects.exists() and not Obligation.objects.exists()


@pytest.mark.parametrize(("severity", "clocks"), [("extreme", 2), ("major", 2), ("ordinary", 0)])
def test_the_api_starts_clocks_for_grades_i_and_ii_only(emergency_task, people, severity, clocks):
    response = client_for(people["staff"]).post(
        "/api/events/",
        {
            **_emergency_form(severity),
            "task": emergency_task.pk,
            "occurred_at": "2016-10-04T01:15+08:00",
        },
        format="json",
    )
    assert response.status_code == (201 if clocks else 400), response.content
    if not clocks:
        assert_error_shape(response, status=400)
        assert response.json()["errors"][0]["attr"] == "severity"
    assert Obligation.objects.count() == clocks


def test_withdrawing_an_event_keeps_it_with_its_reason_and_closes_its_clocks(
    client, emergency, people
):
    client.force_login(people["staff"])
    url = reverse("clocks:event-withdraw", args=[emergency.pk])
    assert client.post(url, {"reason": ""}).status_code == 400  # a reason is required
    response = client.post(url, {"reason": "误报:系演练"})
    assert response.status_code == 302
    emergency.refresh_from_db()
    assert emergency.withdrawn_by == people["staff"]
    assert emergency.withdrawal_reason == "误报:系演练"
    assert emergency.withdrawn_at is not None
    # Closed: withdrawn state, off the board, out of the rates, no alert, no fulfilment.
    later = at(2016, 10, 5, 9, 0)
    states = set(Obligation.objects.with_state(later).values_list("state", flat=True))
    assert states == {"withdrawn"}
    obligations = visible_obligations(people["reviewer"])
    board = clock_board(obligations=obligations, now=later)
    assert board.open == board.breached == board.closed == []
    rates = on_time_rates(
        obligations=obligations, now=later, since=at(2016, 1, 1), until=at(2017, 1, 1)
    )
    assert rates == {"department": [], "kind": []}
    assert clock_alerts_send(now=later) == {
        "clock_event": 0,
        "clock_due_soon": 0,
        "clock_breach": 0,
    }
    page = client.get(reverse("clocks:event-detail", args=[emergency.pk]))
    assert "误报:系演练" in page.content.decode()
    assert page.context["withdraw_form"] is None  # withdrawn once only
    with pytest.raises(ClockError):
        event_withdraw(event=emergency, by=people["reviewer"], reason="再撤一次")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 200), ("head", 200), ("reviewer", 200), ("b_staff", 404), ("other", 404)],
)
def test_who_may_withdraw_through_the_api(emergency, people, persona, status):
    response = client_for(people[persona]).post(
        f"/api/events/{emergency.pk}/withdraw/", {"reason": "误报"}, format="json"
    )
    assert response.status_code == status, response.content
    emergency.refresh_from_db()
    assert (emergency.withdrawn_at is not None) == (status == 200)
    if status == 200:
        assert response.json()["withdrawal_reason"] == "误报"
        assert {o["state"] for o in response.json()["obligations"]} == {"withdrawn"}


def test_a_withdrawn_events_obligation_cannot_be_fulfilled(emergency, people, departments):
    entry = entry_with_evidence(task=emergency.task, department=departments["own"])
    event_withdraw(event=emergency, by=people["reviewer"], reason="误报")
    five = emergency.obligations.get(deadline_text="5小时内")
    response = client_for(people["staff"]).post(
        f"/api/obligations/{five.pk}/fulfil/",
        {"entry": entry.pk, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    assert response.status_code == 400
    five.refresh_from_db()
    assert five.fulfilled_by is None


def _choices(client, event):
    page = client.get(reverse("clocks:event-detail", args=[event.pk]))
    return {e.pk for o in page.context["obligations"] for e in getattr(o, "entry_choices", [])}


def test_the_fulfil_list_offers_only_entries_the_user_may_open_about_the_event(
    client, emergency, people, departments, emergency_task
):
    own = departments["own"]
    submitted = entry_with_evidence(task=emergency_task, department=own)
    draft = entry_with_evidence(task=emergency_task, department=own, state=LedgerEntry.State.DRAFT)
    before = entry_with_evidence(
        task=emergency_task, department=own, happened_on=datetime.date(2016, 10, 2)
    )
    client.force_login(people["reviewer"])
    assert _choices(client, emergency) == {submitted.pk}  # no draft, nothing from before
    client.force_login(people["staff"])
    assert _choices(client, emergency) == {submitted.pk, draft.pk}  # its own draft it may open
    assert before.pk not in _choices(client, emergency)


def test_the_office_cannot_fulfil_with_a_draft_it_may_not_open(
    client, emergency, people, departments, emergency_task
):
    draft = entry_with_evidence(
        task=emergency_task, department=departments["own"], state=LedgerEntry.State.DRAFT
    )
    five = emergency.obligations.get(deadline_text="5小时内")
    api = client_for(people["reviewer"]).post(
        f"/api/obligations/{five.pk}/fulfil/",
        {"entry": draft.pk, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    missing = client_for(people["reviewer"]).post(
        f"/api/obligations/{five.pk}/fulfil/",
        {"entry": draft.pk + 1000, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    assert api.status_code == missing.status_code == 400
    # The draft answers as an id that does not exist: its existence does not leak.
    assert api.json()["errors"][0]["detail"].replace(str(draft.pk), "N") == missing.json()[
        "errors"
    ][0]["detail"].replace(str(draft.pk + 1000), "N")
    client.force_login(people["reviewer"])
    browser = client.post(
        reverse("clocks:obligation-fulfil", args=[five.pk]),
        {f"o{five.pk}-entry": draft.pk, f"o{five.pk}-at": "2016-10-04T02:40"},
    )
    assert browser.status_code == 400
    five.refresh_from_db()
    assert five.fulfilled_by is None


def test_an_entry_about_work_before_the_event_does_not_fulfil_it(
    emergency, people, departments, emergency_task
):
    before = entry_with_evidence(
        task=emergency_task, department=departments["own"], happened_on=datetime.date(2016, 10, 2)
    )
    five = emergency.obligations.get(deadline_text="5小时内")
    response = client_for(people["staff"]).post(
        f"/api/obligations/{five.pk}/fulfil/",
        {"entry": before.pk, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "entry"
