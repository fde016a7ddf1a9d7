"""Creating entries through /api/ledger-entries/: who may write in which ledger (status
codes and what changed in the database), bad fields named, evidence with the entry or
nothing at all."""

import pytest

from tasks_ledger.ledger.models import LedgerEntry
from tests.tasks_ledger.api.conftest import assert_error_shape
from tests.tasks_ledger.api.ledger_rows import NEW, URL, entry_rows, evidence_rows


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 403),
        ("staff", 201),
        ("head", 201),
        # Another department's ledger: refused, whoever asks outside the department.
        ("b_staff", 403),
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
    response = as_persona("b_staff").post(URL, {**NEW, "task": world.shared.pk}, format="json")
    assert response.status_code == 201
    assert LedgerEntry.objects.get(pk=response.json()["id"]).department == world.b


def test_task_not_assigned_is_400_naming_task(world, as_persona):
    before = entry_rows()
    response = as_persona("staff").post(URL, {**NEW, "task": world.b_only.pk}, format="json")
    assert_error_shape(response, status=400, code="not_assigned", attr="task")
    assert entry_rows() == before


def test_missing_and_bad_fields_are_named(world, as_persona):
    before = entry_rows()
    response = as_persona("staff").post(
        URL, {"task": world.shared.pk, "status": "finished", "happened_on": "昨天"}, format="json"
    )
    body = assert_error_shape(response, status=400)
    assert body["type"] == "validation_error"
    assert {e["attr"] for e in body["errors"]} == {"summary", "status", "happened_on"}
    response = as_persona("staff").post(URL, {**NEW, "task": 999999}, format="json")
    assert_error_shape(response, status=400, code="does_not_exist", attr="task")
    assert entry_rows() == before


def test_create_with_evidence(world, as_persona):
    response = as_persona("staff").post(
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
    response = as_persona("staff").post(
        URL,
        {
            **NEW,
            "task": world.shared.pk,
            "evidence": [{"doc_number": "宿交发〔2016〕12号"}, {"url": "not a link"}],
        },
        format="json",
    )
    assert_error_shape(response, status=400, attr="evidence.1.url")
    response = as_persona("staff").post(
        URL,
        {**NEW, "task": world.shared.pk, "evidence": [{"note": "neither"}]},
        format="json",
    )
    assert_error_shape(response, status=400, code="url_or_doc_number", attr="evidence.0")
    assert (entry_rows(), evidence_rows()) == (before, before_evidence)
