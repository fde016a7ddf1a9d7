"""A return is between the department and the office; drafts are the department's own;
what one may not see answers as what does not exist; an account with no role gets no
API token (issue 11, item 4)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tasks_ledger.ledger import services
from tasks_ledger.ledger.changes import entry_history
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import ReviewRound
from tasks_ledger.reviews.selectors import entries_for_review
from tests.tasks_ledger.api.conftest import client_for

REASON = "请补充政策原文链接"
RETURNED_TEXT = "初稿:已公开部分清单"
RESUBMITTED_TEXT = "已在门户网站公开全部权力清单"


@pytest.fixture
def resubmitted(world, now):
    """A's entry: submitted, returned by the office with a reason, corrected, resubmitted,
    each step minutes apart as people work (the history shows one card per save)."""
    entry = world.entry(LedgerEntry.State.SUBMITTED, summary=RETURNED_TEXT)
    now.shift(datetime.timedelta(minutes=5))
    entry = services.ledger_entry_return(entry=entry, by=world.reviewer, reason=REASON)
    now.shift(datetime.timedelta(minutes=5))
    entry = services.ledger_entry_update(
        entry=entry,
        by=world.head,
        version=entry.version,
        data={"happened_on": "2030-05-07", "summary": RESUBMITTED_TEXT},
    )
    now.shift(datetime.timedelta(minutes=5))
    return services.ledger_entry_submit(entry=entry, by=world.head)


def _history_text(client, entry) -> str:
    response = client.get(reverse("ledger:entry-history", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_other_departments_read_neither_the_reason_nor_the_returned_text(world, resubmitted):
    for reader in (world.b_head, world.other):
        records = entry_history(entry=resubmitted, user=reader)
        shown = str([e["changes"] for e in records])
        assert RESUBMITTED_TEXT in shown
        assert RETURNED_TEXT not in shown and REASON not in shown
        client = APIClient()
        client.force_login(reader)
        page = _history_text(client, resubmitted)
        assert RESUBMITTED_TEXT in page
        assert RETURNED_TEXT not in page and REASON not in page
        body = client_for(reader).get(f"/api/ledger-entries/{resubmitted.pk}/").json()
        assert body["summary"] == RESUBMITTED_TEXT
        assert body["return_reason"] == ""


@pytest.mark.parametrize("persona", ["head", "staff", "reviewer"])
def test_the_department_and_the_office_still_read_the_return(world, resubmitted, persona):
    reader = getattr(world, persona)
    client = APIClient()
    client.force_login(reader)
    page = _history_text(client, resubmitted)
    assert RETURNED_TEXT in page and REASON in page
    body = client_for(reader).get(f"/api/ledger-entries/{resubmitted.pk}/").json()
    assert body["return_reason"] == REASON


def test_the_office_reads_no_draft_version_in_the_history(world, now):
    entry = world.entry(summary="草稿:尚未定稿的说法")
    now.shift(datetime.timedelta(minutes=5))
    entry = services.ledger_entry_update(
        entry=entry,
        by=world.head,
        version=entry.version,
        data={"happened_on": "2030-05-06", "summary": "定稿"},
    )
    services.ledger_entry_submit(entry=entry, by=world.head)
    assert "尚未定稿" not in str(entry_history(entry=entry, user=world.reviewer))
    assert "尚未定稿" in str(entry_history(entry=entry, user=world.head))


def test_a_draft_answers_the_office_as_an_entry_that_does_not_exist(world, client):
    draft = world.entry()
    review_round = ReviewRound.objects.create(
        plan=world.plan,
        kind=ReviewRound.Kind.CHECK,
        text="2030年10月",
        date=datetime.date(2030, 10, 8),
        status=ReviewRound.Status.OPEN,
    )
    client.force_login(world.reviewer)
    for name in ("reviews:accept", "reviews:return"):
        seen = client.post(reverse(name, args=[review_round.pk, draft.pk]), {"reason": "x"})
        missing = client.post(
            reverse(name, args=[review_round.pk, draft.pk + 999]), {"reason": "x"}
        )
        assert seen.status_code == missing.status_code == 404
    draft.refresh_from_db()
    assert draft.state == LedgerEntry.State.DRAFT
    # Nor does the round's finding page list it, then or now.
    assignment = world.task.assignments.get(department=world.a)
    listed = entries_for_review(review_round=review_round, assignment=assignment)
    assert draft.pk not in {e.id for e in listed["then"]} | {e.pk for e in listed["now"]}


def test_an_account_without_a_role_gets_no_token(world):
    world.nobody.set_password("pw-for-tests")
    world.nobody.save()
    response = APIClient().post(
        "/api/auth/token/", {"username": "no-membership", "password": "pw-for-tests"}
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "no_role"
    assert not Token.objects.filter(user=world.nobody).exists()
