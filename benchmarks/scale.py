"""Flat as the ledger grows, and many years (issue 17): the office's pages at ledger sizes
and over five yearly plans, each against the product's empty frame, in one run.

    .venv/bin/python benchmarks/scale.py                 # SQLite 10k, 200k; PostgreSQL 10k, 1M;
                                                         # five years × 200k on PostgreSQL
    .venv/bin/python benchmarks/scale.py --backends sqlite --sizes 10000 200000 --years-size 0
    .venv/bin/python benchmarks/scale.py ... --keep /tmp/scale   # seed once, measure again

For each backend and size a fresh database is migrated, `seed_demo --accounts` makes the
departments, accounts and the 2016 plan (17 tasks), and benchmarks/seeding.py writes the
entries with their history in batches (COPY on PostgreSQL). "Many years" adds four synthetic
plans (2012–2015: 300, 150, 60 and 30 tasks) and gives each of the five years
`--years-size` entries. Then, in a child process (DEBUG off, "now" 2016-10-19 10:00
Shanghai, after VACUUM ANALYZE / ANALYZE), signed in as the office's reviewer, each page
below is requested in turn through Django's test client, `--requests` times after 3 warm-ups:
the median of each, its ratio to the empty frame (`/bench-empty-page/`: base.html signed in,
nothing of its own) and its query count. With `--keep DIR` the databases are kept (SQLite
files in DIR; PostgreSQL databases named by BENCH_DATABASE_PREFIX and the size) and a
later run with the same DIR migrates and measures them without seeding again. The goals:
the dashboard within 3× the empty frame, and within 1.2× its own time at the smallest size
of the run.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import (  # noqa: E402 - the path above makes the project importable
    PYTHON,
    child_env,
    database_name,
    drop_database,
    fresh_database,
    fresh_statistics,
    postgres_admin_url,
    postgres_execute,
    postgres_reachable,
    run,
)

YEARS = {2012: 300, 2013: 150, 2014: 60, 2015: 30}  # tasks of each synthetic plan
GOALS = {"frame": 3.0, "growth": 1.2}
AFRESH = "dashboard, built afresh"


def pages(reviewer_department: str, rounds: dict) -> dict:
    return {
        "empty frame": "/bench-empty-page/",
        "dashboard": "/dashboard/",
        "dashboard, filtered": f"/dashboard/?status=on_track&department={reviewer_department}",
        "dashboard, changed since": "/dashboard/?changed_since=2016-10-01",
        "dashboard as of last month": "/dashboard/?as_of=2016-09-30",
        "dashboard as of 3 years back": "/dashboard/?as_of=2013-10-17",
        "ledger page": "/ledger/",
        **{f"review round {year}": f"/reviews/{pk}/" for year, pk in rounds.items()},
        "API tasks": "/api/tasks/",
        "API tasks by status": "/api/tasks/?status=overdue",
        # The dashboard with its kept body forgotten before each request (not timed): what
        # the first look after a change costs (tasks_ledger/ledger/kept_pages.py).
        AFRESH: "/dashboard/",
    }


def bench(
    backend: str, size: int, years: bool, requests: int, scratch: Path, keep: Path | None
) -> dict:
    label = (f"{size}x5" if years else str(size)).replace("x", "_")
    if keep is None:
        url = fresh_database(backend, label, scratch)
        seeded_mark = None
    else:
        url, seeded_mark = kept_database(backend, label, keep)
    try:
        env = child_env(url, scratch)
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
        seeded = 0.0
        if seeded_mark is None or not seeded_mark.exists():
            run([PYTHON, "manage.py", "seed_demo", "--accounts"], env)
            started = time.perf_counter()
            seed = [PYTHON, __file__, "--seed", str(size)] + (["--many-years"] if years else [])
            run(seed, env)
            seeded = time.perf_counter() - started
            if seeded_mark is not None:
                seeded_mark.write_text(f"{seeded:.1f}")
        else:
            seeded = float(seeded_mark.read_text())
        out = run([PYTHON, __file__, "--measure", "--requests", str(requests)], env)
        result = json.loads(out.strip().splitlines()[-1])
        result.update(backend=backend, size=size, years=5 if years else 1)
        result["seed_seconds"] = round(seeded, 1)
        return result
    finally:
        if keep is None:
            drop_database(backend, url)


def kept_database(backend: str, label: str, keep: Path) -> tuple[str, Path]:
    """The kept database of `label` (created when missing) and the file that marks it
    seeded."""
    keep.mkdir(parents=True, exist_ok=True)
    mark = keep / f"{backend}_{label}.seeded"
    if backend == "sqlite":
        return f"sqlite:///{keep / f'bench_{label}.sqlite3'}", mark
    name = database_name(label)
    if not mark.exists():
        postgres_execute(f'DROP DATABASE IF EXISTS "{name}"')
        postgres_execute(f'CREATE DATABASE "{name}"')
    return postgres_admin_url().rsplit("/", 1)[0] + f"/{name}", mark


def report(results: list) -> None:
    smallest = {}
    for r in results:
        if r["years"] == 1:
            smallest.setdefault(r["backend"], r)
    for r in results:
        entries = r["size"] * r["years"]
        where = f"{r['years']} plans, " if r["years"] > 1 else ""
        print(
            f"\n== {r['backend']}, {where}{entries:,} entries "
            f"(seeded in {r['seed_seconds']} s, {r['history_rows']:,} history rows)"
        )
        frame = r["pages"]["empty frame"]["median_ms"]
        cpu_frame = r["pages"]["empty frame"]["cpu_ms"]
        base = smallest.get(r["backend"])
        for name, f in r["pages"].items():
            line = (
                f"  {name:30} median {f['median_ms']:7.1f} ms  p90 {f['p90_ms']:7.1f} ms  "
                f"CPU {f['cpu_ms']:7.1f} ms  {f['median_ms'] / frame:5.1f}× frame "
                f"(CPU {f['cpu_ms'] / cpu_frame:4.1f}×)  {f['queries']:2} queries  "
                f"first {f.get('first_ms', 0):7.1f} ms"
            )
            if base is not None and base is not r and name in base["pages"]:
                growth = f["median_ms"] / base["pages"][name]["median_ms"]
                growth_cpu = f["cpu_ms"] / base["pages"][name]["cpu_ms"]
                line += f"  {growth:4.2f}× (CPU {growth_cpu:4.2f}×) at {base['size']:,}"
            print(line)
        board = r["pages"]["dashboard"]["median_ms"]
        board_cpu = r["pages"]["dashboard"]["cpu_ms"]
        print(
            f"  goal: dashboard ≤ {GOALS['frame']:.0f}× frame: {board / frame:.1f}× "
            f"(CPU {board_cpu / cpu_frame:.1f}×)"
            + (
                f"; ≤ {GOALS['growth']}× its time at {base['size']:,}: "
                f"{board / base['pages']['dashboard']['median_ms']:.2f}× "
                f"(CPU {board_cpu / base['pages']['dashboard']['cpu_ms']:.2f}×)"
                if base is not None and base is not r
                else ""
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="+", type=int, help="default: 10k, 200k / 10k, 1M")
    parser.add_argument("--years-size", type=int, default=200_000, help="0: no many-years run")
    parser.add_argument("--years-backend", default="postgres")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--keep", type=Path, help="keep the databases here, and reuse them")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--many-years", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        return seed(args.seed, many_years=args.many_years)
    if args.measure:
        return measure(args.requests)
    import tempfile

    results = []
    with tempfile.TemporaryDirectory(prefix="disclosure-scale-") as tmp:
        for backend in args.backends:
            if backend == "postgres" and not postgres_reachable():
                continue
            default = [10_000, 200_000] if backend == "sqlite" else [10_000, 1_000_000]
            for size in args.sizes or default:
                results.append(bench(backend, size, False, args.requests, Path(tmp), args.keep))
                report(results[-1:] if len(results) == 1 else [results[0], results[-1]])
            if args.years_size and backend == args.years_backend:
                results.append(
                    bench(backend, args.years_size, True, args.requests, Path(tmp), args.keep)
                )
                report([results[-1]])
    print("\n\n=== all figures")
    report(results)
    if args.json:
        print(json.dumps(results, indent=2))


# --- the children: seeding, and the measurement in one Django process ---------------------


def seed(size: int, *, many_years: bool) -> None:
    import django

    django.setup()
    from benchmarks.seeding import seed_ledger, synthetic_plan
    from tasks_ledger.plan.models import Plan

    # `seed_demo --accounts` copies the 2016 plan to the real year as the living demo and
    # closes 2016: the measured pages ("now" in 2016) must show the seeded 2016 plan, so it
    # is active again (Plan.objects.current() prefers the active plan of "this year").
    Plan.objects.filter(year=2016).update(status=Plan.Status.ACTIVE)
    plans = [Plan.objects.get(year=2016)]
    if many_years:
        plans += [synthetic_plan(year=year, tasks=tasks) for year, tasks in YEARS.items()]
    for plan in plans:
        seed_ledger(plan=plan, count=size, seed=plan.year)


def measure(requests: int) -> None:
    import django
    import time_machine

    time_machine.travel(os.environ.get("BENCH_NOW", "2016-10-19T10:00:00+08:00")).start()
    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "benchmarks.urls"
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from tasks_ledger.ledger import kept_pages
    from tasks_ledger.ledger.models import LedgerEntry
    from tasks_ledger.plan.models import Assignment, ReviewRound

    def get(name, url):
        if name == AFRESH:
            kept_pages.forget()
        return client.get(url)

    # Right after a bulk load the planner would otherwise guess, and guess badly.
    fresh_statistics(connection)
    rounds = {
        r.plan.year: r.pk
        for r in ReviewRound.objects.filter(kind="check").select_related("plan")
        if r.plan.year in (2016, 2013)
    }
    department = Assignment.objects.filter(task__plan__year=2016).first().department.code
    urls = pages(department, rounds)
    client = Client()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    # The first request of each page apart: "as of" a day, it stores the day's rows
    # (ledger/asof.py), which later requests read.
    first = {}
    for name, url in urls.items():
        started = time.perf_counter()
        assert get(name, url).status_code == 200, url
        first[name] = time.perf_counter() - started
    for _ in range(2):
        for name, url in urls.items():
            assert get(name, url).status_code == 200, url
    samples = {name: [] for name in urls}
    # This process's CPU time as well as the wall clock: the machine is shared, and other
    # work's load moves the wall clock far more than the CPU this page costs (on SQLite
    # that includes the database's work; on PostgreSQL the server's is not in it).
    cpu = {name: [] for name in urls}
    # The dashboard built afresh in rounds of its own, after the others: each of its
    # requests forgets every kept body, which would have the other pages rebuilt too.
    rounds_of = [[n for n in urls if n != AFRESH], [AFRESH]]
    for names in rounds_of:
        for _ in range(requests):
            for name in names:
                if name == AFRESH:
                    kept_pages.forget()
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(urls[name])
                samples[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - started_cpu)
    result = {}
    for name in [name for names in rounds_of for name in names]:
        url = urls[name]
        client.get(url)  # kept again, if the dashboard built afresh forgot it
        queries = []

        def counted(execute, *args, queries=queries):
            queries.append(1)
            return execute(*args)

        with connection.execute_wrapper(counted):
            get(name, url)
        ordered = sorted(samples[name])
        result[name] = {
            "median_ms": statistics.median(ordered) * 1000,
            "p90_ms": ordered[int(0.9 * (len(ordered) - 1))] * 1000,
            "cpu_ms": statistics.median(cpu[name]) * 1000,
            "queries": len(queries),
            "first_ms": first[name] * 1000,
        }
    history = LedgerEntry.history.model.objects.count()
    print(json.dumps({"pages": result, "history_rows": history}))


if __name__ == "__main__":
    main()
