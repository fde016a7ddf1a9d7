"""Speed of the dashboard and the ledger export, measured (issue 4).

    .venv/bin/python benchmarks/run.py                      # SQLite and PostgreSQL, 10k, 20k, 100k
    .venv/bin/python benchmarks/run.py --backends sqlite --sizes 10000

For each backend and size: a fresh database is migrated and seeded with
`manage.py seed_demo --accounts --entries N`; then, in a child process,
  * the dashboard and a hello-world view (benchmarks/urls.py, through a ROOT_URLCONF
    override) are requested in turn by the same Django handler with the same middleware,
    signed in as the office's reviewer: median and 99th percentile of each, and the ratio;
  * the ledger export (tasks_ledger.excel.export.write_ledger) is timed against raw
    openpyxl write-only appending the same rows from the same query: rows per second of
    each, and the ratio; then both run again under tracemalloc for their peak memory.
"Now" is BENCH_NOW (default 2016-10-19 10:00 Shanghai, inside the seeded plan's year).
PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a
server where a scratch database may be created and dropped; unreachable, it is skipped.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import (  # noqa: E402 - the path above makes the project importable
    PYTHON,
    ROOT,
    fresh_statistics,
    percentile,
    postgres_reachable,
    run,
    scratch_database,
)

GOALS = {"dashboard_ratio": 8.0, "export_speed_ratio": 0.7, "export_memory_mib": 64.0}


# --- the parent: one scratch database and one child per measurement -------------------


def bench(backend: str, size: int, requests: int) -> dict:
    with scratch_database(backend, size) as (env, seeded):
        out = run([PYTHON, __file__, "--measure", "--requests", str(requests)], env)
        result = json.loads(out.strip().splitlines()[-1])
        result.update(backend=backend, size=size, seed_seconds=round(seeded, 1))
        return result


def report(r: dict) -> None:
    d, h, e = r["dashboard"], r["http"], r["export"]
    print(
        f"\n== {r['backend']}, {r['size']:,} entries (seeded in {r['seed_seconds']} s; "
        f"{d['queries']} queries per dashboard page; SQL {d['sql_ms']:.1f} ms of one page)"
    )
    for title, f in (("over HTTP (gunicorn)", h), ("in process (test client)", d)):
        print(
            f"dashboard {title}: median {f['median_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms; "
            f"hello-world median {f['hello_median_ms']:.2f} ms, p99 {f['hello_p99_ms']:.2f} ms"
        )
        print(
            f"    ratio to hello-world: median {f['ratio_median']:.1f}×, "
            f"p99 {f['ratio_p99']:.1f}× (goal ≤ {GOALS['dashboard_ratio']:.0f}×); "
            f"floors: signed-in hello {f['signed_in_median_ms']:.2f} ms, empty product page "
            f"{f['empty_page_median_ms']:.2f} ms = {f['empty_page_ratio']:.1f}× hello-world"
        )
    print(
        f"export      {e['rows']:,} rows: {e['rows_per_s']:,.0f} rows/s; raw openpyxl "
        f"{e['raw_rows_per_s']:,.0f} rows/s; ratio {e['speed_ratio']:.2f} "
        f"(goal ≥ {GOALS['export_speed_ratio']})"
    )
    print(
        f"            peak memory {e['peak_mib']:.1f} MiB "
        f"(raw openpyxl {e['raw_peak_mib']:.1f} MiB); {e['queries']} queries; "
        f"file {e['file_mib']:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 20_000, 100_000])
    parser.add_argument("--requests", type=int, default=40, help="timed requests per view")
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
            result = bench(backend, size, args.requests)
            report(result)
            results.append(result)
    if args.json:
        print(json.dumps(results, indent=2))


# --- the child: measurements in one Django process ----------------------------------------


URLS = {
    "hello": "/bench-hello/",
    "signed_in": "/bench-hello-signed-in/",
    "empty_page": "/bench-empty-page/",
    "board": "/dashboard/",
}


def sample(get, requests: int) -> dict:
    """Seconds of each request to each of URLS, interleaved so that all see the same
    machine noise, after 5 warm-up rounds (templates compiled, connections open)."""
    for _ in range(5):
        for url in URLS.values():
            get(url)
    samples = {name: [] for name in URLS}
    for _ in range(requests):
        for name, url in URLS.items():
            started = time.perf_counter()
            status = get(url)
            samples[name].append(time.perf_counter() - started)
            assert status == 200, (url, status)
    return samples


def figures(samples: dict) -> dict:
    board, hello = samples["board"], samples["hello"]
    result = {
        "median_ms": statistics.median(board) * 1000,
        "p99_ms": percentile(board, 0.99) * 1000,
        "hello_median_ms": statistics.median(hello) * 1000,
        "hello_p99_ms": percentile(hello, 0.99) * 1000,
        "signed_in_median_ms": statistics.median(samples["signed_in"]) * 1000,
        "empty_page_median_ms": statistics.median(samples["empty_page"]) * 1000,
    }
    result["ratio_median"] = result["median_ms"] / result["hello_median_ms"]
    result["ratio_p99"] = result["p99_ms"] / result["hello_p99_ms"]
    result["empty_page_ratio"] = result["empty_page_median_ms"] / result["hello_median_ms"]
    return result


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_over_http(session_key: str, requests: int) -> dict:
    """The same requests through gunicorn, the production server (Dockerfile), over
    localhost: one sync worker, a new connection per request (as gunicorn's sync workers
    close each), the session cookie of the signed-in reviewer."""
    import http.client

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "benchmarks.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1"},
    )

    def get(url):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", url, headers={"Cookie": f"sessionid={session_key}"})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    try:
        for _ in range(100):  # gunicorn starts in about a second
            try:
                get(URLS["hello"])
                break
            except OSError:
                time.sleep(0.1)
        return sample(get, requests)
    finally:
        server.terminate()
        server.wait()


def measure(requests: int) -> None:
    import django
    import time_machine

    # The seeded entries fall in the plan's year: look at the dashboard as on a day inside
    # it (mid-October, the check), so the lights, the week and the chart have data to show.
    time_machine.travel(os.environ.get("BENCH_NOW", "2016-10-19T10:00:00+08:00")).start()
    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "benchmarks.urls"
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    # Right after a bulk load the planner would otherwise guess, and guess badly.
    fresh_statistics(connection)
    client = Client()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    in_process = figures(sample(lambda url: client.get(url).status_code, requests))
    # The page's queries, each timed here with perf_counter: Django's own query log rounds
    # every query to the millisecond, which made sub-millisecond queries sum to 0.
    queries = []

    def timing(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - started)

    with connection.execute_wrapper(timing):
        client.get(URLS["board"])
    in_process.update(queries=len(queries), sql_ms=sum(queries) * 1000)
    connection.close()  # SQLite: let the server's process have the file to itself
    over_http = figures(sample_over_http(client.cookies["sessionid"].value, requests))
    from benchmarks.export_bench import measure_export

    print(json.dumps({"dashboard": in_process, "http": over_http, "export": measure_export()}))


if __name__ == "__main__":
    main()
