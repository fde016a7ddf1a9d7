"""The dashboard's kept body (dashboard/page_cache.py): a second look costs the frame and the
plan only, every change the dashboard shows is on the very next page, filters, "as of" and
the language stay exact, and nobody is served somebody else's CSRF token."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tasks_ledger.calendar.models import Holiday
from tasks_ledger.dashboard import page_cache
from tasks_ledger.ledger import services as ledger
from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import AssignmentFactory, TaskFactory
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
        assert page_cache.CSRF_PLACEHOLDER not in html
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
