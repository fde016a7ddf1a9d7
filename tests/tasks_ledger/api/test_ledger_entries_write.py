"""Writing /api/ledger-entries/ through the ledger services: who may write what (status
codes and what changed in the database), optimistic locking (409), evidence, and the
submit / accept / return workflow."""

import datetime

import pytest
from django.core.files.base import ContentFile

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.tasks_ledger.api.conftest import PERSONAS, assert_error_shape

URL = "/api/ledger-entries/"


def entry_rows():
    """What the ledger holds, to compare before and after a refused write."""
    return sorted(
        LedgerEntry.objects.values_list(
            "id", "task_id", "department_id", "summary", "status", "state", "version"
        )
    )


def evidence_rows():
    return sorted(Evidence.objects.values_list("entry_id", "kind", "url", "doc_number", "note"))


NEW = {"happened_on": "2016-07-01", "summary": "公开权力清单调整情况", "status": "in_progress"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 403),
        ("owner_staff", 201),
        ("head", 201),
        # Another department's ledger: refused, whoever asks outside the department.
        ("other_staff", 403),
        ("reviewer", 403),
        ("admin", 403),
    ],
)
def test_create_matrix(world, as_persona, persona, expected):
    before = entry_rows()
    response = as_persona(persona).post(
        URL, {**NEW, "task": world.shared.pk, "department": "policy-law"}, format="json"
    )
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        entry = LedgerEntry.objects.get(pk=body["id"])
        assert (entry.department, entry.author, entry.state, entry.version) == (
            world.a,
            world.users[persona],
            LedgerEntry.State.DRAFT,
            1,
        )
        assert body["department"] == "policy-law"
        assert body["author"] == world.users[persona].username
        assert body["summary"] == NEW["summary"]
        assert len(entry_rows()) == len(before) + 1
    else:
        assert_error_shape(response, status=expected)
        assert entry_rows() == before


def test_department_defaults_to_the_callers_own(world, as_persona):
    response = as_persona("other_staff").post(URL, {**NEW, "task": world.shared.pk}, format="json")
    assert response.status_code == 201
    assert LedgerEntry.objects.get(pk=response.json()["id"]).department == world.b


def test_task_not_assigned_is_400_naming_task(world, as_persona):
    before = entry_rows()
    response = as_persona("owner_staff").post(URL, {**NEW, "task": world.b_only.pk}, format="json")
    assert_error_shape(response, status=400, code="not_assigned", attr="task")
    assert entry_rows() == before


def test_missing_and_bad_fields_are_named(world, as_persona):
    before = entry_rows()
    response = as_persona("owner_staff").post(
        URL, {"task": world.shared.pk, "status": "finished", "happened_on": "昨天"}, format="json"
    )
    body = assert_error_shape(response, status=400)
    assert body["type"] == "validation_error"
    assert {e["attr"] for e in body["errors"]} == {"summary", "status", "happened_on"}
    response = as_persona("owner_staff").post(URL, {**NEW, "task": 999999}, format="json")
    assert_error_shape(response, status=400, code="does_not_exist", attr="task")
    assert entry_rows() == before


