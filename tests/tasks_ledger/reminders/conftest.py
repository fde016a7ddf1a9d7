"""Fixtures of the reminder tests: Celery tasks run in the test process (no broker)."""

import pytest

from disclosure.celery import app


@pytest.fixture
def eager_celery():
    """Queued tasks (the reminder emails) run at once, in this process, so that a unit test
    sees their effect without a worker. The end-to-end test uses a real worker instead."""
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
