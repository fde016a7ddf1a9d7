"""The permission matrix: every ledger view and action × every persona, asserting the status
code and what changed (or did not) in the database.

Rules (selectors' docstring): 404 for what one may not see (another department's draft or
returned entry; the office sees no drafts), 403 for what one may see but not change."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.tasks_ledger.ledger.conftest import PDF

State = LedgerEntry.State
PERSONAS = ["anonymous", "staff", "other", "head", "reviewer", "admin"]


def client_for(client, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# (persona → expected status) for reads. "login" means a redirect to the sign-in page.
READ_EVERYONE = dict(anonymous="login", staff=200, other=200, head=200, reviewer=200, admin=200)
READ_OWN_ONLY = dict(anonymous="login", staff=200, other=404, head=200, reviewer=404, admin=404)
READ_OWN_AND_OFFICE = dict(
    anonymous="login", staff=200, other=404, head=200, reviewer=200, admin=200
)
VISIBLE_BY_STATE = {
    State.DRAFT: READ_OWN_ONLY,
    State.SUBMITTED: READ_EVERYONE,
    State.ACCEPTED: READ_EVERYONE,
    State.RETURNED: READ_OWN_AND_OFFICE,
}


def check(response, expected):
    if expected == "login":
        assert_login_redirect(response)
    else:
        assert response.status_code == expected, response.content[:400]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_opens_the_ledger_home(client, world, persona):
    check(client_for(client, world, persona).get(reverse("ledger:home")), READ_EVERYONE[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_opens_the_review_queue(client, world, persona):
    """The office's queue: departments are refused (their own ledger is /ledger/)."""
    expected = dict(anonymous="login", staff=403, other=403, head=403, reviewer=200, admin=200)
    world.entry(LedgerEntry.State.SUBMITTED)
    response = client_for(client, world, persona).get(reverse("ledger:review-queue"))
    check(response, expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_a_task_page(client, world, persona):
    response = client_for(client, world, persona).get(reverse("ledger:task", args=[world.task.pk]))
    check(response, READ_EVERYONE[persona])


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["ledger:entry", "ledger:entry-history"])
def test_entry_pages_by_state(client, world, persona, state, name):
    entry = world.entry(state)
    response = client_for(client, world, persona).get(reverse(name, args=[entry.pk]))
    check(response, VISIBLE_BY_STATE[state][persona])


def test_unknown_entry_is_404(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("ledger:entry", args=[999999])).status_code == 404


