"""The whole product under a mixed load, through gunicorn on PostgreSQL (issue 17).

    .venv/bin/python -m benchmarks.load                        # every candidate, 3 rounds
    .venv/bin/python -m benchmarks.load --candidates sync4 gthread2x8 --seconds 20 --rounds 2

A scratch database (on BENCH_POSTGRES_URL's server) is migrated and seeded
(`seed_demo --accounts --entries N`). Then, for each round and each candidate server setup in
turn (interleaved, so that a machine shared with other work slows them all alike), gunicorn
serves the product with production settings (DEBUG=0, `disclosure.wsgi`) and CLIENTS
concurrent clients drive it for SECONDS after a short warm-up:
  * the office's reviewers: the dashboard and the review queue (browser sessions);
  * departments' staff: the ledger's landing page and a task's page (browser sessions);
  * API clients (a staff member's token): read an entry and PATCH it with the version read,
    several clients on the same few entries so that the version check is exercised (a 409
    is the right answer to a stale version, not an error), and create entries.
It prints requests/s, p50/p95/p99 and errors of each candidate and the ratios to the first
(today's setup). Afterwards it checks row by row that no update was lost: every PATCH
answered 200 is in the entry's history at the version it was answered with (no two at the
same version), the row carries the last of them, and every created entry exists.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.load_clients import Connection, Run, drive

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")

# name: (gunicorn flags, environment). The first is today's setup, the ratios' base.
CANDIDATES = {
    "sync4": (["--worker-class", "sync", "--workers", "4"], {"DB_CONN_MAX_AGE": "60"}),
    "sync2": (["--worker-class", "sync", "--workers", "2"], {"DB_CONN_MAX_AGE": "60"}),
    "gthread2x8": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "8"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread4x4": (
        ["--worker-class", "gthread", "--workers", "4", "--threads", "4"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread3x6": (
        ["--worker-class", "gthread", "--workers", "3", "--threads", "6"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread2x8-pool": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "8"],
        {"DB_POOL_MAX_SIZE": "8"},
    ),
    "gthread4x4-pool": (
        ["--worker-class", "gthread", "--workers", "4", "--threads", "4"],
        {"DB_POOL_MAX_SIZE": "4"},
    ),
    "sync4-pool": (["--worker-class", "sync", "--workers", "4"], {"DB_POOL_MAX_SIZE": "1"}),
    # As shipped: gunicorn.conf.py and the settings' defaults, no flags.
    "chosen": ([], {}),
    # The driver alone: psycopg 3 with persistent connections, no pool.
    "gthread2x8-pg3": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "8"],
        {"DB_CONN_MAX_AGE": "60", "PSYCOPG3": "1"},
    ),
}
# Where psycopg 3 is found for the candidates that need it (the pool needs it), when it is
# not installed beside psycopg2 (Django prefers psycopg 3 whenever it can import it).
PSYCOPG3_PATH = os.environ.get("LOAD_PSYCOPG3_PATH", "")


# --- in a child process with the scratch database's settings: prepare and check -----------


def prepare() -> None:
    """Prints the clients' credentials and targets as JSON: browser sessions for the
    reviewer and each department's staff, a staff API token per department, the
    department's tasks, and three shared drafts that its API clients all write to."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from departments.models import Membership
    from tasks_ledger.ledger.services import ledger_entry_create
    from tasks_ledger.plan.models import Assignment, Plan

    with connection.cursor() as cursor:  # statistics, as a live database has them
        cursor.execute("VACUUM ANALYZE")
    plan = Plan.objects.current()

    def session(user):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    departments = []
    for membership in Membership.objects.filter(role=Membership.Role.STAFF).select_related(
        "user", "department"
    ):
        assignments = list(
            Assignment.objects.filter(task__plan=plan, department=membership.department)
            .select_related("task")
            .order_by("id")
        )
        if not assignments:
            continue
        staff, task = membership.user, assignments[0].task
        data = {"happened_on": f"{plan.year}-10-18", "summary": "共享草稿"}
        shared = [
            ledger_entry_create(task=task, department=membership.department, by=staff, data=data)
            for _ in range(3)
        ]
        departments.append(
            {
                "session": session(staff),
                "token": Token.objects.get_or_create(user=staff)[0].key,
                "tasks": [a.task_id for a in assignments],
                "shared": [entry.pk for entry in shared],
                "year": plan.year,
            }
        )
    reviewer = get_user_model().objects.get(username="reviewer")
    print(json.dumps({"reviewer": session(reviewer), "departments": departments}))


