"""Reading /api/ledger-entries/: the browser's visibility (tasks_ledger.ledger.selectors),
the fields, the filters, and a fixed number of queries."""

import datetime

import pytest

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.factories import LedgerEntryFactory
from tests.tasks_ledger.api.conftest import PERSONAS, assert_error_shape

URL = "/api/ledger-entries/"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

# Who reads which entry: a department reads all of its own; others read what was
# submitted; the office also reads what it returned; nobody else reads drafts.
VISIBLE = {
    "staff": {"a_draft", "a_submitted", "a_returned", "b_submitted"},
    "head": {"a_draft", "a_submitted", "a_returned", "b_submitted"},
    "b_staff": {"b_draft", "b_submitted", "a_submitted"},
    "reviewer": {"a_submitted", "a_returned", "b_submitted"},
    "admin": {"a_submitted", "a_returned", "b_submitted"},
}


@pytest.fixture
def entries(world):
    world.entries.a_returned = LedgerEntryFactory(
        task=world.a_only,
        department=world.a,
        author=world.users["staff"],
        state=LedgerEntry.State.RETURNED,
        submitted_at=datetime.datetime(2016, 6, 3, tzinfo=SHANGHAI),
        return_reason="缺少佐证",
    )
    return world.entries


@pytest.mark.parametrize("persona", PERSONAS)
def test_visibility_matrix(world, entries, as_persona, persona):
    client = as_persona(persona)
    names = ("a_draft", "a_submitted", "a_returned", "b_draft", "b_submitted")
    if persona == "anonymous":
        assert_error_shape(client.get(URL), status=403)
        for name in names:
            assert_error_shape(client.get(f"{URL}{getattr(entries, name).pk}/"), status=403)
        return
    listed = {e["id"] for e in client.get(URL).json()["results"]}
    assert listed == {getattr(entries, name).pk for name in VISIBLE[persona]}
    for name in names:
        response = client.get(f"{URL}{getattr(entries, name).pk}/")
        if name in VISIBLE[persona]:
            assert response.status_code == 200
        else:
            # What one may not see does not exist, whether or not it does.
            assert_error_shape(response, status=404, code="not_found")


