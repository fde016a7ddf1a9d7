"""`scripts/stack` (`make stack`): the shape docker-compose.yml runs, started natively with
production settings (DEBUG off) against PostgreSQL and Redis: two gunicorn instances behind
one address (scripts/balancer.py), a Celery worker beside each, one beat. Started once for
this module; a browser-like client signs in over plain HTTP, then a mixed load runs through
the balancer (benchmarks/two_instances.py, smaller) and nothing is lost or sent twice."""

import os
import sys
import time
import uuid

import psycopg
import pytest
import redis
from django.db import connection

from benchmarks.stack_client import Browser, query, served_by, stack_start, stack_stop, stack_wait
from benchmarks.two_instances import (
    PDF,
    day_runs,
    day_with_reminders,
    emails_not_once,
    lost_updates,
    mixed_load,
    urges,
    wait_outbox_empty,
)
from tests.redis_service import redis_url
from tests.tasks_ledger.reminders.conftest import free_port

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# The stack's processes open a PostgreSQL database of their own (CI's SQLite run leaves
# these out).
pytestmark = pytest.mark.postgres
PASSWORD = os.environ.get("DEMO_PASSWORD", "disclosure-demo")


def needs(what: str, problem: str | None) -> None:
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(f"{what}: {problem}")
        pytest.skip(f"{what}: {problem}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The stack on an empty database of its own (beside the test database, dropped
    afterwards), on free ports, with a queue and cache prefix of its own in Redis."""
    needs("PostgreSQL", None if connection.vendor == "postgresql" else "set DATABASE_URL")
    broker = redis_url()
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    admin = psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=host,
        port=port,
    )
    admin.autocommit = True
    name = f"{params['NAME']}_stack_{uuid.uuid4().hex[:6]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    running = stack_start(
        database_url=f"postgres://{params['USER']}{password}@{host}:{port}/{name}",
        broker=broker,
        var_dir=tmp_path_factory.mktemp("stack"),
        ports=[free_port(), free_port(), free_port()],
        python=sys.executable,
    )
    try:
        stack_wait(running)
        yield running
    finally:
        stack_stop(running)
        client = redis.Redis.from_url(broker)
        for key in client.scan_iter(f"*{running.queue}*"):
            client.delete(key)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_the_native_stack_signs_in_over_plain_http(stack):
    # A jar that, like a browser, never sends a Secure cookie over plain HTTP.
    browser = Browser(stack.base)
    signed_in = browser.sign_in("policy-law", PASSWORD)
    assert signed_in.status == 200
    assert signed_in.url == f"{stack.base}/ledger/"
    assert "政策法规处" in signed_in.text()
    assert "private" in signed_in.headers["Cache-Control"]


def test_a_session_made_through_the_balancer_is_valid_on_both_instances(stack):
    browser = Browser(stack.base)
    browser.sign_in("safety-head", PASSWORD)
    for instance in stack.instances:
        page = browser.request("GET", "/ledger/", base=instance)
        assert (page.status, page.url) == (200, f"{instance}/ledger/")
        assert "安全处" in page.text()
    # Signed out through the balancer: the session is gone on both.
    browser.post_form("/accounts/logout/", {})
    for instance in stack.instances:
        assert "/accounts/login/" in browser.request("GET", "/ledger/", base=instance).url


def test_a_mixed_load_through_the_balancer_loses_nothing_and_sends_once(stack):
    day = day_with_reminders(stack, sys.executable)
    before = served_by(stack)
    run = mixed_load(stack, password=PASSWORD, rounds=6, day=day)
    assert run.errors == []

    # Both instances served the load, in turn.
    served = served_by(stack) - before
    assert len(served) == 2
    assert abs(served.most_common()[0][1] - served.most_common()[1][1]) <= 2, served

    # No lost update: row by row, every accepted PATCH claimed its own version and the
    # last one's text is what the entry holds (a 409 refused the others).
    assert sum(len(writes) for writes in run.accepted.values()) > len(run.created) > 0
    assert lost_updates(stack, run) == []

    # The same file from the balancer (one instance, then the other) and from each.
    assert run.evidence["bodies"] == [(200, PDF)] * 4

    # The office's two sessions urged the same four departments at once: one urge each
    # (the second press was asked to confirm, and was not), to its staff and head.
    assert urges(stack) == [
        ("admin-service", 1, 2),
        ("planning", 1, 2),
        ("policy-law", 1, 2),
        ("safety", 1, 2),
    ]

    # The day's task, queued twice for the two workers: its reminders delivered once.
    deadline = time.monotonic() + 120
    while len(day_runs(stack)) < 2 and time.monotonic() < deadline:
        time.sleep(1)
    runs = day_runs(stack)
    delivered = query(
        stack.database_url,
        "SELECT count(*) FROM reminders_sentreminder WHERE \"on\" = %s AND kind <> 'urge'",
        (day,),
    )[0][0]
    assert len(runs) == 2 and sum(runs) == delivered > 0, (runs, delivered)

    # Every delivery of the load emailed exactly once, by one of the two workers.
    wait_outbox_empty(stack)
    assert emails_not_once(stack, run) == []