def check(path: str) -> None:
    """Row by row: every PATCH answered 200 is in the entry's history at the version it
    was answered with, no two at the same version, the row carries the last one; every
    entry answered 201 exists with its text. Prints the count of lost updates as JSON."""
    import django

    django.setup()
    from tasks_ledger.ledger.models import LedgerEntry

    acks = json.loads(Path(path).read_text())
    lost, problems = 0, []
    by_entry: dict[int, list] = {}
    for entry_id, version, summary in acks["patched"]:
        by_entry.setdefault(entry_id, []).append((version, summary))
    for entry_id, answered in by_entry.items():
        history = {}
        for version, summary in LedgerEntry.history.filter(id=entry_id).values_list(
            "version", "summary"
        ):
            history.setdefault(summary, []).append(version)
        for version, summary in answered:
            # Each PATCH sent a text of its own: it must be in the history exactly once, at
            # the version the answer named (when the answer still showed this PATCH's text:
            # the answer is read after commit, so a faster PATCH may already show instead).
            if len(history.get(summary, [])) != 1 or version not in (None, *history[summary]):
                lost += 1
                problems.append(
                    f"entry {entry_id}: {summary!r} answered v{version}, history "
                    f"has it at {history.get(summary, [])}"
                )
        row = LedgerEntry.objects.get(pk=entry_id)
        latest = LedgerEntry.history.filter(id=entry_id).order_by("-version", "-history_id")[0]
        if (row.version, row.summary) != (latest.version, latest.summary):
            lost += 1
            problems.append(f"entry {entry_id}: the row is not its latest history")
    created = dict(
        LedgerEntry.objects.filter(pk__in=[pk for pk, _ in acks["created"]]).values_list(
            "pk", "summary"
        )
    )
    for entry_id, summary in acks["created"]:
        if created.get(entry_id) != summary:
            lost += 1
            problems.append(f"created entry {entry_id} is missing")
    print(
        json.dumps(
            {
                "patches": len(acks["patched"]),
                "creates": len(acks["created"]),
                "lost": lost,
                "problems": problems[:20],
            }
        )
    )


# --- the parent: a scratch database, the servers in turn, the figures ---------------------


