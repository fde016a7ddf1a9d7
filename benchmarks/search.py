"""Speed of /search/ on a large ledger (issue 14: under 100 ms at 1,000,000 entries on
PostgreSQL).

    .venv/bin/python benchmarks/search.py                          # PostgreSQL, 1,000,000
    .venv/bin/python benchmarks/search.py --backends sqlite --sizes 200000
    .venv/bin/python benchmarks/search.py --keep h_search_1m      # seeded, measured, kept
    DATABASE_URL=postgres://…/kept DEBUG=0 .venv/bin/python benchmarks/search.py --measure

For each backend and size: a fresh database (benchmarks/scratch.py), migrated (so the
search's indexes and triggers exist) and seeded: `manage.py seed_demo --accounts
--entries N` on SQLite; on PostgreSQL seed_demo's first 1,000 and the rest by
`scratch.bulk_entries` inside the server. Then, in a child process with DEBUG off and
after ANALYZE (VACUUM ANALYZE on PostgreSQL, as autovacuum would have done), each query of
QUERIES is requested through Django's test client, signed in as the office's `reviewer`
and as a department's staff, `--requests` times after one warm-up (which fills the
frame's cache of 待办 counts, the steady state a user sees): median and 99th percentile of
the whole page, in ms; and each persona's 待办 counts counted afresh. `--measure` alone
measures the database of DATABASE_URL as it is.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import (  # noqa: E402 - the path above makes the project importable
    PYTHON,
    fresh_statistics,
    percentile,
    postgres_reachable,
    run,
    scratch_database,
)

# What people would type, from rare to everywhere in the synthetic ledger (demo.WORK etc.).
QUERIES = {
    "rare 文号": "宿交发〔2016〕123号",
    "4-char, 1 in 6 entries": "专项培训",
    "problems, 1 in 5": "基层单位报送",
    "a task's title word": "权力清单",
    "department name": "安全处",
    "2-char, 7 in 10": "公开",
    "2-char, rare": "骨干",
    "1-char": "训",
    "no hit": "不存在的词语",
}
PERSONAS = {"office": "reviewer", "staff": "safety"}


def bench(backend: str, size: int, requests: int, keep: str) -> dict:
    with scratch_database(backend, size, bulk=True, keep=keep) as (env, seeded):
        out = run([PYTHON, __file__, "--measure", "--requests", str(requests)], env)
    result = json.loads(out.strip().splitlines()[-1])
    result.update(backend=backend, size=size, seed_seconds=round(seeded, 1))
    return result


def measure(requests: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from tasks_ledger.reminders.todo import todo_counts
    from tasks_ledger.search.selectors import SearchFilters, search

    # Right after a bulk load the planner would otherwise guess, and guess badly.
    fresh_statistics(connection)
    results = {}

    def timed(fn, requests):
        fn()  # warm-up: also fills the frame's cache of 待办 counts, as a user's first page does
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000, percentile(samples, 0.99) * 1000

    for persona, username in PERSONAS.items():
        client = Client()
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        # The floor: the same page with no query (header, menu, 待办 counts, the form), in
        # the steady state a user sees: the 待办 counts from the cache (todo_cache.py). And
        # those counts counted afresh, as the first page after a change of them pays.
        floor, _ = timed(lambda c=client: c.get("/search/"), requests)
        todo, _ = timed(lambda u=user: todo_counts(user=u), 3)
        results[f"{persona}: 待办 counts uncached"] = {"median_ms": todo}
        for label, q in QUERIES.items():
            median, p99 = timed(lambda q=q, c=client: c.get("/search/", {"q": q}), requests)
            # The selector alone, and the counts (the test client keeps no context here).
            selector, _ = timed(lambda q=q, u=user: search(user=u, filters=SearchFilters(q=q)), 3)
            page = search(user=user, filters=SearchFilters(q=q))
            results[f"{persona}: {label}"] = {
                "q": q,
                "tasks": page.paginator.count,
                "entries_on_page": sum(task.entry_hits for task in page),
                "median_ms": median,
                "p99_ms": p99,
                "selector_ms": selector,
                "floor_ms": floor,
            }
    print(json.dumps(results))


def report(r: dict) -> None:
    print(f"\n== {r['backend']}, {r['size']:,} entries (seeded in {r['seed_seconds']} s)")
    for label, f in r.items():
        if isinstance(f, dict) and "q" not in f:
            print(f"{label:32} {f['median_ms']:7.1f} ms")
        elif isinstance(f, dict):
            print(
                f"{label:32} {f['q']:12} median {f['median_ms']:7.1f} ms, "
                f"p99 {f['p99_ms']:7.1f} ms, selector {f['selector_ms']:7.1f} ms, "
                f"page without a query {f['floor_ms']:6.1f} ms ({f['tasks']} tasks, "
                f"{f['entries_on_page']:,} matching entries on page 1)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=["postgres"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1_000_000])
    parser.add_argument("--requests", type=int, default=15, help="timed requests per query")
    parser.add_argument(
        "--keep", default="", metavar="NAME", help="PostgreSQL: seed into NAME and keep it"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args()
    if args.measure:
        measure(args.requests)
        return
    results = []
    for backend in args.backends:
        if backend == "postgres" and not postgres_reachable():
            continue
        for size in args.sizes:
            result = bench(backend, size, args.requests, args.keep)
            report(result)
            results.append(result)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
