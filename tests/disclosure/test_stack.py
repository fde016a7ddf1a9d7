"""`scripts/stack` (`make stack`): what docker-compose.yml runs, started natively with
production settings (DEBUG off, gunicorn, a worker, beat) against PostgreSQL and Redis.
A browser-like client signs in over plain HTTP."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.redis_service import redis_url
from tests.tasks_ledger.reminders.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stack_database(db):
    """An empty database of its own beside the test database, dropped afterwards."""
    params = connection.settings_dict
    name = f"{params['NAME']}_stack_{uuid.uuid4().hex[:6]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    yield (
        f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{name}"
    )
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def wait_until(predicate, what, log: Path, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}; log:\n{log.read_text()[-5000:]}")


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.mark.postgres
def test_the_native_stack_signs_in_over_plain_http(stack_database, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "stack.log"
    broker = redis_url()
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "HTTPS")} | {
        "DATABASE_URL": stack_database,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": f"stack-{uuid.uuid4().hex[:8]}",
        "CACHE_URL": broker,
        "CACHE_KEY_PREFIX": f"stack-{uuid.uuid4().hex[:8]}",
        "SECRET_KEY": "stack-test-" * 5,
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "STACK_DEMO_ACCOUNTS": "1",
        "PYTHON": sys.executable,
        "VAR_DIR": str(tmp_path / "var"),
    }
    with log.open("w") as out:
        stack = subprocess.Popen(
            [str(ROOT / "scripts" / "stack")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one below
        )
    try:
        wait_until(lambda: healthy(base), "the web server", log)
        wait_until(lambda: "ready." in log.read_text(), "the worker", log)
        wait_until(lambda: "beat: Starting" in log.read_text(), "beat", log)

        # Sign in as a browser would: cookies kept by a jar that, like a browser, never
        # sends a Secure cookie over plain HTTP.
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = browser.open(f"{base}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {
                "username": "policy-law",
                "password": os.environ.get("DEMO_PASSWORD", "disclosure-demo"),
                "csrfmiddlewaretoken": token,
            }
        ).encode()
        signed_in = browser.open(f"{base}/accounts/login/", data=form, timeout=30)
        assert signed_in.status == 200
        assert signed_in.url == f"{base}/ledger/"
        assert "政策法规处" in signed_in.read().decode()
        assert "private" in signed_in.headers["Cache-Control"]
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait()
