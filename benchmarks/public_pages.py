"""Speed of the public pages for crowds, measured (issue 15).

    .venv/bin/python benchmarks/public_pages.py                   # scratch SQLite
    .venv/bin/python benchmarks/public_pages.py --database-url postgres://…/scratch_db

A fresh database is migrated and seeded (`seed_demo --accounts --entries N`); the 2016 plan
is published, a third of the entries accepted and a public text passed 保密审查 for every
task, through the services. Then gunicorn serves the product (benchmarks/wsgi.py: the
product's URLs plus the baselines of benchmarks/urls.py) and CLIENTS concurrent anonymous
clients, each on its own keep-alive connection, request for SECONDS each in turn:
  * /bench-hello-cached/  a hello-world through Django's per-view cache (the baseline),
  * /public/2016/         the year page (cached per public edition, with validators),
reporting throughput, median and 99th percentile. Goal: /public/<year>/ within 2× of the
cached hello-world. The clients run on the same machine as the server (2 shared cores
here), so both sides compete for the CPU: the ratio matters more than the absolute figures.
"""

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch import child_env  # noqa: E402 - the path above makes it importable

PYTHON = sys.executable
GOAL_RATIO = 2.0

PREPARE = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan
from tasks_ledger.publishing import services
from tasks_ledger.publishing.selectors import accepted_entries, draft_text

plan = Plan.objects.get(year=2016)
office = get_user_model().objects.get(username="reviewer")
secrecy = get_user_model().objects.get(username="secrecy")
ids = list(LedgerEntry.objects.filter(task__plan=plan).values_list("pk", flat=True)[::3])
LedgerEntry.objects.filter(pk__in=ids).update(
    state=LedgerEntry.State.ACCEPTED, submitted_at=timezone.now()
)
if not hasattr(plan, "publication"):
    services.plan_publish(plan=plan, by=office)
for task in plan.tasks.all():
    text = draft_text(list(accepted_entries(task))[:3]) or task.title
    proposal = services.proposal_create(task=task, text=text[:2000], by=office)
    services.proposal_review(proposal=proposal, decision="passed", by=secrecy)
print("prepared", plan.tasks.count(), "tasks")
"""


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def hammer(port: int, path: str, clients: int, seconds: float) -> dict:
    """`clients` threads, each with one keep-alive connection, request `path` until the
    time is up; every latency is kept."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        mine = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "median_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a scratch database (default: SQLite in a temp dir)")
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        url = args.database_url or f"sqlite:///{scratch / 'public.sqlite3'}"
        env = child_env(url, scratch, hosts="127.0.0.1,localhost")
        manage(env, "migrate", "-v", "0")
        manage(env, "seed_demo", "--accounts", "--entries", str(args.entries))
        manage(env, "shell", "-c", PREPARE)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "benchmarks.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--worker-class=gthread",
                f"--threads={args.threads}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(port)
            results = {}
            for path in ("/bench-hello-cached/", "/public/2016/"):
                hammer(port, path, args.clients, 2.0)  # warm-up: caches, connections
                results[path] = hammer(port, path, args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=10)

    hello, page = results["/bench-hello-cached/"], results["/public/2016/"]
    print(
        f"gunicorn {args.workers} workers × {args.threads} threads, {args.clients} clients, "
        f"{args.seconds:.0f} s each, {args.entries} entries, {url.split(':', 1)[0]}"
    )
    for path, r in results.items():
        print(
            f"{path:22} {r['rps']:8.0f} req/s  median {r['median_ms']:6.1f} ms  "
            f"p99 {r['p99_ms']:6.1f} ms  ({r['requests']} requests, {r['errors']} errors)"
        )
    ratio_p99 = page["p99_ms"] / hello["p99_ms"]
    ratio_rps = hello["rps"] / page["rps"]
    verdict = "met" if max(ratio_p99, ratio_rps) <= GOAL_RATIO else "NOT met"
    print(
        f"/public/2016/ vs cached hello-world: p99 {ratio_p99:.2f}×, throughput "
        f"{ratio_rps:.2f}× (goal ≤ {GOAL_RATIO:.0f}×: {verdict})"
    )


if __name__ == "__main__":
    main()
