"""Fixtures of the reminder tests: Celery tasks run in the test process (no broker), or
published to a broker of the test's choosing."""

import contextlib
import socket

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


def free_port() -> int:
    """A TCP port nothing listens on (bound and released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def celery_broker(url: str):
    """Publish through `url` in this process for a while. The app keeps a pool of broker
    connections made for the URL it was first used with; it is dropped on the way in and
    out (what Celery itself does after a fork)."""
    keys = ("broker_url", "broker_read_url", "broker_write_url")
    previous = {key: app.conf[key] for key in keys}
    # Celery copies broker_url into the read and write URLs when it is configured.
    app.conf.update(dict.fromkeys(keys, url))
    app._after_fork()
    try:
        yield
    finally:
        app.conf.update(previous)
        app._after_fork()
