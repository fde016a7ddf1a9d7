"""Two instances behind one address under a mixed load (issue 17, "More than one machine").

    .venv/bin/python -m benchmarks.two_instances                 # 8 staff, 30 rounds each
    .venv/bin/python -m benchmarks.two_instances --rounds 60 --json

Starts `scripts/stack` (two gunicorn instances behind scripts/balancer.py, a Celery worker
beside each, one beat) on a scratch PostgreSQL database (BENCH_POSTGRES_URL names the
server) and Redis (BENCH_REDIS_URL, a queue and cache prefix of its own), then runs, all
through the balancer and all at once:
  * department staff and heads, two of each department writing the same entries: API
    creates, then PATCHes that send the version they read (a 409 when the other got there
    first), and their ledger pages;
  * two sessions of the office urging the same departments on the same tasks (催办), and
    reading the dashboard;
  * the day's reminder task queued twice, for a day with reminders due, for the two
    workers;
  * an evidence file uploaded, then downloaded through the balancer and from each instance.
It prints requests/s, the median and 99th percentile, the errors, and the checks: no lost
update (row by row, against the versions each accepted write claimed), each delivery
emailed exactly once, the file the same from either instance, the session valid on both.
`tests/disclosure/test_stack.py` runs the same load, smaller, and asserts the checks.
"""

import argparse
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from celery import Celery

from benchmarks.stack_client import (
    ROOT,
    Answer,
    Browser,
    Stack,
    mails,
    query,
    served_by,
    stack_start,
    stack_stop,
    stack_wait,
)

# The file the evidence check uploads: a PDF as the upload's type check reads it.
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n" + os.urandom(2048)
SEND_FOR_TODAY = "tasks_ledger.reminders.tasks.send_reminders_for_today_task"
DEPARTMENTS = ("policy-law", "admin-service", "safety", "planning")


# --- what the load works on ----------------------------------------------------------------


def assignments(database_url: str, codes) -> dict[str, list[tuple[int, int]]]:
    """(assignment id, task id) of each department in the newest plan (the current one)."""
    rows = query(
        database_url,
        """SELECT d.code, a.id, a.task_id FROM plan_assignment a
           JOIN departments_department d ON d.id = a.department_id
           JOIN plan_task t ON t.id = a.task_id
           WHERE t.plan_id = (SELECT id FROM plan_plan ORDER BY year DESC LIMIT 1)
             AND d.code = ANY(%s)
           ORDER BY d.code, a.id""",
        (list(codes),),
    )
    found: dict[str, list[tuple[int, int]]] = {}
    for code, assignment, task in rows:
        found.setdefault(code, []).append((assignment, task))
    return found


def day_with_reminders(stack: Stack, python: str) -> str:
    """The first day ahead on which the schedule sends something (none sent yet)."""
    today = time.strftime("%Y-%m-%d")
    # The day after tomorrow: tomorrow here may be today in Shanghai, already sent.
    start = time.strftime("%Y-%m-%d", time.localtime(time.time() + 2 * 86400))
    end = f"{int(today[:4]) + 1}-12-31"
    env = os.environ | {"DATABASE_URL": stack.database_url, "DEBUG": "1"}
    out = subprocess.run(
        [python, "manage.py", "preview_reminders", "--from", start, "--to", end],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.splitlines()[0])["on"]


def queue_day_task_twice(stack: Stack, day: str) -> None:
    """The day's task queued twice (a doubled beat), for two workers to run at once."""
    sender = Celery(broker=stack.broker)
    sender.conf.task_default_queue = stack.queue
    for _ in range(2):
        sender.send_task(SEND_FOR_TODAY, args=[day])


def day_runs(stack: Stack) -> list[int]:
    """What each finished run of the day's task returned (new deliveries)."""
    pattern = re.escape(SEND_FOR_TODAY) + r"\[[^\]]+\] succeeded in [0-9.]+s: (\d+)"
    return [int(n) for n in re.findall(pattern, stack.log.read_text())]


# --- the load ----------------------------------------------------------------------------


@dataclass
class Run:
    timings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # entry id -> [(version the accepted write sent, summary written)]
    accepted: dict = field(default_factory=dict)
    conflicts: int = 0
    created: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)
    seconds: float = 0.0
    # The outbox before the load: the last delivery's id, and the emails already written.
    last_delivery: int = 0
    mails_before: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str, answer: Answer) -> None:
        self.errors.append(f"{what}: {answer.status} {answer.body[:300]!r}")