def test_create_with_evidence(world, as_persona):
    response = as_persona("owner_staff").post(
        URL,
        {
            **NEW,
            "task": world.shared.pk,
            "evidence": [
                {"url": "https://www.sqjt.gov.cn/qlqd.html", "note": "门户网站"},
                {"doc_number": "宿交发〔2016〕12号"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = LedgerEntry.objects.get(pk=response.json()["id"])
    assert list(entry.evidence.order_by("id").values_list("kind", "url", "doc_number")) == [
        ("link", "https://www.sqjt.gov.cn/qlqd.html", ""),
        ("doc_number", "", "宿交发〔2016〕12号"),
    ]
    assert [e["kind"] for e in response.json()["evidence"]] == ["link", "doc_number"]


def test_bad_evidence_names_the_item_and_keeps_nothing(world, as_persona):
    before, before_evidence = entry_rows(), evidence_rows()
    response = as_persona("owner_staff").post(
        URL,
        {
            **NEW,
            "task": world.shared.pk,
            "evidence": [{"doc_number": "宿交发〔2016〕12号"}, {"url": "not a link"}],
        },
        format="json",
    )
    assert_error_shape(response, status=400, attr="evidence.1.url")
    response = as_persona("owner_staff").post(
        URL,
        {**NEW, "task": world.shared.pk, "evidence": [{"note": "neither"}]},
        format="json",
    )
    assert_error_shape(response, status=400, code="url_or_doc_number", attr="evidence.0")
    assert (entry_rows(), evidence_rows()) == (before, before_evidence)


# PATCH of each entry, by each persona: 200 and changed, or refused and unchanged. A draft
# is not visible outside its department (404); a submitted entry is locked (409) for its
# own department and not theirs to change (403) for everyone else.
UPDATE_MATRIX = {
    "a_draft": {
        "anonymous": 403,
        "owner_staff": 200,
        "head": 200,
        "other_staff": 404,
        "reviewer": 404,
        "admin": 404,
    },
    "a_submitted": {
        "anonymous": 403,
        "owner_staff": 409,
        "head": 409,
        "other_staff": 403,
        "reviewer": 403,
        "admin": 403,
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(UPDATE_MATRIX))
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_matrix(world, as_persona, persona, name, method):
    entry = getattr(world.entries, name)
    expected = UPDATE_MATRIX[name][persona]
    before = entry_rows()
    payload = {"summary": "改写的内容", "version": entry.version}
    if method == "put":
        payload.update(happened_on="2016-06-05", status="done")
    response = getattr(as_persona(persona), method)(f"{URL}{entry.pk}/", payload, format="json")
    assert response.status_code == expected, response.content
    entry.refresh_from_db()
    if expected == 200:
        assert (entry.summary, entry.version) == ("改写的内容", 2)
        assert response.json()["version"] == 2
        history = entry.history.order_by("-history_id").first()
        assert history.history_user == world.users[persona]
    else:
        assert_error_shape(response, status=expected)
        assert entry_rows() == before


def test_stale_version_is_409_with_the_current_entry(world, as_persona):
    entry = world.entries.a_draft
    staff, head = as_persona("owner_staff"), as_persona("head")
    first = head.patch(
        f"{URL}{entry.pk}/", {"summary": "负责人的修改", "version": 1}, format="json"
    )
    assert first.status_code == 200
    before = entry_rows()
    second = staff.patch(
        f"{URL}{entry.pk}/", {"summary": "经办人的修改", "version": 1}, format="json"
    )
    body = assert_error_shape(second, status=409, code="conflict")
    assert body["current"]["summary"] == "负责人的修改"
    assert body["current"]["version"] == 2
    assert body["current"]["id"] == entry.pk
    # Nothing overwritten.
    assert entry_rows() == before
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("负责人的修改", 2)
    # With the current version, the same change goes through.
    third = staff.patch(
        f"{URL}{entry.pk}/", {"summary": "经办人的修改", "version": 2}, format="json"
    )
    assert third.status_code == 200
    assert third.json()["version"] == 3


def test_version_is_required_to_change(world, as_persona):
    entry = world.entries.a_draft
    before = entry_rows()
    response = as_persona("owner_staff").patch(
        f"{URL}{entry.pk}/", {"summary": "无版本"}, format="json"
    )
    assert_error_shape(response, status=400, code="required", attr="version")
    assert entry_rows() == before


def test_stale_version_leaves_evidence_alone(world, as_persona):
    entry = world.entries.a_draft
    Evidence.objects.create(entry=entry, kind="link", url="https://a.gov.cn/1")
    LedgerEntry.objects.filter(pk=entry.pk).update(version=5)
    before = evidence_rows()
    response = as_persona("owner_staff").patch(
        f"{URL}{entry.pk}/",
        {"version": 4, "evidence": [{"doc_number": "新文号"}]},
        format="json",
    )
    assert_error_shape(response, status=409)
    assert evidence_rows() == before


def test_update_replaces_links_and_numbers_but_keeps_files(world, as_persona):
    entry = world.entries.a_draft
    Evidence.objects.create(entry=entry, kind="link", url="https://a.gov.cn/old")
    upload = Evidence(entry=entry, kind="file", filename="会议纪要.pdf")
    upload.file.save("x.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
    response = as_persona("owner_staff").patch(
        f"{URL}{entry.pk}/",
        {"version": 1, "evidence": [{"url": "https://a.gov.cn/new", "note": "新链接"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert sorted(entry.evidence.values_list("kind", "url", "filename")) == [
        ("file", "", "会议纪要.pdf"),
        ("link", "https://a.gov.cn/new", ""),
    ]
    # Leaving the list out keeps the evidence as it is.
    response = as_persona("owner_staff").patch(
        f"{URL}{entry.pk}/", {"version": 2, "summary": "只改文字"}, format="json"
    )
    assert response.status_code == 200
    assert entry.evidence.count() == 2


def test_task_and_department_do_not_move(world, as_persona):
    entry = world.entries.a_draft
    response = as_persona("owner_staff").patch(
        f"{URL}{entry.pk}/",
        {"version": 1, "task": world.a_only.pk, "department": "safety"},
        format="json",
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.task, entry.department) == (world.shared, world.a)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 403), ("owner_staff", 405), ("reviewer", 405), ("admin", 405)],
)
def test_entries_are_not_deleted(world, as_persona, persona, expected):
    before = entry_rows()
    response = as_persona(persona).delete(f"{URL}{world.entries.a_draft.pk}/")
    assert_error_shape(response, status=expected)
    assert entry_rows() == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 403),
        # Staff submit only where the department allows it.
        ("owner_staff", 403),
        ("head", 200),
        ("other_staff", 404),
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
    response = as_persona("owner_staff").post(f"{URL}{entry.pk}/submit/", {}, format="json")
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
        ("owner_staff", 403),
        ("head", 403),
        ("other_staff", 403),
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
