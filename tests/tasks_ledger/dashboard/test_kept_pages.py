"""The dashboard's kept body (ledger/kept_pages.py): a second look costs the frame and the
plan only, every change the dashboard shows is on the very next page, filters, "as of" and
the language stay exact, and nobody is served somebody else's CSRF token."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tasks_ledger.calendar.models import Holiday
from tasks_ledger.ledger import kept_pages
from tasks_ledger.ledger import services as ledger
from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import AssignmentFactory, TaskFactory, member
from tests.people import People
from tests.tasks_ledger.dashboard.conftest import D, add_entry

DASHBOARD = reverse("dashboard:dashboard")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def figure(html: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', html).group(1))


def test_a_second_look_reads_the_frame_and_the_plan_only(
    client, personas, small_plan, cache_backend, django_assert_num_queries
):
    client.force_login(personas["reviewer"])
    first = client.get(DASHBOARD, {"department": "dept-a"}).content.decode()
    # 1 session, 2 user with membership, 3 the plan: nothing of the dashboard's own.
    with django_assert_num_queries(3):
        second = client.get(DASHBOARD, {"department": "dept-a"}).content.decode()
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert 'data-figure="overdue">1<' in second


CHANGES = {
    # change, then the figure it moves and by how much
    "a draft submitted": (
        lambda p, people: ledger.ledger_entry_submit(entry=p.e2a, by=people.head),
        "awaiting",
        +1,
    ),
    "a draft submitted and accepted": (
        lambda p, people: ledger.ledger_entry_accept(
            entry=ledger.ledger_entry_submit(entry=p.e2a, by=people.head), by=people.reviewer
        ),
        "done",
        +1,
    ),
    "an assignment removed": (lambda p, people: p.t4a.delete(), "overdue", -1),
    "a deadline moved": (
        lambda p, people: p.t4.deadlines.update_or_create(
            text="2030年4月底前", defaults={"due": D(2030, 12, 31)}
        ),
        "overdue",
        -1,
    ),
    "a task added": (
        lambda p, people: AssignmentFactory(
            task=TaskFactory(section=p.s1, number="三", title="任务五", order=5), department=p.a
        ),
        "tasks",
        +1,
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_shows_on_the_next_page(client, personas, small_plan, cache_backend, change):
    people = People(a=small_plan.a, b=small_plan.b)
    make, name, moved = CHANGES[change]
    client.force_login(personas["reviewer"])
    before = figure(client.get(DASHBOARD).content.decode(), name)
    make(small_plan, people)
    assert figure(client.get(DASHBOARD).content.decode(), name) == before + moved


def test_names_and_holidays_show_on_the_next_page(client, personas, small_plan, cache_backend):
    client.force_login(personas["reviewer"])
    html = client.get(DASHBOARD).content.decode()
    assert "甲处" in html and "(working days: 2)" not in html
    small_plan.a.name = "甲处（改）"
    small_plan.a.save()
    assert "甲处（改）" in client.get(DASHBOARD).content.decode()
    # T2 × A is due Friday 05-10: two working days, one once Thursday is a holiday.
    before = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    Holiday.objects.create(date=D(2030, 5, 9), note="test day")
    after = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "working days: 2" in before and "working days: 1" in after


def test_a_draft_never_submitted_keeps_the_page(
    client, personas, small_plan, cache_backend, django_assert_num_queries
):
    client.force_login(personas["reviewer"])
    client.get(DASHBOARD)
    add_entry(
        small_plan.t1, small_plan.a, LedgerEntry.Status.IN_PROGRESS, D(2030, 5, 8),
        state=LedgerEntry.State.DRAFT,
    )  # fmt: skip
    # The frame's 待办 counts are counted again (the office's 待审核 follow every entry):
    # 1 session, 2 user, 3 the counts, 4 the plan; the dashboard's body is kept.
    with django_assert_num_queries(4):
        client.get(DASHBOARD)
    # A returned entry is shown (changed since, recent activity): it is not kept past.
    ledger.ledger_entry_return(entry=small_plan.e1b, by=personas["reviewer"], reason="补材料")
    html = client.get(DASHBOARD).content.decode()
    assert "乙处推进任务一" in html and "已退回" in html


def test_filters_as_of_and_language_are_kept_apart(client, personas, small_plan, cache_backend):
    client.force_login(personas["reviewer"])
    for _ in range(2):  # built, then kept: each the same as built
        whole = client.get(DASHBOARD).content.decode()
        only_a = client.get(DASHBOARD, {"department": "dept-a"}).content.decode()
        as_of = client.get(DASHBOARD, {"as_of": "2030-05-01"}).content.decode()
        english = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert figure(whole, "tasks") == 4 and figure(only_a, "tasks") == 3
        assert 'class="asof-banner"' in as_of and 'class="asof-banner"' not in whole
        assert figure(as_of, "done") == 0 and figure(whole, "done") == 2
        assert "Overdue" in english and "Overdue" not in whole and "逾期" in whole
        # The print header says the day of an "as of" page.
        assert (
            "As of 2030-05-01"
            in client.get(
                DASHBOARD, {"as_of": "2030-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
            ).content.decode()
        )


def test_each_office_member_gets_a_token_of_its_own_that_urges(small_plan, cache_backend):
    people = People(a=small_plan.a, b=small_plan.b)
    tokens = []
    for user, assignment in ((people.reviewer, small_plan.t4a), (people.admin, small_plan.t2a)):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        html = browser.get(DASHBOARD).content.decode()
        assert kept_pages.CSRF_PLACEHOLDER not in html
        token = TOKEN.findall(html)[0]
        tokens.append(token)
        answer = browser.post(
            reverse("dashboard:urge"),
            {"assignment": assignment.pk, "message": "", "csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302, user
    # Masked tokens differ on every request anyway; what matters is that the second office
    # member's form carries a token that works for that member (checked above) and not the
    # first one's.
    assert tokens[0] != tokens[1]


@pytest.mark.postgres  # two connections at once: SQLite's test database locks
@pytest.mark.django_db(transaction=True)
def test_a_page_built_before_the_commit_is_not_kept_past_it(small_plan, cache_backend):
    """A worker that builds the page between a change and its commit sees the old ledger
    and tags it with the token the change put in place; the token replaced again after
    commit keeps that page from being served afterwards."""
    people = People(a=small_plan.a, b=small_plan.b)
    browser = Client()
    browser.force_login(people.reviewer)
    before = figure(browser.get(DASHBOARD).content.decode(), "awaiting")

    def another_worker():
        try:
            seen.append(figure(browser.get(DASHBOARD).content.decode(), "awaiting"))
        finally:
            connection.close()

    seen = []
    with transaction.atomic():
        ledger.ledger_entry_submit(entry=small_plan.e2a, by=people.head)
        worker = threading.Thread(target=another_worker)
        worker.start()
        worker.join()
    assert seen == [before]  # the other connection did not see the uncommitted submit
    assert figure(browser.get(DASHBOARD).content.decode(), "awaiting") == before + 1


# --- the review queue (待审核): kept the same way ---------------------------------------------

QUEUE = reverse("ledger:review-queue")


def queue_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="entry" value="(\d+)"', html)]


def test_a_second_look_at_the_queue_reads_the_frame_and_the_plan_only(
    client, personas, small_plan, cache_backend, django_assert_num_queries
):
    client.force_login(personas["reviewer"])
    first = client.get(QUEUE).content.decode()
    # 1 session, 2 user with membership, 3 the plan: nothing of the queue's own.
    with django_assert_num_queries(3):
        second = client.get(QUEUE).content.decode()
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert queue_ids(second) == [small_plan.e4a.pk, small_plan.e1b.pk]  # longest waiting first


def test_the_queue_shows_each_change_on_the_next_look(client, personas, small_plan, cache_backend):
    people = People(a=small_plan.a, b=small_plan.b)
    client.force_login(personas["reviewer"])
    client.get(QUEUE)
    ledger.ledger_entry_submit(entry=small_plan.e2a, by=people.head)
    assert small_plan.e2a.pk in queue_ids(client.get(QUEUE).content.decode())
    ledger.ledger_entry_accept(entry=small_plan.e1b, by=people.reviewer)
    assert small_plan.e1b.pk not in queue_ids(client.get(QUEUE).content.decode())
    # The author's name, as the rows show it, follows a change of the membership.
    member(small_plan.a, name="甲处老王", username=small_plan.e4a.author.username)
    assert "甲处老王" in client.get(QUEUE).content.decode()


def test_a_draft_keeps_the_queue_and_filters_are_kept_apart(
    client, personas, small_plan, cache_backend, django_assert_num_queries
):
    client.force_login(personas["reviewer"])
    whole = queue_ids(client.get(QUEUE).content.decode())
    only_b = queue_ids(client.get(QUEUE, {"department": "dept-b"}).content.decode())
    assert whole == [small_plan.e4a.pk, small_plan.e1b.pk] and only_b == [small_plan.e1b.pk]
    add_entry(small_plan.t1, small_plan.a, LedgerEntry.Status.IN_PROGRESS, D(2030, 5, 8),
              state=LedgerEntry.State.DRAFT)  # fmt: skip
    # 1 session, 2 user, 3 the 待办 counts (they follow every entry), 4 the plan.
    with django_assert_num_queries(4):
        assert queue_ids(client.get(QUEUE).content.decode()) == whole
    # The department's filter: 4 and its department.
    with django_assert_num_queries(4):
        assert queue_ids(client.get(QUEUE, {"department": "dept-b"}).content.decode()) == only_b


def test_a_kept_queue_is_still_refused_to_a_department(client, personas, small_plan, cache_backend):
    client.force_login(personas["reviewer"])
    assert client.get(QUEUE).status_code == 200
    for persona in ("staff", "head", "other_staff"):
        client.force_login(personas[persona])
        answer = client.get(QUEUE)
        assert answer.status_code == 403, persona
        assert queue_ids(answer.content.decode()) == []
        assert "乙处推进任务一" not in answer.content.decode()


def test_each_office_member_accepts_with_a_token_of_its_own(small_plan, cache_backend):
    people = People(a=small_plan.a, b=small_plan.b)
    for user, entry in ((people.reviewer, small_plan.e4a), (people.admin, small_plan.e1b)):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        html = browser.get(QUEUE).content.decode()
        assert kept_pages.CSRF_PLACEHOLDER not in html
        answer = browser.post(
            reverse("ledger:bulk-accept"),
            {
                "entry": [entry.pk],
                f"version-{entry.pk}": entry.version,
                "next": QUEUE,
                "confirm": "yes",
                "csrfmiddlewaretoken": TOKEN.findall(html)[0],
            },
        )
        assert answer.status_code == 302, user
        entry.refresh_from_db()
        assert entry.state == LedgerEntry.State.ACCEPTED, user
