"""End to end: the day's beat task through a real Redis broker to a real Celery worker
process, which writes the inbox messages to the test database and the emails to files."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from tasks_ledger.reminders.models import Notification, SentReminder
from tasks_ledger.reminders.tasks import SEND_FOR_TODAY
from tests.redis_service import redis_url

CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    """The test database, as a URL the worker process's settings understand."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def wait_for(predicate, what: str, log: Path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


def mails(folder: Path) -> list[str]:
    return [p.read_text() for p in sorted(folder.glob("*.log"))]


@pytest.fixture
def worker(tmp_path):
    """A Celery worker process on a queue of its own, using the test database."""
    broker = redis_url()
    queue = f"e2e-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "VAR_DIR": str(tmp_path / "var"),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "disclosure", "worker", "--pool=solo", "--loglevel=INFO"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue],
            cwd=Path(__file__).resolve().parents[3],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: "ready." in log.read_text(), "the worker to start", log)
        sender = Celery(broker=broker)
        sender.conf.task_default_queue = queue
        yield sender, mail_dir, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        sender_conn = Celery(broker=broker)
        with sender_conn.connection_for_write() as conn:
            # Leave nothing behind in the shared Redis.
            conn.default_channel.client.delete(queue)


def runs_finished(log: Path) -> list[str]:
    pattern = re.escape(SEND_FOR_TODAY) + r"\[[^\]]+\] succeeded in [0-9.]+s: (\d+)"
    return re.findall(pattern, log.read_text())


# PostgreSQL: the worker process must open the test database, and SQLite's test database
# lives in this process's memory.
@pytest.mark.postgres
def test_the_days_task_through_redis_and_a_worker(transactional_db, demo_accounts, worker):
    sender, mail_dir, log = worker
    # 2016-09-29: one working day before the deadline of 二(三), to its staff and head.
    sender.send_task(SEND_FOR_TODAY, args=["2016-09-29"])
    wait_for(lambda: runs_finished(log) == ["2"], "the first run", log)
    wait_for(lambda: len(mails(mail_dir)) == 2, "two emails", log)
    wait_for(
        lambda: not SentReminder.objects.filter(emailed_at__isnull=True).exists(),
        "the deliveries to be marked emailed",
        log,
    )
    notes = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.task.code) for n in notes] == [
        ("admin-service", "deadline", "二(三)"),
        ("admin-service-head", "deadline", "二(三)"),
    ]
    assert notes[0].subject == "2016-09-30到期：二(三)"
    recipients = sorted(re.search(r"^To: (.+)$", m, re.M).group(1) for m in mails(mail_dir))
    assert recipients == ["admin-service-head@example.gov.cn", "admin-service@example.gov.cn"]

    # The same day again (a retried or doubled beat): nothing new.
    sender.send_task(SEND_FOR_TODAY, args=["2016-09-29"])
    wait_for(lambda: runs_finished(log) == ["2", "0"], "the second run", log)
    time.sleep(1)  # room for any stray email task to show itself
    assert Notification.objects.count() == 2
    assert SentReminder.objects.count() == 2
    assert len(mails(mail_dir)) == 2
