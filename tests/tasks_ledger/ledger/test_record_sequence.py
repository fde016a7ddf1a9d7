""" "Create an entry, attach its evidence, maybe submit" is one service
(`ledger_entry_record`), run by the browser's form and by the API alike: the same
sequence through either gives the same rows, the same history and the same messages, and
a failure midway leaves nothing half-made."""

import pytest
from django.urls import reverse

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.reminders.models import Notification
from tests.tasks_ledger.api.conftest import assert_error_shape, client_for

TEXT = {
    "happened_on": "2030-05-06",
    "summary": "公开权力清单调整情况",
    "status": "done",
    "problems": "",
    "next_steps": "按季度更新",
}
LINK = "https://www.sqjt.gov.cn/qlqd.html"
DOC_NUMBER = "宿交发〔2030〕12号"


def recorded(entry: LedgerEntry) -> dict:
    """All that recording `entry` left behind, without what differs between two entries
    by nature (ids, times)."""
    entry.refresh_from_db()
    link = reverse("ledger:entry", args=[entry.pk])
    return {
        "entry": (
            entry.task_id,
            entry.department_id,
            entry.author_id,
            entry.happened_on.isoformat(),
            entry.summary,
            entry.status,
            entry.problems,
            entry.next_steps,
            entry.state,
            entry.version,
            entry.submitted_at is not None,
        ),
        "evidence": list(
            entry.evidence.order_by("id").values_list("kind", "url", "doc_number", "note")
        ),
        "history": list(
            entry.history.order_by("history_id").values_list(
                "history_type", "state", "version", "history_user"
            )
        ),
        "evidence_history": list(
            Evidence.history.filter(entry_id=entry.pk)
            .order_by("history_id")
            .values_list("history_type", "kind", "history_user")
        ),
        "messages": sorted(
            Notification.objects.filter(link=link).values_list(
                "recipient", "kind", "subject", "body"
            )
        ),
    }


def through_the_browser(client, world, *, submit: bool):
    client.force_login(world.staff)
    fields = {**TEXT, "links": LINK, "doc_numbers": DOC_NUMBER}
    if submit:
        fields |= {"submit": "1", "confirm": "yes"}
    return client.post(reverse("ledger:entry-create", args=[world.task.pk]), fields)


def through_the_api(world, *, submit: bool):
    body = {
        **TEXT,
        "task": world.task.pk,
        "evidence": [{"url": LINK}, {"doc_number": DOC_NUMBER}],
        "submit": submit,
    }
    return client_for(world.staff).post("/api/ledger-entries/", body, format="json")


@pytest.fixture
def staff_submit(world):
    # Staff submitting directly: the office is told, and so is the head.
    world.a.staff_may_submit = True
    world.a.save()


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submitted"])
def test_the_browser_and_the_api_record_the_same(client, world, staff_submit, submit):
    response = through_the_browser(client, world, submit=submit)
    assert response.status_code == 302, response.content
    by_browser = LedgerEntry.objects.get()
    response = through_the_api(world, submit=submit)
    assert response.status_code == 201, response.content
    by_api = LedgerEntry.objects.exclude(pk=by_browser.pk).get()

    assert recorded(by_api) == recorded(by_browser)
    what = recorded(by_api)
    assert what["entry"][-3:] == (("submitted", 2, True) if submit else ("draft", 1, False))
    assert [kind for kind, _url, _number, _note in what["evidence"]] == ["link", "doc_number"]
    assert [row[0] for row in what["history"]] == (["+", "~"] if submit else ["+"])
    # The office and the head are told of a submission, once each; of a draft, nobody.
    recipients = sorted(row[0] for row in what["messages"])
    assert recipients == (sorted([world.reviewer.pk, world.head.pk]) if submit else [])


def test_refused_evidence_in_the_service_keeps_no_entry(world):
    with pytest.raises(services.EntryInvalid) as caught:
        services.ledger_entry_record(
            task=world.task,
            department=world.a,
            by=world.head,
            data=TEXT,
            evidence=[
                {"kind": "link", "url": LINK},
                {"kind": "link", "url": "javascript:alert(1)"},
            ],
            submit=True,
        )
    assert list(caught.value.errors) == ["evidence.1.url"]
    assert not LedgerEntry.objects.exists()
    assert not LedgerEntry.history.exists()
    assert not Evidence.history.exists()
    assert not Notification.objects.exists()


def test_a_refused_submit_keeps_no_entry(world):
    # Staff may not submit here (the department leaves it to the head): the entry and its
    # evidence, already written inside the transaction, go with the refusal.
    response = through_the_api(world, submit=True)
    assert_error_shape(response, status=403)
    assert not LedgerEntry.objects.exists()
    assert not Evidence.objects.exists()
    assert not LedgerEntry.history.exists()


def test_the_api_keeps_nothing_when_evidence_fails_after_the_entry_is_written(world):
    # An ftp:// link passes the API's URL field and is refused by the service, after the
    # entry was created in the same transaction.
    body = {**TEXT, "task": world.task.pk, "evidence": [{"url": "ftp://sqjt.gov.cn/a.pdf"}]}
    response = client_for(world.head).post("/api/ledger-entries/", body, format="json")
    assert_error_shape(response, status=400, attr="evidence.0.url")
    assert not LedgerEntry.objects.exists()
    assert not LedgerEntry.history.exists()


def test_the_browser_keeps_nothing_when_evidence_fails_after_the_entry_is_written(client, world):
    # The form does not measure document numbers; the service refuses one longer than its
    # column, after the entry was created in the same transaction.
    client.force_login(world.head)
    fields = {**TEXT, "links": LINK, "doc_numbers": "号" * 201}
    response = client.post(reverse("ledger:entry-create", args=[world.task.pk]), fields)
    assert response.status_code == 400
    assert response.context["form"].errors["doc_numbers"]
    assert not LedgerEntry.objects.exists()
    assert not Evidence.objects.exists()
    assert not LedgerEntry.history.exists()
