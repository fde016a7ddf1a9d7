"""Changing entries through /api/ledger-entries/{id}/: who may change what, optimistic
locking (409 with the stored entry), the evidence list replaced or kept, and no deletes."""

import pytest
from django.core.files.base import ContentFile

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.tasks_ledger.api.conftest import PERSONAS, assert_error_shape
from tests.tasks_ledger.api.ledger_rows import URL, entry_rows, evidence_rows

# PATCH of each entry, by each persona: 200 and changed, or refused and unchanged. A draft
# is not visible outside its department (404); a submitted entry is locked (409) for its
# own department and not theirs to change (403) for everyone else.
UPDATE_MATRIX = {
    "a_draft": {
        "anonymous": 403,
        "staff": 200,
        "head": 200,
        "b_staff": 404,
        "reviewer": 404,
        "admin": 404,
    },
    "a_submitted": {
        "anonymous": 403,
        "staff": 409,
        "head": 409,
        "b_staff": 403,
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
    staff, head = as_persona("staff"), as_persona("head")
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
    response = as_persona("staff").patch(f"{URL}{entry.pk}/", {"summary": "无版本"}, format="json")
    assert_error_shape(response, status=400, code="required", attr="version")
    assert entry_rows() == before


def test_stale_version_leaves_evidence_alone(world, as_persona):
    entry = world.entries.a_draft
    Evidence.objects.create(entry=entry, kind="link", url="https://a.gov.cn/1")
    LedgerEntry.objects.filter(pk=entry.pk).update(version=5)
    before = evidence_rows()
    response = as_persona("staff").patch(
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
    response = as_persona("staff").patch(
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
    response = as_persona("staff").patch(
        f"{URL}{entry.pk}/", {"version": 2, "summary": "只改文字"}, format="json"
    )
    assert response.status_code == 200
    assert entry.evidence.count() == 2


def test_task_and_department_do_not_move(world, as_persona):
    entry = world.entries.a_draft
    response = as_persona("staff").patch(
        f"{URL}{entry.pk}/",
        {"version": 1, "task": world.a_only.pk, "department": "safety"},
        format="json",
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.task, entry.department) == (world.shared, world.a)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 403), ("staff", 405), ("reviewer", 405), ("admin", 405)],
)
def test_entries_are_not_deleted(world, as_persona, persona, expected):
    before = entry_rows()
    response = as_persona(persona).delete(f"{URL}{world.entries.a_draft.pk}/")
    assert_error_shape(response, status=expected)
    assert entry_rows() == before