def child_env(url: str, scratch: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    for name in ("DB_POOL_MAX_SIZE", "DB_CONN_MAX_AGE", "WEB_WORKERS", "WEB_THREADS"):
        env.pop(name, None)  # each candidate says its own
    env.update(
        DATABASE_URL=url,
        VAR_DIR=str(scratch),
        DEBUG="0",  # production settings: no query log, no debug pages
        SECRET_KEY="load-benchmark-only-secret-key",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="disclosure.settings",
        PYTHONPATH=str(ROOT),
        **(extra or {}),
    )
    return env


def run(args, env) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def serve(name: str, port: int, env: dict) -> subprocess.Popen:
    flags, extra = CANDIDATES[name]
    if PSYCOPG3_PATH and ("DB_POOL_MAX_SIZE" in extra or "PSYCOPG3" in extra):
        extra = {**extra, "PYTHONPATH": f"{PSYCOPG3_PATH}:{ROOT}"}
    server = subprocess.Popen(
        [GUNICORN, "disclosure.wsgi", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        + flags,
        cwd=ROOT,
        env={**env, **extra},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = Connection(port, {}).request("GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"{name}: gunicorn exited with {server.returncode}")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{name}: gunicorn did not answer within a minute")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def summarize(runs: list[Run], seconds: float) -> dict:
    latencies = [t for r in runs for t in r.latencies]
    return {
        "requests": len(latencies),
        "rps": len(latencies) / (seconds * len(runs)),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": sum(len(r.errors) for r in runs),
        "first_errors": [e for r in runs for e in r.errors][:5],
        "conflicts": sum(r.conflicts for r in runs),
        "patches": sum(len(r.patched) for r in runs),
        "creates": sum(len(r.created) for r in runs),
    }


def load(args) -> dict:
    admin = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    import psycopg2  # only the parent's scratch database; the servers use Django's driver

    def admin_execute(sql):
        connection = psycopg2.connect(admin)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    name = args.database
    admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin_execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    runs: dict[str, list[Run]] = {candidate: [] for candidate in args.candidates}
    try:
        with tempfile.TemporaryDirectory(prefix="disclosure-load-") as tmp:
            env = child_env(url, Path(tmp), {"CACHE_URL": args.cache_url} if args.cache_url else {})
            # No static files are asked for; the folder only spares WhiteNoise's warning.
            (Path(tmp) / "staticfiles").mkdir()
            run([PYTHON, "manage.py", "migrate", "-v0"], env)
            run(
                [PYTHON, "manage.py", "seed_demo", "--accounts", "--entries", str(args.entries)],
                env,
            )
            world = json.loads(
                run([PYTHON, "-m", "benchmarks.load", "--prepare"], env).strip().splitlines()[-1]
            )
            for round_no in range(args.rounds):
                for candidate in args.candidates:
                    server = serve(candidate, args.port, env)
                    try:
                        drive(args.port, world, args.clients, args.warmup, Run())
                        measured = Run()
                        drive(args.port, world, args.clients, args.seconds, measured)
                    finally:
                        server.terminate()
                        server.wait()
                    runs[candidate].append(measured)
                    s = summarize([measured], args.seconds)
                    print(
                        f"round {round_no + 1} {candidate:16} {s['rps']:7.1f} req/s  "
                        f"p50 {s['p50_ms']:6.1f}  p99 {s['p99_ms']:6.1f} ms  "
                        f"errors {s['errors']}",
                        file=sys.stderr,
                    )
            acks = Path(tmp) / "acks.json"
            acks.write_text(
                json.dumps(
                    {
                        "patched": [p for rs in runs.values() for r in rs for p in r.patched],
                        "created": [c for rs in runs.values() for r in rs for c in r.created],
                    }
                )
            )
            checked = json.loads(
                run([PYTHON, "-m", "benchmarks.load", "--check", str(acks)], env).split("\n")[-2]
            )
    finally:
        admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
    figures = {candidate: summarize(rs, args.seconds) for candidate, rs in runs.items()}
    return {"candidates": figures, "check": checked, "clients": args.clients}


def report(result: dict) -> None:
    figures = result["candidates"]
    base = next(iter(figures.values()))
    print(f"{result['clients']} clients; ratios to {next(iter(figures))} (today's setup)")
    print(f"{'setup':16} {'req/s':>7} {'×':>5} {'p50':>7} {'p95':>7} {'p99':>7} errors  409s")
    for name, f in figures.items():
        print(
            f"{name:16} {f['rps']:7.1f} {f['rps'] / base['rps']:5.2f} {f['p50_ms']:7.1f} "
            f"{f['p95_ms']:7.1f} {f['p99_ms']:7.1f} {f['errors']:6} {f['conflicts']:5}"
        )
        for error in f["first_errors"]:
            print(f"    {error}")
    check = result["check"]
    print(
        f"lost updates: {check['lost']} (checked {check['patches']} PATCHes answered 200, "
        f"{check['creates']} creates)"
    )
    for problem in check["problems"]:
        print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=CANDIDATES)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured, per slot")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured, per slot")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8110)))
    parser.add_argument(
        "--cache-url", default=os.environ.get("CACHE_URL", ""), help="Redis, as in production"
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("LOAD_DATABASE", f"disclosure_load_{os.getpid()}"),
        help="the scratch database's name (dropped before and after)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare()
    if args.check:
        return check(args.check)
    result = load(args)
    print(json.dumps(result)) if args.json else report(result)


if __name__ == "__main__":
    main()
