"""The submit / accept / return workflow through /api/ledger-entries/{id}/…: who may act,
stale versions refused, a returned entry corrected and resubmitted."""

import datetime

import pytest

from tasks_ledger.ledger.models import LedgerEntry
from tests.tasks_ledger.api.conftest import assert_error_shape
from tests.tasks_ledger.api.ledger_rows import URL, entry_rows


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 403),
        # Staff submit only where the department allows it.
        ("staff", 403),
        ("head", 200),
        ("b_staff", 404),
        ("reviewer", 404),
        ("admin", 404),
    ],
)
def test_submit_matrix(world, as_persona, persona, expected):
    entry = world.entries.a_draft
    before = entry_rows()
    response = as_persona(persona).post(f"{URL}{entry.pk}/submit/", {"version": 1}, format="json")
    assert response.status_code == expected, response.content
    entry.refresh_from_db()
    if expected == 200:
        assert entry.state == LedgerEntry.State.SUBMITTED
        assert entry.submitted_at is not None
        assert response.json()["state"] == "submitted"
    else:
        assert_error_shape(response, status=expected)
        assert entry_rows() == before


def test_staff_submit_where_the_department_allows(world, as_persona):
    world.a.staff_may_submit = True
    world.a.save()
    entry = world.entries.a_draft
    response = as_persona("staff").post(f"{URL}{entry.pk}/submit/", {}, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.state == LedgerEntry.State.SUBMITTED


def test_submit_with_stale_version_is_409(world, as_persona):
    entry = world.entries.a_draft
    LedgerEntry.objects.filter(pk=entry.pk).update(version=3)
    response = as_persona("head").post(f"{URL}{entry.pk}/submit/", {"version": 2}, format="json")
    body = assert_error_shape(response, status=409, code="conflict")
    assert body["current"]["version"] == 3
    entry.refresh_from_db()
    assert entry.state == LedgerEntry.State.DRAFT


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 403),
        ("staff", 403),
        ("head", 403),
        ("b_staff", 403),
        ("reviewer", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("act", ["accept", "return"])
def test_review_matrix(world, as_persona, persona, expected, act):
    entry = world.entries.a_submitted
    before = entry_rows()
    response = as_persona(persona).post(
        f"{URL}{entry.pk}/{act}/", {"reason": "佐证材料不全"}, format="json"
    )
    assert response.status_code == expected, response.content
    entry.refresh_from_db()
    if expected == 200:
        state = {"accept": "accepted", "return": "returned"}[act]
        assert entry.state == state
        assert response.json()["state"] == state
        if act == "return":
            assert entry.return_reason == "佐证材料不全"
    else:
        assert_error_shape(response, status=expected)
        assert entry_rows() == before


def test_return_needs_a_reason(world, as_persona):
    entry = world.entries.a_submitted
    before = entry_rows()
    response = as_persona("reviewer").post(f"{URL}{entry.pk}/return/", {}, format="json")
    assert_error_shape(response, status=400, code="required", attr="reason")
    response = as_persona("reviewer").post(
        f"{URL}{entry.pk}/return/", {"reason": "   "}, format="json"
    )
    assert_error_shape(response, status=400, attr="reason")
    assert entry_rows() == before


def test_accepting_twice_is_409(world, as_persona):
    entry = world.entries.a_submitted
    client = as_persona("reviewer")
    assert client.post(f"{URL}{entry.pk}/accept/", {}, format="json").status_code == 200
    body = assert_error_shape(
        client.post(f"{URL}{entry.pk}/accept/", {}, format="json"), status=409
    )
    assert body["current"]["state"] == "accepted"


def test_returned_entry_is_corrected_and_resubmitted(world, as_persona):
    entry = world.entries.a_submitted
    assert (
        as_persona("reviewer")
        .post(f"{URL}{entry.pk}/return/", {"reason": "补充文号"}, format="json")
        .status_code
        == 200
    )
    entry.refresh_from_db()
    head = as_persona("head")
    response = head.patch(
        f"{URL}{entry.pk}/",
        {"version": entry.version, "evidence": [{"doc_number": "宿交发〔2016〕30号"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    version = response.json()["version"]
    response = head.post(f"{URL}{entry.pk}/submit/", {"version": version}, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.state == LedgerEntry.State.SUBMITTED
    assert entry.submitted_at > datetime.datetime(2016, 6, 2, tzinfo=datetime.UTC)


def test_every_write_answers_with_the_entry_as_stored(world, as_persona, django_assert_num_queries):
    """The answer to a write is built from the entry the write left in memory (only its
    evidence read again): it must be what a fresh read of the stored entry shows."""
    head, reviewer = as_persona("head"), as_persona("reviewer")

    def same_as_read(response, client):
        assert response.status_code in (200, 201), response.content
        body = response.json()
        assert body == client.get(f"{URL}{body['id']}/").json()
        return body

    created = same_as_read(
        head.post(
            URL,
            {
                "task": world.shared.pk,
                "happened_on": "2016-06-03",
                "summary": "新建",
                "evidence": [{"url": "https://example.org/a", "note": "链接"}],
            },
            format="json",
        ),
        head,
    )
    path = f"{URL}{created['id']}/"
    # A change of the text: 1 the token, 2 the entry, 3-4 two savepoints (the test's own
    # transaction around them), 5 the claim, 6 its row read back, 7 the save, 8 its
    # history, 9-10 the releases, 11 the evidence for the answer. Not the entry again.
    payload = {"version": created["version"], "summary": "改写", "status": "done"}
    with django_assert_num_queries(11):
        changed = head.patch(path, payload, format="json")
    changed = same_as_read(changed, head)
    assert (changed["summary"], changed["version"]) == ("改写", created["version"] + 1)
    assert changed["evidence"] == created["evidence"]
    replaced = same_as_read(
        head.patch(
            path,
            {"version": changed["version"], "evidence": [{"doc_number": "宿交发〔2016〕9号"}]},
            format="json",
        ),
        head,
    )
    assert [e["doc_number"] for e in replaced["evidence"]] == ["宿交发〔2016〕9号"]
    submitted = same_as_read(head.post(f"{path}submit/", {}, format="json"), head)
    assert submitted["state"] == "submitted" and submitted["submitted_at"]
    returned = same_as_read(
        reviewer.post(f"{path}return/", {"reason": "补材料"}, format="json"), reviewer
    )
    assert (returned["state"], returned["return_reason"]) == ("returned", "补材料")
    same_as_read(head.post(f"{path}submit/", {}, format="json"), head)
    accepted = same_as_read(reviewer.post(f"{path}accept/", {}, format="json"), reviewer)
    assert accepted["state"] == "accepted"
