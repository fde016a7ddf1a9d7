"""The clients of benchmarks/load.py: CLIENTS threads, each one person requesting one page
or API call after another, recording each answer's time and what a PATCH or create was
answered (for the row-by-row check afterwards). Standard library only: the same client for
every server setup, on the same cores as the server."""

import http.client
import json
import random
import threading
import time
import uuid


class Connection:
    """One client's HTTP connection: kept alive when the server allows (gthread), opened
    again when it closes (a sync worker closes after each response)."""

    def __init__(self, port: int, headers: dict):
        self.port, self.headers, self.http = port, headers, None

    def request(self, method: str, path: str, body: dict | None = None):
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.http is None:
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.http.request(method, path, body=payload, headers=headers)
                response = self.http.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed meanwhile: once more, anew.
                self.http.close()
                self.http = None
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                self.http.close()
                self.http = None
            return response.status, data
        raise AssertionError("unreachable")


class Run:
    """What every client records during one measured slot."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}  # the same latencies, per kind of request
        self.errors: list[str] = []
        self.conflicts = 0
        self.patched: list = []  # (entry id, version answered, summary sent)
        self.created: list = []  # (entry id, summary sent)

    def record(self, started: float, ok: bool, what: str, kind: str = "error") -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies.append(elapsed)
            self.by_kind.setdefault(kind, []).append(elapsed)
            if not ok:
                self.errors.append(what)


def reviewer_step(conn, run, rng, world):
    path = "/dashboard/" if rng.random() < 0.7 else "/ledger/review/"
    started = time.perf_counter()
    status, _ = conn.request("GET", path)
    run.record(started, status == 200, f"GET {path}: {status}", path)


def staff_step(conn, run, rng, dept):
    home = rng.random() < 0.4
    path = "/ledger/" if home else f"/ledger/tasks/{rng.choice(dept['tasks'])}/"
    started = time.perf_counter()
    status, _ = conn.request("GET", path)
    kind = path if home else "/ledger/tasks/N/"
    run.record(started, status == 200, f"GET {path}: {status}", kind)


def api_step(conn, run, rng, dept):
    summary = f"load {uuid.uuid4().hex}"
    if rng.random() < 0.2:
        body = {"task": rng.choice(dept["tasks"]), "happened_on": f"{dept['year']}-10-18"}
        started = time.perf_counter()
        status, data = conn.request("POST", "/api/ledger-entries/", {**body, "summary": summary})
        run.record(started, status == 201, f"POST /api/ledger-entries/: {status}", "API POST")
        if status == 201:
            with run.lock:
                run.created.append((json.loads(data)["id"], summary))
        return
    path = f"/api/ledger-entries/{rng.choice(dept['shared'])}/"
    started = time.perf_counter()
    status, data = conn.request("GET", path)
    run.record(started, status == 200, f"GET {path}: {status}", "API GET")
    if status != 200:
        return
    version = json.loads(data)["version"]
    started = time.perf_counter()
    status, data = conn.request("PATCH", path, {"summary": summary, "version": version})
    # 409: another client changed the entry since it was read; the check that keeps updates.
    run.record(started, status in (200, 409), f"PATCH {path}: {status}", "API PATCH")
    with run.lock:
        if status == 200:
            answer = json.loads(data)
            mine = answer["version"] if answer["summary"] == summary else None
            run.patched.append((answer["id"], mine, summary))
        elif status == 409:
            run.conflicts += 1


def drive(port: int, world: dict, clients: int, seconds: float, run: Run) -> None:
    """`clients` threads, each a person (a fifth reviewers, two fifths staff in the browser,
    two fifths API clients), requesting one after the other until `seconds` are up."""
    deadline = time.perf_counter() + seconds
    departments = world["departments"]

    def client(n: int):
        rng = random.Random(n)
        dept = departments[n % len(departments)]
        if n % 5 == 0:
            conn, step, arg = Connection(port, _cookie(world["reviewer"])), reviewer_step, world
        elif n % 5 in (1, 2):
            conn, step, arg = Connection(port, _cookie(dept["session"])), staff_step, dept
        else:
            headers = {"Authorization": f"Token {dept['token']}", "Accept": "application/json"}
            conn, step, arg = Connection(port, headers), api_step, dept
        while time.perf_counter() < deadline:
            try:
                step(conn, run, rng, arg)
            except OSError as exc:
                run.record(time.perf_counter(), False, f"{type(exc).__name__}: {exc}")
                conn.http = None

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _cookie(session: str) -> dict:
    return {"Cookie": f"sessionid={session}"}
