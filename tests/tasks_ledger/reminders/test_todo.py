# ruff: noqa: F811
"""Each person's 待办, counted in one query: 待报送 for the head, 被退回 for the department,
待审核 for the office, 未读 for everyone; in the header and on the landing page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reminders.services import reminder_send
from tasks_ledger.reminders.todo import todo_counts
from tests.factories import LedgerEntryFactory, PlanFactory, SectionFactory, TaskFactory

# The ledger tests' small world (fixtures imported, hence redefined as arguments).

State = LedgerEntry.State


def _unread(user, n):
    for i in range(n):
        reminder_send(
            kind="deadline",
            target=f"deadline:{i}:{user.pk}",
            recipients=[user],
            on=datetime.date(2030, 5, 8),
            subject=f"到期提醒{i}",
            body="任务将到期",
            link="/ledger/",
        )


def _fill(world, size):
    """`size` of each kind of entry, and an old plan's draft that must not count."""
    for _ in range(size):
        world.entry()
        world.entry(State.SUBMITTED)
        world.entry(State.RETURNED)
        world.entry(State.SUBMITTED, department=world.b)
    old = PlanFactory(year=2020, status=Plan.Status.ACTIVE)
    old_task = TaskFactory(section=SectionFactory(plan=old))
    LedgerEntryFactory(task=old_task, department=world.a, author=world.head)
    LedgerEntryFactory(
        task=old_task,
        department=world.a,
        author=world.head,
        state=State.RETURNED,
        submitted_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )


@pytest.mark.parametrize("size", [1, 4])
def test_counts_per_role_in_one_query(world, size, django_assert_num_queries):
    _fill(world, size)
    # Each submission tells the office and each return the department (inbox messages);
    # then the reminders of this test come on top.
    told = {
        persona: Notification.objects.filter(recipient=getattr(world, persona)).count()
        for persona in ("head", "staff", "b_head", "reviewer", "admin", "nobody")
    }
    assert told["reviewer"] == 3 * size and told["head"] == size
    _unread(world.head, 2)
    _unread(world.reviewer, 3)
    expected = {
        # The head submits the drafts; the returned are the department's to correct.
        "head": {"to_submit": size, "returned": size, "to_review": None, "unread": size + 2},
        "staff": {"to_submit": None, "returned": size, "to_review": None, "unread": told["staff"]},
        # B's head: B has submitted entries only, nothing waits for it.
        "b_head": {"to_submit": 0, "returned": 0, "to_review": None, "unread": told["b_head"]},
        # The office reviews both departments' submitted entries.
        "reviewer": {
            "to_submit": None,
            "returned": None,
            "to_review": 2 * size,
            "unread": 3 * size + 3,
        },
        "admin": {
            "to_submit": None,
            "returned": None,
            "to_review": 2 * size,
            "unread": told["admin"],
        },
        "nobody": {"to_submit": None, "returned": None, "to_review": None, "unread": 0},
    }
    for persona, counts in expected.items():
        user = (
            type(world.head)
            .objects.select_related("membership__department")
            .get(pk=getattr(world, persona).pk)
        )
        # One query: every count a subquery on the user's own row.
        with django_assert_num_queries(1):
            assert todo_counts(user=user) == counts, persona


def _header(html):
    return dict(re.findall(r'data-todo="(\w+)">[^<]*<b class="todo-count">(\d+)</b>', html))


def test_the_header_and_the_landing_page_show_them(client, world, django_assert_num_queries):
    world.entry()
    world.entry()
    world.entry(State.SUBMITTED)
    client.force_login(world.head)
    html = client.get(reverse("ledger:home")).content.decode()
    assert _header(html) == {"to_submit": "2", "returned": "0", "unread": "0"}
    assert html.count('data-todo="to_submit"') == 2  # the header and the landing page
    client.force_login(world.reviewer)
    html = client.get(reverse("ledger:home")).content.decode()
    # The submission also told the office: one unread message.
    assert _header(html) == {"to_review": "1", "unread": "1"}
    assert 'data-todo="to_submit"' not in html


def test_the_counts_cost_a_page_one_query_whatever_the_size(
    client, world, django_assert_num_queries
):
    client.force_login(world.head)
    # session, user with membership, the 待办 counts (one query); + the page's own: the
    # current plan; the assignments with lights; their deadlines.
    with django_assert_num_queries(3 + 3):
        client.get(reverse("ledger:home"))
    _fill(world, 5)
    _unread(world.head, 5)
    with django_assert_num_queries(3 + 3):
        client.get(reverse("ledger:home"))


@pytest.mark.postgres
def test_postgres_counts_a_department_s_waiting_entries_from_their_own_index(world):
    # A department with many entries, few of them drafts or returned: the count reads the
    # index of waiting entries alone, not every entry of the department.
    LedgerEntry.objects.bulk_create(
        LedgerEntryFactory.build(
            task=world.task,
            department=world.a,
            author=world.staff,
            state=State.ACCEPTED if n % 50 else State.RETURNED,
            submitted_at=datetime.datetime(2030, 5, 1, tzinfo=datetime.UTC),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_ledgerentry")
    with CaptureQueriesContext(connection) as queries:
        assert todo_counts(user=world.head)["returned"] == 60
    (counting,) = [q["sql"] for q in queries.captured_queries if "ledger_ledgerentry" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {counting}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using entry_waiting" in plan, plan