NEW_ENTRY = dict(anonymous="login", staff=200, other=403, head=200, reviewer=403, admin=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_opens_the_new_entry_form(client, world, persona):
    response = client_for(client, world, persona).get(
        reverse("ledger:entry-create", args=[world.task.pk])
    )
    check(response, NEW_ENTRY[persona])


CREATE = dict(anonymous="login", staff=302, other=403, head=302, reviewer=403, admin=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_records_an_entry_and_for_which_department(client, world, persona):
    response = client_for(client, world, persona).post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {"happened_on": "2030-05-07", "summary": "上网公开", "status": "in_progress"},
    )
    check(response, CREATE[persona])
    created = LedgerEntry.objects.filter(summary="上网公开")
    if CREATE[persona] == 302:
        entry = created.get()
        assert (entry.department, entry.author, entry.state) == (
            world.a,
            getattr(world, persona),
            State.DRAFT,
        )
    else:
        assert not created.exists()


EDIT_DRAFT = dict(anonymous="login", staff=302, other=404, head=302, reviewer=404, admin=404)
EDIT_SUBMITTED = dict(anonymous="login", staff=403, other=403, head=403, reviewer=403, admin=403)


@pytest.mark.parametrize("state", [State.DRAFT, State.RETURNED, State.SUBMITTED, State.ACCEPTED])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_edits_an_entry_in_each_state(client, world, persona, state):
    entry = world.entry(state)
    expected = {
        State.DRAFT: EDIT_DRAFT,
        State.RETURNED: dict(EDIT_DRAFT, reviewer=403, admin=403),
        State.SUBMITTED: EDIT_SUBMITTED,
        State.ACCEPTED: EDIT_SUBMITTED,
    }[state][persona]
    c = client_for(client, world, persona)
    url = reverse("ledger:entry-edit", args=[entry.pk])
    check(c.get(url), 200 if expected == 302 else expected)
    response = c.post(
        url,
        {
            "version": entry.version,
            "happened_on": "2030-05-06",
            "summary": "改写",
            "status": "done",
        },
    )
    check(response, expected)
    after = LedgerEntry.objects.get(pk=entry.pk)
    if expected == 302:
        assert (after.summary, after.version) == ("改写", entry.version + 1)
        assert after.history.first().history_user == getattr(world, persona)
    else:
        assert (after.summary, after.version) == (entry.summary, entry.version)


SUBMIT = dict(anonymous="login", staff=403, other=404, head=302, reviewer=404, admin=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_submits_a_draft(client, world, persona):
    entry = world.entry()
    response = client_for(client, world, persona).post(
        reverse("ledger:entry-submit", args=[entry.pk]),
        {"version": entry.version, "confirm": "yes"},
    )
    check(response, SUBMIT[persona])
    after = LedgerEntry.objects.get(pk=entry.pk)
    assert after.state == (State.SUBMITTED if SUBMIT[persona] == 302 else State.DRAFT)


def test_staff_submit_where_the_department_allows_it(client, world):
    world.a.staff_may_submit = True
    world.a.save()
    entry = world.entry()
    client.force_login(world.staff)
    response = client.post(reverse("ledger:entry-submit", args=[entry.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert LedgerEntry.objects.get(pk=entry.pk).state == State.SUBMITTED


def test_submitting_twice_is_a_409(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.head)
    response = client.post(reverse("ledger:entry-submit", args=[entry.pk]), {"confirm": "yes"})
    assert response.status_code == 409


REVIEW = dict(anonymous="login", staff=403, other=403, head=403, reviewer=302, admin=302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_accepts_an_entry(client, world, persona):
    entry = world.entry(State.SUBMITTED)
    response = client_for(client, world, persona).post(
        reverse("ledger:entry-accept", args=[entry.pk]), {"confirm": "yes"}
    )
    check(response, REVIEW[persona])
    after = LedgerEntry.objects.get(pk=entry.pk)
    assert after.state == (State.ACCEPTED if REVIEW[persona] == 302 else State.SUBMITTED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_returns_an_entry_with_its_reason(client, world, persona):
    entry = world.entry(State.SUBMITTED)
    response = client_for(client, world, persona).post(
        reverse("ledger:entry-return", args=[entry.pk]), {"reason": "缺少文号"}
    )
    check(response, REVIEW[persona])
    after = LedgerEntry.objects.get(pk=entry.pk)
    if REVIEW[persona] == 302:
        assert (after.state, after.return_reason) == (State.RETURNED, "缺少文号")
    else:
        assert (after.state, after.return_reason) == (State.SUBMITTED, "")


def test_accepting_a_draft_is_404_for_the_office(client, world):
    entry = world.entry()
    client.force_login(world.reviewer)
    assert client.post(reverse("ledger:entry-accept", args=[entry.pk])).status_code == 404


def test_return_without_a_reason_is_refused(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.reviewer)
    response = client.post(reverse("ledger:entry-return", args=[entry.pk]), {"reason": ""})
    assert response.status_code == 400
    assert LedgerEntry.objects.get(pk=entry.pk).state == State.SUBMITTED


REMOVE = dict(anonymous="login", staff=302, other=404, head=302, reviewer=404, admin=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_removes_evidence_from_a_draft(client, world, persona):
    entry = world.entry()
    evidence = services.evidence_add(entry=entry, by=world.staff, kind="link", url="https://a.cn/")
    response = client_for(client, world, persona).post(
        reverse("ledger:evidence-remove", args=[evidence.pk])
    )
    check(response, REMOVE[persona])
    assert Evidence.objects.filter(pk=evidence.pk).exists() == (REMOVE[persona] != 302)


def test_removing_evidence_of_a_submitted_entry(client, world):
    entry = world.entry()
    evidence = services.evidence_add(entry=entry, by=world.staff, kind="link", url="https://a.cn/")
    services.ledger_entry_submit(entry=entry, by=world.head)
    client.force_login(world.other)
    assert client.post(reverse("ledger:evidence-remove", args=[evidence.pk])).status_code == 403
    client.force_login(world.head)
    assert client.post(reverse("ledger:evidence-remove", args=[evidence.pk])).status_code == 409
    assert Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.RETURNED])
@pytest.mark.parametrize("persona", PERSONAS)
def test_download_evidence(client, world, persona, state):
    entry = world.entry()
    evidence = services.evidence_add(
        entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile("通知 2030.pdf", PDF)
    )
    if state != State.DRAFT:
        services.ledger_entry_submit(entry=entry, by=world.head)
    if state == State.RETURNED:
        services.ledger_entry_return(entry=entry, by=world.reviewer, reason="x")
    response = client_for(client, world, persona).get(
        reverse("ledger:evidence-download", args=[evidence.pk])
    )
    check(response, VISIBLE_BY_STATE[state][persona])
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E9%80%9A%E7%9F%A5%202030.pdf" in response["Content-Disposition"]
        assert response["Content-Type"] == "application/octet-stream"
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_only_pages_refuse_writes(client, world, method):
    client.force_login(world.staff)
    assert getattr(client, method)(reverse("ledger:home")).status_code == 405


def test_every_ledger_url_is_in_the_matrix():
    """A new ledger URL must be added to this file's matrix: list them all here."""
    ledger = get_resolver().namespace_dict["ledger"][1]
    names = {name for name in ledger.reverse_dict if isinstance(name, str)}
    assert names == {
        "home",
        "review-queue",
        "bulk-accept",
        "unsent",
        "bulk-submit",
        "task",
        "entry-create",
        "entry",
        "entry-edit",
        "entry-submit",
        "entry-accept",
        "entry-return",
        "entry-history",
        "evidence-remove",
        "evidence-download",
        "evidence-preview",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_unsent_list_is_the_departments_own(client, world, persona):
    """待报送 is the department's own: the office and people without a department are
    refused; other departments see their own (empty) list, never A's drafts."""
    expected = dict(anonymous="login", staff=200, other=200, head=200, reviewer=403, admin=403)
    draft = world.entry()
    response = client_for(client, world, persona).get(reverse("ledger:unsent"))
    check(response, expected[persona])
    shown = f'data-entry="{draft.pk}"' in response.content.decode()
    assert shown == (persona in ("staff", "head"))


BULK_SUBMIT = dict(anonymous="login", staff=403, other=403, head=302, reviewer=403, admin=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_head_submits_in_bulk(client, world, persona):
    entry = world.entry()
    response = client_for(client, world, persona).post(
        reverse("ledger:bulk-submit"), {"entry": [entry.pk], "confirm": "yes"}
    )
    check(response, BULK_SUBMIT[persona])
    after = LedgerEntry.objects.get(pk=entry.pk)
    assert after.state == (State.SUBMITTED if BULK_SUBMIT[persona] == 302 else State.DRAFT)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_accepts_in_bulk(client, world, persona):
    entry = world.entry(State.SUBMITTED)
    response = client_for(client, world, persona).post(
        reverse("ledger:bulk-accept"), {"entry": [entry.pk], "confirm": "yes"}
    )
    check(response, REVIEW[persona])
    after = LedgerEntry.objects.get(pk=entry.pk)
    assert after.state == (State.ACCEPTED if REVIEW[persona] == 302 else State.SUBMITTED)