def test_entry_fields(world, entries, as_persona):
    entry = entries.a_submitted
    Evidence.objects.create(
        entry=entry, kind="link", url="http://www.sqjt.gov.cn/qlqd.html", note="权力清单"
    )
    Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交发〔2016〕12号")
    body = as_persona("reviewer").get(f"{URL}{entry.pk}/").json()
    entry.refresh_from_db()
    assert body == {
        "id": entry.pk,
        "task": world.shared.pk,
        "department": "policy-law",
        "happened_on": "2016-06-01",
        "summary": "在门户网站公开权力清单",
        "status": "done",
        "problems": "",
        "next_steps": "",
        "evidence": [
            {
                "kind": "link",
                "url": "http://www.sqjt.gov.cn/qlqd.html",
                "doc_number": "",
                "note": "权力清单",
                "filename": "",
            },
            {
                "kind": "doc_number",
                "url": "",
                "doc_number": "宿交发〔2016〕12号",
                "note": "",
                "filename": "",
            },
        ],
        "state": "submitted",
        "return_reason": "",
        "version": 1,
        "author": world.users["staff"].username,
        "author_name": world.users["staff"].username,  # no name set: the username stands in
        "submitted_at": "2016-06-02T10:00:00+08:00",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert datetime.datetime.fromisoformat(body["updated_at"]) == entry.updated_at


class TestFilters:
    def ids(self, client, query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return {e["id"] for e in response.json()["results"]}

    def test_by_task_and_department(self, world, entries, as_persona):
        client = as_persona("staff")
        assert self.ids(client, f"task={world.shared.pk}") == {
            entries.a_draft.pk,
            entries.a_submitted.pk,
            entries.b_submitted.pk,
        }
        assert self.ids(client, "department=safety") == {entries.b_submitted.pk}
        # Filters narrow what one may see; they never widen it.
        assert self.ids(as_persona("reviewer"), "state=draft") == set()

    def test_by_status_and_state(self, world, entries, as_persona):
        client = as_persona("staff")
        assert self.ids(client, "status=done") == {entries.a_submitted.pk}
        assert self.ids(client, "state=returned") == {entries.a_returned.pk}
        assert self.ids(client, "state=draft&department=policy-law") == {entries.a_draft.pk}

    def test_changed_since(self, world, entries, as_persona):
        times = {
            entries.a_draft: datetime.datetime(2016, 6, 1, 9, tzinfo=SHANGHAI),
            entries.a_submitted: datetime.datetime(2016, 7, 1, 9, tzinfo=SHANGHAI),
            entries.a_returned: datetime.datetime(2016, 8, 1, 9, tzinfo=SHANGHAI),
        }
        for entry, at in times.items():
            # update() so auto_now does not replace the time set here.
            LedgerEntry.objects.filter(pk=entry.pk).update(updated_at=at)
        LedgerEntry.objects.filter(pk=entries.b_submitted.pk).update(
            updated_at=datetime.datetime(2016, 5, 1, tzinfo=SHANGHAI)
        )
        client = as_persona("head")
        got = self.ids(client, "changed_since=2016-07-01T09:00:00%2B08:00")
        assert got == {entries.a_submitted.pk, entries.a_returned.pk}
        assert self.ids(client, "changed_since=2016-07-01T01:00:01Z") == {entries.a_returned.pk}

    def test_ordering(self, world, entries, as_persona):
        LedgerEntry.objects.filter(pk=entries.a_draft.pk).update(
            happened_on=datetime.date(2016, 3, 1)
        )
        LedgerEntry.objects.filter(pk=entries.a_returned.pk).update(
            happened_on=datetime.date(2016, 9, 1)
        )
        client = as_persona("head")
        results = client.get(f"{URL}?ordering=happened_on").json()["results"]
        assert results[0]["id"] == entries.a_draft.pk
        assert results[-1]["id"] == entries.a_returned.pk
        default = [e["id"] for e in client.get(URL).json()["results"]]
        assert default[0] == entries.a_returned.pk

    @pytest.mark.parametrize(
        ("query", "attr"),
        [
            ("state=lost", "state"),
            ("status=finished", "status"),
            ("changed_since=last-week", "changed_since"),
            ("department=nowhere", "department"),
            ("ordering=summary", "ordering"),
        ],
    )
    def test_bad_filter_is_named(self, world, entries, as_persona, query, attr):
        response = as_persona("head").get(f"{URL}?{query}")
        assert_error_shape(response, status=400, attr=attr)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # token with user, membership and department; count, entries with department
        # and author, their evidence
        ("staff", 4),
        ("reviewer", 4),
    ],
)
def test_list_queries_are_fixed_whatever_the_size(
    world, entries, as_persona, django_assert_num_queries, persona, expected
):
    client = as_persona(persona)
    with django_assert_num_queries(expected):
        client.get(URL)
    for i in range(25):
        entry = LedgerEntryFactory(
            task=world.shared,
            department=world.a,
            author=world.users["head"],
            state=LedgerEntry.State.SUBMITTED,
            submitted_at=datetime.datetime(2016, 6, 5, tzinfo=SHANGHAI),
        )
        Evidence.objects.create(entry=entry, kind="link", url=f"http://example.gov.cn/{i}")
    with django_assert_num_queries(expected):
        assert client.get(URL).json()["count"] > 25


def test_one_entry_is_read_in_one_query_without_its_tasks_code(world, entries, as_persona):
    """The API names an entry's task by id: reading one entry joins its department and
    author, not the task's section and parent (selectors.entry_for_user, task_code=False)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entry = LedgerEntry.objects.filter(department=world.a).first()
    client = as_persona("staff")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"{URL}{entry.pk}/").json()
    assert body["task"] == entry.task_id and body["id"] == entry.pk
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "ledger_ledgerentry"' in q["sql"]]
    assert len(reads) == 1
    assert "plan_task" not in reads[0] and "plan_section" not in reads[0]
    assert "departments_department" in reads[0] and "auth_user" in reads[0]
    evidence = [q["sql"] for q in queries.captured_queries if 'FROM "ledger_evidence"' in q["sql"]]
    assert len(evidence) == 1 and "ledger_ledgerentry" not in evidence[0].split("FROM")[1]
