"""The whole product under a mixed load, through gunicorn on PostgreSQL (issue 17).

    .venv/bin/python -m benchmarks.load                        # every candidate, 3 rounds
    .venv/bin/python -m benchmarks.load --candidates sync4 gthread2x8 --seconds 20 --rounds 2
    git archive 3106ccf | tar -x -C /tmp/issue17       # the code issue 17 measured, then:
    .venv/bin/python -m benchmarks.load --old-tree /tmp/issue17 --candidates sync4 chosen

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
With `--old-tree`, the code as the issue found it is served first (`issue17-sync4`: today's
4 sync workers) from its own scratch database, migrated, seeded and prepared by that code.
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
# Prepares and checks a scratch database inside the tree being served.
WORLD = str(Path(__file__).resolve().parent / "load_world.py")

# name: (gunicorn flags, environment). The first is today's setup, the ratios' base.
CANDIDATES = {
    "sync4": (["--worker-class", "sync", "--workers", "4"], {"DB_CONN_MAX_AGE": "60"}),
    "sync2": (["--worker-class", "sync", "--workers", "2"], {"DB_CONN_MAX_AGE": "60"}),
    "sync3": (["--worker-class", "sync", "--workers", "3"], {"DB_CONN_MAX_AGE": "60"}),
    "sync6": (["--worker-class", "sync", "--workers", "6"], {"DB_CONN_MAX_AGE": "60"}),
    "gthread2x8": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "8"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread2x1": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "1"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    # One thread, each connection closed after its answer: every request accepted anew by
    # whichever process takes it first, as sync workers do.
    "gthread2x1-close": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "1", "--keep-alive", "0"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread4x1": (
        ["--worker-class", "gthread", "--workers", "4", "--threads", "1"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread3x1": (
        ["--worker-class", "gthread", "--workers", "3", "--threads", "1"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread3x2": (
        ["--worker-class", "gthread", "--workers", "3", "--threads", "2"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread2x2": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "2"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread2x3": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "3"],
        {"DB_CONN_MAX_AGE": "60"},
    ),
    "gthread2x4": (
        ["--worker-class", "gthread", "--workers", "2", "--threads", "4"],
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
    # As shipped, but without prepared statements (disclosure/database.py): what they add.
    "chosen-unprepared": ([], {"DB_PREPARE": "0"}),
}
# Today's as issue 17 found it, with --old-tree: 4 sync workers (flags and environment as
# sync4) serving the code of the commit the issue measured, on its own database that this
# code migrated, seeded and prepared. The ratios' base when present.
ISSUE_COMMIT = "3106ccf"
ISSUE = "issue17-sync4"
CANDIDATES[ISSUE] = CANDIDATES["sync4"]
# The issue's code ran on psycopg2. Django takes psycopg 3 whenever it can import it, and
# this checkout installs it: the issue's tree runs with this folder first on its path, where
# `import psycopg` fails, so that it runs on psycopg2 as it did.
WITHOUT_PSYCOPG3 = 'raise ImportError("benchmarks/load.py: the issue\'s code ran on psycopg2")\n'


# --- the parent: scratch databases, the servers in turn, the figures ---------------------


class Site:
    """A tree of the product's code and the scratch database it migrated, seeded and
    prepared: this checkout, and with `--old-tree` the code as issue 17 found it."""

    def __init__(self, root: Path, url: str, scratch: Path, cache_url: str, psycopg2: bool):
        self.root, self.url = root, url
        self.env = dict(os.environ)
        for name in ("DB_POOL_MAX_SIZE", "DB_CONN_MAX_AGE", "WEB_WORKERS", "WEB_THREADS"):
            self.env.pop(name, None)  # each candidate says its own
        self.env.update(
            DATABASE_URL=url,
            VAR_DIR=str(scratch),
            DEBUG="0",  # production settings: no query log, no debug pages
            SECRET_KEY="load-benchmark-only-secret-key",
            ALLOWED_HOSTS="127.0.0.1,testserver",
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="disclosure.settings",
            PYTHONPATH=str(root),
            **({"CACHE_URL": cache_url} if cache_url else {}),
        )
        # No static files are asked for; the folder only spares WhiteNoise's warning.
        (scratch / "staticfiles").mkdir(parents=True)
        if psycopg2:
            (scratch / "driver").mkdir()
            (scratch / "driver" / "psycopg.py").write_text(WITHOUT_PSYCOPG3)
            self.env["PYTHONPATH"] = f"{scratch / 'driver'}:{root}"
        self.world: dict = {}

    def run(self, args) -> str:
        done = subprocess.run(args, cwd=self.root, env=self.env, capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"failed: {' '.join(args)}")
        return done.stdout

    def prepare(self, entries: int) -> None:
        self.run([PYTHON, "manage.py", "migrate", "-v0"])
        self.run([PYTHON, "manage.py", "seed_demo", "--accounts", "--entries", str(entries)])
        self.world = json.loads(self.run([PYTHON, WORLD, "--prepare"]).strip().splitlines()[-1])

    def check(self, runs: list[Run]) -> dict:
        acks = Path(self.env["VAR_DIR"]) / "acks.json"
        acks.write_text(
            json.dumps(
                {
                    "patched": [p for r in runs for p in r.patched],
                    "created": [c for r in runs for c in r.created],
                }
            )
        )
        return json.loads(self.run([PYTHON, WORLD, "--check", str(acks)]).split("\n")[-2])


def serve(name: str, site: Site, port: int) -> subprocess.Popen:
    flags, extra = CANDIDATES[name]
    server = subprocess.Popen(
        [GUNICORN, "disclosure.wsgi", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        + flags,
        cwd=site.root,
        env={**site.env, **extra},
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
        "kinds": {
            kind: {
                "share": len(times) / max(1, len(latencies)),
                "p50_ms": statistics.median(times) * 1000,
                "p99_ms": percentile(times, 0.99) * 1000,
            }
            for kind in sorted({k for r in runs for k in r.by_kind})
            for times in [[t for r in runs for t in r.by_kind.get(kind, [])]]
        },
    }


def site_of(candidate: str) -> str:
    return "_issue" if candidate == ISSUE else ""


def load(args) -> dict:
    admin = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    import psycopg  # only the parent's scratch databases; the servers use Django's driver

    def admin_execute(sql):
        connection = psycopg.connect(admin)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    candidates = ([ISSUE] if args.old_tree else []) + list(args.candidates)
    roots = {"": ROOT, "_issue": Path(args.old_tree).resolve()} if args.old_tree else {"": ROOT}
    names = [f"{args.database}{suffix}" for suffix in roots]
    runs: dict[str, list[Run]] = {candidate: [] for candidate in candidates}
    try:
        with tempfile.TemporaryDirectory(prefix="disclosure-load-") as tmp:
            sites = {}
            for (suffix, root), name in zip(roots.items(), names, strict=True):
                admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin_execute(f'CREATE DATABASE "{name}"')
                url = admin.rsplit("/", 1)[0] + f"/{name}"
                scratch = Path(tmp) / (suffix or "_current")
                sites[suffix] = Site(root, url, scratch, args.cache_url, psycopg2=bool(suffix))
                sites[suffix].prepare(args.entries)
            for round_no in range(args.rounds):
                for candidate in candidates:
                    site = sites[site_of(candidate)]
                    server = serve(candidate, site, args.port)
                    try:
                        drive(args.port, site.world, args.clients, args.warmup, Run())
                        measured = Run()
                        drive(args.port, site.world, args.clients, args.seconds, measured)
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
            checks = [
                site.check([r for c, rs in runs.items() if site_of(c) == key for r in rs])
                for key, site in sites.items()
            ]
    finally:
        for name in names:
            admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
    checked = {
        "lost": sum(c["lost"] for c in checks),
        "patches": sum(c["patches"] for c in checks),
        "creates": sum(c["creates"] for c in checks),
        "problems": [p for c in checks for p in c["problems"]],
    }
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
        print(
            "    "
            + "; ".join(
                f"{kind} {k['share']:.0%} p50 {k['p50_ms']:.0f} p99 {k['p99_ms']:.0f}"
                for kind, k in f["kinds"].items()
            )
        )
    check = result["check"]
    print(
        f"lost updates: {check['lost']} (checked {check['patches']} PATCHes answered 200, "
        f"{check['creates']} creates)"
    )
    for problem in check["problems"]:
        print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    choices = [c for c in CANDIDATES if c != ISSUE]
    parser.add_argument("--candidates", nargs="+", default=choices, choices=choices)
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
    parser.add_argument(
        "--old-tree",
        default=os.environ.get("LOAD_OLD_TREE", ""),
        help=f"a copy of the code issue 17 measured (git archive {ISSUE_COMMIT}): served as "
        f"{ISSUE}, first, on a database of its own",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = load(args)
    print(json.dumps(result)) if args.json else report(result)


if __name__ == "__main__":
    main()