def mixed_load(stack: Stack, *, password: str, rounds: int, day: str) -> Run:
    run = Run()
    found = assignments(stack.database_url, DEPARTMENTS)
    staff = []
    for code in DEPARTMENTS:
        for username in (code, f"{code}-head"):
            browser = Browser(stack.base, run.timings)
            browser.sign_in(username, password)
            staff.append((code, browser))
    office = [Browser(stack.base, run.timings) for _ in range(2)]
    for browser in office:
        browser.sign_in("reviewer", password)

    # Each department's staff creates three drafts, on its first task.
    entries: dict[str, list[int]] = {}
    for code, browser in staff[::2]:
        task = found[code][0][1]
        for n in range(3):
            body = {"task": task, "happened_on": time.strftime("%Y-%m-%d"), "summary": f"{n}"}
            answer = browser.api("POST", "/api/ledger-entries/", body, label="api create")
            if answer.status != 201:
                run.error("create", answer)
                continue
            entries.setdefault(code, []).append(answer.json()["id"])
    run.created = [pk for pks in entries.values() for pk in pks]
    run.timings.clear()  # the figures are of the mixed load, not of signing in and creating

    def write(index: int) -> None:
        code, browser = staff[index]
        mine = entries.get(code, [])
        for n, pk in zip(range(rounds), itertools.cycle(mine), strict=False):
            read = browser.api("GET", f"/api/ledger-entries/{pk}/", label="api read")
            if read.status != 200:
                run.error("read", read)
                continue
            version = read.json()["version"]
            summary = f"writer {index} round {n}"
            body = {"summary": summary, "version": version}
            answer = browser.api("PATCH", f"/api/ledger-entries/{pk}/", body, label="api patch")
            with run.lock:
                if answer.status == 200:
                    run.accepted.setdefault(pk, []).append((version, summary))
                elif answer.status == 409:
                    run.conflicts += 1
                else:
                    run.error("patch", answer)
            if n % 3 == 0:
                page = browser.request("GET", "/ledger/", label="ledger page")
                if page.status != 200:
                    run.error("ledger page", page)

    def urge(index: int) -> None:
        browser = office[index]
        for code in DEPARTMENTS:
            assignment = found[code][1][0]
            answer = browser.post_form(
                "/dashboard/urge/",
                {"assignment": assignment, "message": f"office {index}"},
                label="urge",
            )
            if answer.status != 200:
                run.error("urge", answer)
            page = browser.request("GET", "/dashboard/", label="dashboard")
            if page.status != 200:
                run.error("dashboard", page)

    def evidence() -> None:
        code, browser = staff[0]
        task = found[code][0][1]
        fields = {"happened_on": time.strftime("%Y-%m-%d"), "summary": "附件", "status": "done"}
        answer = browser.post_form(
            f"/ledger/tasks/{task}/new/", fields, [("files", "会议纪要.pdf", PDF)], label="upload"
        )
        link = re.search(r'href="(/ledger/evidence/\d+/download/)"', answer.text())
        if answer.status != 200 or not link:
            run.error("upload", answer)
            return
        path = link.group(1)
        # Through the balancer twice (one instance, then the other), then from each directly.
        downloads = [browser.request("GET", path, label="download") for _ in range(2)]
        downloads += [
            browser.request("GET", path, base=i, label="download") for i in stack.instances
        ]
        run.evidence = {"path": path, "bodies": [(d.status, d.body) for d in downloads]}

    # The start's own reminders (the living demo's year) go out first.
    wait_outbox_empty(stack)
    run.last_delivery = query(
        stack.database_url, "SELECT coalesce(max(id), 0) FROM reminders_sentreminder"
    )[0][0]
    run.mails_before = Counter(mails(stack.mail_dir))
    start = time.perf_counter()
    queue_day_task_twice(stack, day)
    with ThreadPoolExecutor(max_workers=len(staff) + len(office) + 1) as pool:
        jobs = [pool.submit(write, i) for i in range(len(staff))]
        jobs += [pool.submit(urge, i) for i in range(len(office))]
        jobs.append(pool.submit(evidence))
        for job in jobs:
            job.result()
    run.seconds = time.perf_counter() - start
    return run


# --- the checks --------------------------------------------------------------------------


def lost_updates(stack: Stack, run: Run) -> list[str]:
    """Row by row: the accepted writes of an entry claimed versions 1, 2, … n one each; the
    entry is at version n + 1 with the text of the write that claimed n, and its history
    holds its creation and each accepted write."""
    problems = []
    rows = query(
        stack.database_url,
        """SELECT e.id, e.version, e.summary,
                  (SELECT count(*) FROM ledger_historicalledgerentry h WHERE h.id = e.id)
           FROM ledger_ledgerentry e WHERE e.id = ANY(%s)""",
        (run.created,),
    )
    for pk, version, summary, history in rows:
        writes = sorted(run.accepted.get(pk, []))
        claimed = [v for v, _ in writes]
        if claimed != list(range(1, len(writes) + 1)):
            problems.append(f"entry {pk}: accepted writes claimed versions {claimed}")
        if version != len(writes) + 1:
            problems.append(f"entry {pk}: version {version} after {len(writes)} writes")
        if writes and summary != writes[-1][1]:
            problems.append(f"entry {pk}: holds {summary!r}, the last write was {writes[-1][1]!r}")
        if history != len(writes) + 1:
            problems.append(f"entry {pk}: {history} history rows for {len(writes)} writes")
    if len(rows) != len(run.created):
        problems.append(f"{len(run.created)} entries created, {len(rows)} found")
    return problems


