"""The stack of scripts/stack started for a measurement or a test, and a person with a
browser (cookies, CSRF, forms, the API) to drive it over HTTP. Used by
benchmarks/two_instances.py and tests/disclosure/test_stack.py."""

import email
import email.policy
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


# --- the stack ---------------------------------------------------------------------------


@dataclass
class Stack:
    process: subprocess.Popen
    base: str
    instances: list[str]
    log: Path
    mail_dir: Path
    database_url: str
    broker: str
    queue: str


def stack_start(
    *, database_url: str, broker: str, var_dir: Path, ports: list[int], python: str
) -> Stack:
    """scripts/stack on `ports` (the balancer's, then the two instances'), with the demo
    accounts, emails written to files, and a queue and cache prefix of its own."""
    queue = f"stack-{uuid.uuid4().hex[:8]}"
    log = var_dir / "stack.log"
    mail_dir = var_dir / "mail"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "HTTPS", "TRUSTED_PROXIES")}
    env |= {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CACHE_URL": broker,
        "CACHE_KEY_PREFIX": queue,
        "SECRET_KEY": "stack-test-" * 5,
        "PORT": str(ports[0]),
        "WEB_PORTS": f"{ports[1]},{ports[2]}",
        "WEB_WORKERS": "2",
        "STACK_DEMO_ACCOUNTS": "1",
        "PYTHON": python,
        "VAR_DIR": str(var_dir / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "stack")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    return Stack(
        process=process,
        base=f"http://127.0.0.1:{ports[0]}",
        instances=[f"http://127.0.0.1:{port}" for port in ports[1:]],
        log=log,
        mail_dir=mail_dir,
        database_url=database_url,
        broker=broker,
        queue=queue,
    )


def stack_wait(stack: Stack, *, timeout: float = 300) -> None:
    """Until the balancer answers /healthz, both workers are ready and beat has started."""

    def up() -> bool:
        text = stack.log.read_text()
        workers = set(re.findall(r"(web\d)@\S+ ready\.", text))
        return workers == {"web1", "web2"} and "beat: Starting" in text and healthy(stack.base)

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            break
        if up():
            return
        time.sleep(1)
    raise RuntimeError(f"the stack did not start; log:\n{stack.log.read_text()[-5000:]}")


def stack_stop(stack: Stack) -> None:
    os.killpg(stack.process.pid, signal.SIGTERM)
    try:
        stack.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(stack.process.pid, signal.SIGKILL)
        stack.process.wait()


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def served_by(stack: Stack) -> Counter:
    """How many requests the balancer gave each instance (its log)."""
    return Counter(re.findall(r"balancer: INFO 127\.0\.0\.1:(\d+) ", stack.log.read_text()))


# --- a person with a browser -------------------------------------------------------------


@dataclass
class Answer:
    status: int
    url: str
    headers: dict
    body: bytes

    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


class Browser:
    """One signed-in person: cookies in a jar (which, like a browser, keeps a Secure cookie
    off plain HTTP), the CSRF token sent back as Django asks. Every request's time and
    status go to `timings`, shared by all the browsers of a run."""

    def __init__(self, base: str, timings: list | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.timings = timings if timings is not None else []

    def request(self, method, path, *, data=None, headers=None, base=None, label=None) -> Answer:
        url = path if path.startswith("http") else f"{base or self.base}{path}"
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                answer = Answer(response.status, response.url, dict(response.headers), b"")
                answer.body = response.read()
        except urllib.error.HTTPError as exc:
            answer = Answer(exc.code, url, dict(exc.headers), exc.read())
        self.timings.append((label or method, time.perf_counter() - start, answer.status))
        return answer

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def sign_in(self, username: str, password: str) -> Answer:
        page = self.request("GET", "/accounts/login/", label="sign-in").text()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        answer = self.post_form("/accounts/login/", form, label="sign-in")
        if not answer.url.endswith("/ledger/"):
            raise AssertionError(f"{username} was not signed in: {answer.status} {answer.url}")
        return answer

    def post_form(self, path, fields: dict, files=(), *, base=None, label=None) -> Answer:
        """A form as a browser posts it; `files`: (field, filename, bytes), multipart."""
        fields = {"csrfmiddlewaretoken": self.csrf()} | fields
        if not files:
            data = urllib.parse.urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
                for name, value in fields.items()
            ]
            for name, filename, content in files:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            kind = f"multipart/form-data; boundary={boundary}"
        headers = {"Content-Type": kind, "Referer": f"{base or self.base}{path}"}
        return self.request("POST", path, data=data, headers=headers, base=base, label=label)

    def api(self, method, path, payload=None, *, label=None) -> Answer:
        headers = {"Accept": "application/json"}
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            headers |= {"Content-Type": "application/json", "X-CSRFToken": self.csrf()}
        return self.request(method, path, data=data, headers=headers, label=label or method)


# --- what the stack stored and sent ---------------------------------------------------


def query(database_url: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    connection.close()
    return rows


def mails(folder: Path) -> list[tuple[str, str]]:
    """(To, Subject) of every email written by the file backend (one file per connection,
    messages separated by a line of 79 dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw.strip(), policy=email.policy.default)
                # (A long encoded subject is folded: its value starts with the fold's space.)
                found.append((str(message["To"]), str(message["Subject"]).strip()))
    return found
