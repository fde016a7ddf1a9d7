"""The header's 待办 counts from the cache: the empty frame reads the session and the user
only, and every change that alters a count shows on the very next page (no stale badge),
in the tests' local-memory cache and in Redis as in production."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from departments.models import Membership
from tasks_ledger.ledger import services as ledger
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reminders.services import (
    notification_mark_read,
    notifications_mark_all_read,
    reminder_send,
)
from tasks_ledger.reminders.todo import todo_counts

EMPTY_FRAME = "/bench-empty-page/"  # base.html signed in, nothing of its own (benchmarks/)


@pytest.fixture(autouse=True)
def _frame_url(settings):
    settings.ROOT_URLCONF = "benchmarks.urls"


def _shown(client, user) -> dict[str, int]:
    client.force_login(user)
    return _header(client.get(EMPTY_FRAME).content.decode())


def _header(html) -> dict[str, int]:
    """The counts the header shows: the 待办 links and the inbox badge (absent: 0)."""
    shown = {
        key: int(n)
        for key, n in re.findall(r'data-todo="(\w+)">[^<]*<b class="todo-count">(\d+)</b>', html)
    }
    badge = re.search(r'class="badge" aria-label="[^"]*">(\d+)</span>', html)
    shown["unread"] = int(badge.group(1)) if badge else 0
    return shown


def _counted(user) -> dict[str, int]:
    """The same counts straight from the database, as the header would show them."""
    fresh = get_user_model().objects.select_related("membership__department").get(pk=user.pk)
    return {key: n for key, n in todo_counts(user=fresh).items() if n is not None}


def _check(client, world, **expected):
    """Each persona's header equals a fresh count; `expected` pins some figures, so that a
    change that forgot to reach the database (not just the cache) fails too."""
    for persona in ("head", "staff", "b_head", "reviewer"):
        user = getattr(world, persona)
        shown = _shown(client, user)
        assert shown == _counted(user), persona
        for key, n in expected.get(persona, {}).items():
            assert shown[key] == n, (persona, key)


def test_each_change_shows_on_the_next_page(client, world, cache_backend):
    _check(client, world)  # counted and kept
    _check(client, world)  # from the cache

    draft = ledger.ledger_entry_create(
        task=world.task,
        department=world.a,
        by=world.staff,
        data={"happened_on": "2030-05-06", "summary": "公开权力清单"},
    )
    _check(client, world, head={"to_submit": 1}, reviewer={"to_review": 0})

    ledger.ledger_entry_submit(entry=draft, by=world.head)
    _check(client, world, head={"to_submit": 0}, reviewer={"to_review": 1, "unread": 1})

    draft.refresh_from_db()
    ledger.ledger_entry_return(entry=draft, by=world.reviewer, reason="请补充材料")
    _check(client, world, head={"returned": 1}, staff={"returned": 1}, reviewer={"to_review": 0})

    draft.refresh_from_db()
    ledger.ledger_entry_submit(entry=draft, by=world.head)
    _check(client, world, head={"returned": 0}, reviewer={"to_review": 1})

    draft.refresh_from_db()
    ledger.ledger_entry_accept(entry=draft, by=world.reviewer)
    _check(client, world, reviewer={"to_review": 0})

    b_entry = world.entry(LedgerEntry.State.SUBMITTED, department=world.b)
    _check(client, world, reviewer={"to_review": 1}, b_head={"to_submit": 0})

    # Deleted in the admin (no service): the signal still reaches the counts.
    LedgerEntry.objects.get(pk=b_entry.pk).delete()
    _check(client, world, reviewer={"to_review": 0})


def test_inbox_messages_show_on_the_next_page(client, world, cache_backend):
    _check(client, world)
    _check(client, world)
    for n in range(2):
        reminder_send(
            kind="deadline",
            target=f"deadline:{n}",
            recipients=[world.staff],
            on=datetime.date(2030, 5, 8),  # the world's today
            subject=f"到期提醒{n}",
            body="任务将到期",
            link="/ledger/",
        )
    _check(client, world, staff={"unread": 2})

    # Marking read goes round save() (an UPDATE): the service forgets the count itself.
    first = Notification.objects.filter(recipient=world.staff).first()
    notification_mark_read(notification=first, user=world.staff)
    _check(client, world, staff={"unread": 1})
    notifications_mark_all_read(user=world.staff)
    _check(client, world, staff={"unread": 0})


def test_a_new_role_or_plan_shows_on_the_next_page(client, world, cache_backend):
    world.entry()
    world.entry(LedgerEntry.State.SUBMITTED)
    _check(client, world, head={"to_submit": 1}, reviewer={"to_review": 1})
    _check(client, world)

    # Staff made head: the drafts to submit are now theirs to count.
    membership = Membership.objects.get(user=world.staff)
    membership.role = Membership.Role.HEAD
    membership.save()
    _check(client, world, staff={"to_submit": 1})

    # The plan closed: no current plan, nothing waits.
    world.plan.status = Plan.Status.CLOSED
    world.plan.save()
    _check(client, world, head={"to_submit": 0}, reviewer={"to_review": 0})


def test_the_empty_frame_reads_the_session_and_the_user_only(
    client, world, django_assert_num_queries
):
    world.entry()
    world.entry(LedgerEntry.State.SUBMITTED)
    for persona in ("head", "staff", "reviewer", "admin"):
        user = getattr(world, persona)
        client.force_login(user)
        client.get(EMPTY_FRAME)  # counts and keeps
        # The session; the user with their membership. The counts come from the cache.
        with django_assert_num_queries(2):
            response = client.get(EMPTY_FRAME)
        assert response.status_code == 200
        assert _header(response.content.decode()) == _counted(user), persona