def unsent(stack: Stack) -> int:
    return query(
        stack.database_url, "SELECT count(*) FROM reminders_sentreminder WHERE emailed_at IS NULL"
    )[0][0]


def wait_outbox_empty(stack: Stack, timeout: float = 150) -> None:
    """Until every delivery is emailed (the workers, or beat's sweep every minute)."""
    deadline = time.monotonic() + timeout
    while unsent(stack) and time.monotonic() < deadline:
        time.sleep(1)


def emails_not_once(stack: Stack, run: Run) -> list[str]:
    """Every delivery the load made to someone with an email address, emailed exactly once:
    the emails written since it began and the deliveries it made, compared as multisets of
    (To, Subject). Call it once nothing is left unsent."""
    stored = Counter(
        query(
            stack.database_url,
            """SELECT u.email, n.subject FROM reminders_sentreminder s
               JOIN auth_user u ON u.id = s.recipient_id
               JOIN reminders_notification n ON n.delivery_id = s.id
               WHERE u.email <> '' AND s.id > %s""",
            (run.last_delivery,),
        )
    )
    sent = Counter(mails(stack.mail_dir)) - run.mails_before
    problems = [f"{key} emailed {sent[key]} times" for key in stored if sent[key] != stored[key]]
    problems += [f"{key} emailed, never delivered" for key in sent if key not in stored]
    return problems


def urges(stack: Stack) -> list[tuple]:
    """(department code, times urged, deliveries) of the load's urges."""
    return query(
        stack.database_url,
        """SELECT d.code, u.times,
                  (SELECT count(*) FROM reminders_sentreminder s
                   WHERE s.kind = 'urge' AND s.target = 'urge:' || u.id)
           FROM reminders_urge u JOIN departments_department d ON d.id = u.department_id
           WHERE u.message LIKE 'office %%' ORDER BY d.code""",
    )


def figures(run: Run) -> dict:
    times = sorted(seconds for _, seconds, _ in run.timings)
    by_label = {}
    for label in sorted({label for label, _, _ in run.timings}):
        mine = sorted(s for lbl, s, _ in run.timings if lbl == label)
        by_label[label] = {"n": len(mine), "median_ms": round(statistics.median(mine) * 1000, 1)}
    return {
        "requests": len(times),
        "seconds": round(run.seconds, 2),
        "requests_per_second": round(len(times) / run.seconds, 1),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(statistics.quantiles(times, n=100)[98] * 1000, 1),
        "errors": len(run.errors),
        "conflicts_409": run.conflicts,
        "accepted_patches": sum(len(w) for w in run.accepted.values()),
        "by_request": by_label,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="PATCHes per staff member")
    parser.add_argument("--port", type=int, default=8140, help="the balancer; +1, +2 instances")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"disclosure_stack_{os.getpid()}"
    admin = psycopg.connect(server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    scratch = Path(f"/tmp/{name}")
    stack = stack_start(
        database_url=server.rsplit("/", 1)[0] + f"/{name}",
        broker=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        var_dir=scratch,
        ports=[args.port, args.port + 1, args.port + 2],
        python=sys.executable,
    )
    try:
        stack_wait(stack)
        day = day_with_reminders(stack, sys.executable)
        password = os.environ.get("DEMO_PASSWORD", "disclosure-demo")
        run = mixed_load(stack, password=password, rounds=args.rounds, day=day)
        deadline = time.monotonic() + 120
        while len(day_runs(stack)) < 2 and time.monotonic() < deadline:
            time.sleep(1)
        wait_outbox_empty(stack)
        report = figures(run) | {
            "served_by_instance": dict(served_by(stack)),
            "lost_updates": lost_updates(stack, run),
            "emails_not_once": emails_not_once(stack, run),
            # The machine's load while it ran (other work shares its cores).
            "load_average": os.getloadavg(),
            "day": day,
            "day_runs": day_runs(stack),
            "urges": urges(stack),
            "file_same_everywhere": len({body for _, body in run.evidence.get("bodies", [])}) == 1,
            "error_samples": run.errors[:5],
        }
    finally:
        stack_stop(stack)
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
