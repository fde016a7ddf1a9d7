"""Two web servers (two gunicorn processes on two ports, production settings) sharing one
REDIS_URL, one database and one S3 bucket, as two machines behind a balancer would: a
session made on one is valid on the other and ends on both; every throttle (API token,
password reset, sign-in lock-out) counts requests to both together; an evidence file
in the shared bucket is served by either, to its readers only."""

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

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from departments.models import Membership
from tasks_ledger.ledger import services
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    member,
)
from tests.object_store import port_is_free, s3_environment
from tests.redis_service import redis_url
from tests.tasks_ledger.ledger.conftest import PDF

ROOT = Path(__file__).resolve().parents[2]
# The last ports of this worktree's range (tests/object_store.py takes the first ones).
WEB_PORTS = (8126, 8127)
PASSWORD = "pw-for-tests"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


class Browser:
    """Cookies kept as a browser keeps them: for 127.0.0.1 whatever the port."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects
        )

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def open(self, url: str, fields: dict | None = None) -> tuple[int, dict, bytes]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def submit(self, form_url: str, fields: dict, *, to: str | None = None):
        """Fetch the form (its CSRF token), then post `fields` to `to` (default: the form)."""
        _status, _headers, page = self.open(form_url)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.open(to or form_url, fields | {"csrfmiddlewaretoken": token.decode()})


def database_url() -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    host = params["HOST"] or "127.0.0.1"
    return f"postgres://{params['USER']}{password}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


def serving(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture
def two_servers(transactional_db, s3_store, tmp_path):
    """Two gunicorn processes, one worker each, configured only through the environment."""
    for port in WEB_PORTS:
        assert port_is_free(port), f"port {port} is taken"
    environment = (
        {k: v for k, v in os.environ.items() if k != "HTTPS"}
        | {
            "DEBUG": "0",
            "SECRET_KEY": "two-processes-" * 4,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url(),
            "CACHE_KEY_PREFIX": f"two-{uuid.uuid4().hex[:8]}",
            "CELERY_TASK_DEFAULT_QUEUE": f"two-{uuid.uuid4().hex[:8]}",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "VAR_DIR": str(tmp_path / "var"),
            "API_TOKEN_RATE": "3/minute",
            "PASSWORD_RESET_RATE_PER_ADDRESS": "3/hour",
            "AXES_FAILURE_LIMIT": "3",
        }
        | s3_environment(endpoint=s3_store.endpoint, bucket=s3_store.bucket)
    )
    environment.pop("CACHE_URL", None)
    servers, logs = [], []
    for port in WEB_PORTS:
        log = tmp_path / f"web-{port}.log"
        logs.append(log)
        with log.open("w") as out:
            servers.append(
                subprocess.Popen(
                    [str(Path(sys.executable).parent / "gunicorn"), "disclosure.wsgi"]
                    + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
                    cwd=ROOT,
                    env=environment,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    bases = [f"http://127.0.0.1:{port}" for port in WEB_PORTS]
    try:
        for base, log in zip(bases, logs, strict=True):
            for _ in range(120):
                if serving(base):
                    break
                time.sleep(0.5)
            else:
                pytest.fail(f"{base} did not start:\n{log.read_text()[-3000:]}")
        yield bases, environment["REDIS_URL"], environment["CACHE_KEY_PREFIX"]
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


@pytest.fixture
def people(transactional_db):
    section = SectionFactory(plan=PlanFactory(year=2031), number="一", order=1)
    task = TaskFactory(section=section, number="一", order=1)
    a, b = DepartmentFactory(code="dept-a", name="甲处"), DepartmentFactory(code="dept-b")
    AssignmentFactory(task=task, department=a, role="lead")
    clerk = member(a, Membership.Role.STAFF, username="clerk")
    stranger = member(b, Membership.Role.STAFF, username="stranger")
    # The servers know only the production hashers, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    for user in (clerk, stranger):
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
    return task, a, clerk


@pytest.mark.postgres
def test_two_web_processes_share_sessions_throttles_and_files(two_servers, people):
    (one, two), redis_address, prefix = two_servers
    task, department, clerk = people

    # Signed in on one, the same cookie is a session on the other; signing out on the
    # other ends it on the first.
    browser = Browser()
    login = f"{one}/accounts/login/"
    status, headers, _ = browser.submit(login, {"username": "clerk", "password": PASSWORD})
    assert status == 302 and headers["Location"] == "/ledger/"
    status, _headers, page = browser.open(f"{two}/ledger/")
    assert status == 200 and "甲处" in page.decode()
    # Read from Redis (written through to the database as well).
    session_key = browser.cookie("sessionid")
    assert redis.Redis.from_url(redis_address).exists(
        f"{prefix}:1:django.contrib.sessions.cached_db{session_key}"
    )

    # A file stored by another process (this test's) is served by both to the clerk, whose
    # draft it is, and by neither to another department's staff.
    entry = services.ledger_entry_create(
        task=task,
        department=department,
        by=clerk,
        data={"happened_on": "2031-03-02", "summary": "公开", "status": "in_progress"},
    )
    evidence = services.evidence_add(
        entry=entry, by=clerk, kind="file", file=SimpleUploadedFile("材料.pdf", PDF)
    )
    assert evidence.file.storage.exists(evidence.file.name)  # in the bucket
    for base in (one, two):
        status, headers, body = browser.open(f"{base}/ledger/evidence/{evidence.pk}/download/")
        assert (status, body) == (200, PDF), body[:300]
    other = Browser()
    status, _headers, _page = other.submit(
        f"{two}/accounts/login/", {"username": "stranger", "password": PASSWORD}
    )
    assert status == 302
    assert other.open(f"{one}/ledger/evidence/{evidence.pk}/download/")[0] == 404

    status, _headers, _page = browser.submit(f"{two}/ledger/", {}, to=f"{two}/accounts/logout/")
    assert status in (200, 302)
    status, headers, _page = browser.open(f"{one}/ledger/")
    assert status == 302 and headers["Location"].startswith("/accounts/login/")

    # The API token throttle (3 a minute) counts both processes' requests together.
    api = Browser()
    answers = [
        # A name each, so that the sign-in lock-out (per name and address) stays out of it.
        api.open(f"{base}/api/auth/token/", {"username": f"x{n}", "password": "y"})[0]
        for n, base in enumerate((one, two, one, two))
    ]
    assert answers == [400, 400, 400, 429]

    # The password reset limit per address (3 an hour), the same.
    reset = Browser()
    answers = [
        reset.submit(f"{base}/accounts/password_reset/", {"email": f"n{n}@example.gov.cn"})[0]
        for n, base in enumerate((two, one, two, one))
    ]
    assert answers == [302, 302, 302, 429]

    # The sign-in lock-out (3 failures) too: one failure on each, the third locks out, and
    # the right password is refused then on either.
    guesser = Browser()
    answers = [
        guesser.submit(f"{base}/accounts/login/", {"username": "clerk", "password": "wrong"})[0]
        for base in (one, two, one)
    ]
    assert answers == [200, 200, 429]
    status, _headers, _page = guesser.submit(
        f"{two}/accounts/login/", {"username": "clerk", "password": PASSWORD}
    )
    assert status == 429
