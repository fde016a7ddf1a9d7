"""End to end: the outbox through a real Redis and a real Celery worker under
scripts/supervise, with the broker and the worker killed at chosen points. Afterwards every
delivery is emailed exactly once.

The Redis server is the test's own (a free port, nothing persisted), so killing it touches
nobody else."""

import datetime
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tasks_ledger.reminders.models import SentReminder
from tasks_ledger.reminders.sending_tasks import EMAIL_SWEEP, reminders_email_sweep_task
from tasks_ledger.reminders.services import reminder_send
from tests.factories import DepartmentFactory, member
from tests.tasks_ledger.reminders.conftest import celery_broker, free_port
from tests.tasks_ledger.reminders.test_worker_e2e import CELERY, database_url, wait_for

ROOT = Path(__file__).resolve().parents[3]
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


class PrivateRedis:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_for(lambda: _answers(client), "Redis to start", self.folder / "worker.log", 30)

    def kill(self):
        self.process.kill()  # SIGKILL: what it had in memory is gone
        self.process.wait()


def _answers(client) -> bool:
    try:
        return client.ping()
    except Exception:  # not up yet
        return False


def mails(folder: Path) -> list[tuple[str, str]]:
    """(To, Subject) of every email the worker wrote."""
    found = []
    for path in sorted(folder.glob("*.log")):
        text = path.read_text()
        found += list(
            zip(
                re.findall(r"^To: (.+)$", text, re.M),
                re.findall(r"^Subject: (.+)$", text, re.M),
                strict=True,
            )
        )
    return found


def worker_pid(supervisor: subprocess.Popen) -> int | None:
    out = subprocess.run(
        ["pgrep", "-P", str(supervisor.pid), "-f", "celery"], capture_output=True, text=True
    ).stdout.split()
    return int(out[0]) if out else None


@pytest.fixture
def stage(transactional_db, tmp_path):
    if not shutil.which("redis-server"):
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    gate = tmp_path / "gate"
    gate.touch()
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = os.environ | {
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis.url,
        "CELERY_TASK_DEFAULT_QUEUE": "celery",
        "EMAIL_BACKEND": "tests.tasks_ledger.reminders.gated_mail.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MAIL_GATE": str(gate),
        "REMINDER_EMAIL_CLAIM_SECONDS": "3",
        "VAR_DIR": str(tmp_path / "var"),
        "SUPERVISE_DELAY": "1",
    }
    with log.open("w") as out:
        supervisor = subprocess.Popen(
            [str(ROOT / "scripts" / "supervise"), str(CELERY), "-A", "disclosure", "worker"]
            + ["--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
            + ["--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: log.read_text().count("ready.") == 1, "the worker to start", log)
        with celery_broker(redis.url):
            yield redis, supervisor, gate, mail_dir, log
    finally:
        gate.unlink(missing_ok=True)  # a held send would hold the worker's warm shutdown
        child = worker_pid(supervisor)
        supervisor.send_signal(signal.SIGTERM)
        try:
            supervisor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            if child:
                os.kill(child, signal.SIGKILL)
            supervisor.kill()
            supervisor.wait()
        if redis.process.poll() is None:
            redis.kill()


def deliver(target, recipients):
    reminder_send(
        kind="deadline",
        target=target,
        recipients=recipients,
        on=datetime.date(2016, 9, 29),
        subject=f"reminder {target}",
        body="任务将于2016-09-30到期",
    )


# PostgreSQL: the worker process must open the test database.
@pytest.mark.postgres
def test_every_delivery_is_emailed_once_through_broker_and_worker_deaths(stage):
    redis, supervisor, gate, mail_dir, log = stage
    department = DepartmentFactory()
    people = [member(department, username=f"clerk{n}") for n in range(3)]

    # 1. Three deliveries are queued; the worker takes the first and is held mid-send.
    deliver("first", people)
    wait_for(lambda: any(gate.parent.glob("sending-*")), "the worker to start a send", log)
    assert SentReminder.objects.filter(email_claimed_at__isnull=False).count() == 1

    # 2. kill -9 the worker there. The supervisor starts another, which sends the two
    # still queued; the first stays claimed by the dead worker, unsent.
    killed = worker_pid(supervisor)
    os.kill(killed, signal.SIGKILL)
    wait_for(lambda: log.read_text().count("ready.") == 2, "the worker to be restarted", log)
    survivor = worker_pid(supervisor)
    assert survivor not in (None, killed)
    gate.unlink()
    emailed = SentReminder.objects.filter(emailed_at__isnull=False)
    wait_for(lambda: emailed.count() == 2, "the two queued emails", log)

    # 3. kill -9 the broker: whatever it held (the dead worker's unacknowledged message)
    # is lost with it.
    redis.kill()

    # 4. Deliveries made while the broker is down are committed; queueing fails quietly.
    deliver("second", people[:2])
    assert SentReminder.objects.count() == 5

    # 5. The worker survives the broker's absence (it keeps trying to reconnect) ...
    wait_for(lambda: "Trying again in" in log.read_text(), "a reconnection attempt", log)
    time.sleep(3)
    assert worker_pid(supervisor) == survivor
    assert "Unrecoverable error" not in log.read_text()

    # 6. ... and reconnects when the broker is back (empty). The sweep sends the rest:
    # the two made during the outage and the one the killed worker had claimed (its
    # claim has expired).
    redis.start()
    wait_for(lambda: log.read_text().count("Connected to redis") >= 3, "reconnection", log)
    # (Published through the project's app, pointed at the private Redis by the fixture.)
    reminders_email_sweep_task.delay()
    wait_for(
        lambda: not SentReminder.objects.filter(emailed_at__isnull=True).exists(),
        "every delivery to be emailed",
        log,
    )
    # Another sweep (beat, a minute later) finds nothing.
    reminders_email_sweep_task.delay()
    pattern = re.escape(EMAIL_SWEEP) + r"\[[^\]]+\] succeeded in [0-9.]+s: (\d+)"
    wait_for(lambda: len(re.findall(pattern, log.read_text())) == 2, "the second sweep", log)
    assert re.findall(pattern, log.read_text()) == ["3", "0"]
    assert worker_pid(supervisor) == survivor

    sent = mails(mail_dir)
    expected = [(p.email, "reminder first") for p in people] + [
        (p.email, "reminder second") for p in people[:2]
    ]
    assert sorted(sent) == sorted(expected)  # each exactly once
