"""/api/events/ and /api/obligations/: recording, listing, filtering, fulfilling, with
the permissions of the pages and the API's one error shape."""

import pytest
import time_machine

from tasks_ledger.clocks.models import Event
from tests.tasks_ledger.api.conftest import assert_error_shape, client_for
from tests.tasks_ledger.clocks.conftest import at
from tests.tasks_ledger.clocks.factories import entry_with_evidence
from tests.tasks_ledger.clocks.test_services import record_document, record_emergency

NOW = at(2016, 10, 4, 2, 45)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events(document_task, emergency_task, people):
    return {
        "document": record_document(document_task, people["staff"], at(2016, 9, 30, 16, 0)),
        "emergency": record_emergency(emergency_task, people["staff"], at(2016, 10, 3, 22, 30)),
    }


def api(people, persona):
    return client_for(None if persona == "anonymous" else people[persona])


DOCUMENT = {
    "kind": "document",
    "title": "关于印发《宿迁市交通运输局政务公开工作实施方案》的通知",
    "doc_number": "宿交发〔2016〕90号",
    "url": "https://www.example.gov.cn/zcwj/90.html",
    "occurred_at": "2016-10-01T10:00:00+08:00",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 201), ("b_staff", 201), ("reviewer", 201), ("other", 403), ("anonymous", 403)],
)
def test_recording_an_event(people, document_task, persona, status):
    response = api(people, persona).post(
        "/api/events/", DOCUMENT | {"task": document_task.pk}, format="json"
    )
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert (body["task"], body["doc_number"], body["occurred_at"]) == (
            document_task.pk,
            "宿交发〔2016〕90号",
            "2016-10-01T10:00:00+08:00",
        )
        assert {o["due_at"] for o in body["obligations"]} == {"2016-10-10T23:59:59+08:00"}
    else:
        assert_error_shape(response, status=status)
        assert not Event.objects.exists()


def test_a_refused_event_names_the_field(people, document_task, emergency_task):
    client = api(people, "staff")
    response = client.post(
        "/api/events/", DOCUMENT | {"task": document_task.pk, "url": ""}, format="json"
    )
    body = assert_error_shape(response, status=400, attr="url")
    # In the site's language, like every other detail.
    assert [e["detail"] for e in body["errors"]] == ["政策文件必须填写此项。"]
    response = client.post(
        "/api/events/",
        {
            "task": emergency_task.pk,
            "kind": "emergency",
            "title": "船舶碰撞",
            "occurred_at": "2016-10-04T01:00:00+08:00",
        },
        format="json",
    )
    body = assert_error_shape(response, status=400)
    assert {e["attr"] for e in body["errors"]} == {"location", "severity"}
    assert {e["detail"] for e in body["errors"]} == {"突发事件必须填写此项。"}
    response = client.post(
        "/api/events/",
        DOCUMENT | {"task": document_task.pk, "occurred_at": "2016-10-05T10:00:00+08:00"},
        format="json",
    )
    assert_error_shape(response, status=400, attr="occurred_at")
    assert not Event.objects.exists()


def test_events_are_listed_to_those_who_may_see_them(people, events):
    def titles(persona):
        return sorted(
            e["title"] for e in api(people, persona).get("/api/events/").json()["results"]
        )

    both = sorted(e.title for e in events.values())
    assert titles("staff") == both
    assert titles("reviewer") == both
    assert titles("b_staff") == [events["document"].title]
    assert titles("other") == []


def test_obligations_with_state_calendar_and_filters(people, events, django_assert_num_queries):
    client = api(people, "reviewer")
    with django_assert_num_queries(3):
        # 1 token with user and membership, 2 count for the page, 3 the page of obligations
        rows = client.get("/api/obligations/").json()["results"]
    five = next(r for r in rows if r["deadline_text"] == "5小时内")
    assert five | {"id": 0, "event": 0, "task": 0} == {
        "id": 0,
        "event": 0,
        "task": 0,
        "department": "policy-law",
        "deadline_text": "5小时内",
        "amount": 5,
        "unit": "hour",
        "due_at": "2016-10-04T03:30:00+08:00",
        "state": "due_soon",
        "calendar": "none",
        "confirmed": True,
        "fulfilled_by": None,
        "fulfilled_at": None,
        "late_by_seconds": None,
    }

    def texts(**params):
        rows = client.get("/api/obligations/", params).json()["results"]
        return sorted((r["department"], r["deadline_text"]) for r in rows)

    assert texts(department="political") == [("political", "3个工作日内")]
    assert texts(task=events["emergency"].task_id, state="open") == [("policy-law", "24小时内")]
    assert texts(due_before="2016-10-04T12:00:00+08:00") == [("policy-law", "5小时内")]
    assert len(texts(due_after="2016-10-04T12:00:00+08:00")) == 3
    # An offset Python reads and PostgreSQL would not (beyond ±15:59): the same time in UTC.
    assert texts(due_before="2016-10-03T07:49:00-20:11") == [("policy-law", "5小时内")]
    assert texts(state="overdue") == []


@pytest.mark.parametrize(
    ("persona", "status"), [("staff", 200), ("reviewer", 200), ("b_staff", 404), ("other", 404)]
)
def test_fulfilling_through_the_api(people, events, departments, persona, status):
    five = events["emergency"].obligations.get(deadline_text="5小时内")
    entry = entry_with_evidence(task=five.event.task, department=departments["own"])
    response = api(people, persona).post(
        f"/api/obligations/{five.pk}/fulfil/",
        {"entry": entry.pk, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    assert response.status_code == status, response.content
    if status == 200:
        assert (response.json()["state"], response.json()["fulfilled_by"]) == ("met", entry.pk)
    else:
        assert_error_shape(response, status=status)


def test_the_partner_may_not_fulfil_the_owners_obligation(people, events, departments):
    owed = events["document"].obligations.get(department=departments["own"])
    entry = entry_with_evidence(task=owed.event.task, department=departments["own"])
    response = api(people, "b_staff").post(
        f"/api/obligations/{owed.pk}/fulfil/",
        {"entry": entry.pk, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    assert_error_shape(response, status=403, code="permission_denied")


def test_a_refused_fulfilment_names_the_field(people, events, departments):
    five = events["emergency"].obligations.get(deadline_text="5小时内")
    bare = entry_with_evidence(task=five.event.task, department=departments["partner"])
    response = api(people, "staff").post(
        f"/api/obligations/{five.pk}/fulfil/",
        {"entry": bare.pk, "at": "2016-10-04T02:40:00+08:00"},
        format="json",
    )
    assert_error_shape(response, status=400, attr="entry")
