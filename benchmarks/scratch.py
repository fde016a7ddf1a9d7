"""Scratch databases for the benchmarks: created fresh, migrated, seeded, dropped.

The parent process of a benchmark uses `scratch_database` (or the pieces below it); the
measurements then run in a child process (`run(..., env)`) whose settings come from
`child_env`. PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/
postgres) names a server where scratch databases may be created and dropped; unreachable,
a benchmark skips it (`postgres_reachable`).

Seeding: `manage.py seed_demo --accounts --entries N` writes N synthetic entries with
their history through the ORM (about 4 minutes for 200,000 here). On PostgreSQL,
`bulk_entries` adds the same kind of entries (demo.WORK and friends, the same shares of
states and 文号) by INSERT … SELECT inside the server: 1,000,000 in a few minutes, without
history rows, which no page measured with it reads.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_execute(sql: str) -> None:
    import psycopg

    connection = psycopg.connect(postgres_admin_url())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def postgres_reachable() -> bool:
    try:
        postgres_execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL
        print(f"PostgreSQL skipped: {exc}".strip(), file=sys.stderr)
        return False
    return True


def database_name(label) -> str:
    """A scratch PostgreSQL database's name: BENCH_DATABASE_PREFIX (default
    disclosure_bench, e.g. a shared server's naming rule) and `label`."""
    return f"{os.environ.get('BENCH_DATABASE_PREFIX', 'disclosure_bench')}_{label}"


def fresh_database(backend: str, size: int, scratch: Path, name: str = "") -> str:
    if backend == "sqlite":
        return f"sqlite:///{scratch / f'bench_{size}.sqlite3'}"
    name = name or database_name(f"{os.getpid()}_{size}")
    postgres_execute(f'DROP DATABASE IF EXISTS "{name}"')
    postgres_execute(f'CREATE DATABASE "{name}"')
    return postgres_admin_url().rsplit("/", 1)[0] + f"/{name}"


def drop_database(backend: str, url: str) -> None:
    if backend == "postgres":
        postgres_execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def child_env(url: str, scratch: Path, *, hosts: str = "testserver") -> dict:
    """The environment of a child process on the scratch database `url`: the test client's
    host by default, `hosts` for a server that clients reach over HTTP."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        VAR_DIR=str(scratch),
        # Production-like: DEBUG off (no query log kept in memory, no debug pages).
        DEBUG="0",
        SECRET_KEY="benchmark-only-secret-key",
        ALLOWED_HOSTS=hosts,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="disclosure.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(args, env) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextlib.contextmanager
def scratch_database(backend: str, size: int, *, bulk: bool = False, keep: str = ""):
    """A fresh database, migrated and seeded with `size` entries, for the `with` block:
    yields (env for the child, seconds the seeding took); dropped afterwards. `bulk`, on
    PostgreSQL: `seed_demo` writes the first 1,000 entries (accounts, plan and all) and
    `bulk_entries` the rest. `keep`, on PostgreSQL: the database's name, and it is kept
    (re-measure it with the benchmark's `--measure` and DATABASE_URL)."""
    keep = keep if backend == "postgres" else ""
    with tempfile.TemporaryDirectory(prefix="disclosure-bench-") as tmp:
        scratch = Path(tmp)
        url = fresh_database(backend, size, scratch, keep)
        try:
            env = child_env(url, scratch)
            run([PYTHON, "manage.py", "migrate", "-v0"], env)
            bulk = bulk and backend == "postgres" and size > 1000
            started = time.perf_counter()
            by_orm = min(size, 1000) if bulk else size
            run([PYTHON, "manage.py", "seed_demo", "--accounts", "--entries", str(by_orm)], env)
            if bulk:
                run([PYTHON, __file__, "--bulk", str(size - by_orm)], env)
            yield env, time.perf_counter() - started
        finally:
            if not keep:
                drop_database(backend, url)


# --- the child: bulk entries inside PostgreSQL ---------------------------------------------

# Each row draws from the same lists and shares as demo.seed_entries: 4 in 10 accepted, 4
# submitted, 1 draft, 1 returned; 3 in 10 with a 文号 among 300. random() is seeded, so the
# same N gives the same rows.
BULK_ENTRIES = """
WITH assignment AS (
    SELECT row_number() OVER (ORDER BY a.id) - 1 AS k, a.task_id, a.department_id,
           m.user_id, t.title
    FROM plan_assignment a
    JOIN plan_task t ON t.id = a.task_id
    JOIN departments_membership m ON m.department_id = a.department_id AND m.role = 'staff'
    WHERE t.plan_id = %(plan)s
), drawn AS (
    SELECT floor(random() * (SELECT count(*) FROM assignment))::int AS k,
           %(work)s::text[] AS work, %(problems)s::text[] AS problems, %(next)s::text[] AS next,
           (ARRAY['accepted','accepted','accepted','accepted','submitted','submitted',
                  'submitted','submitted','draft','returned'])[1 + floor(random() * 10)::int]
               AS state,
           (ARRAY['in_progress','in_progress','in_progress','in_progress','in_progress',
                  'in_progress','done','done','done','blocked'])[1 + floor(random() * 10)::int]
               AS status,
           random() AS w, random() AS p, random() AS x, random() AS d, random() AS n
    FROM generate_series(1, %(count)s)
)
INSERT INTO ledger_ledgerentry (task_id, department_id, author_id, happened_on, summary,
    status, problems, next_steps, state, return_reason, version, submitted_at, created_at,
    updated_at)
SELECT a.task_id, a.department_id, a.user_id,
       make_date(%(year)s, 1, 4) + floor(d * 361)::int,
       replace(replace(work[1 + floor(w * array_length(work, 1))::int], '{title}', a.title),
               '{n}', (2 + floor(n * 39)::int)::text),
       status, problems[1 + floor(p * array_length(problems, 1))::int],
       next[1 + floor(x * array_length(next, 1))::int], state, '', 1,
       CASE WHEN state = 'draft' THEN NULL ELSE now() END, now(), now()
FROM drawn JOIN assignment a USING (k)
"""

BULK_EVIDENCE = """
INSERT INTO ledger_evidence (entry_id, kind, url, doc_number, file, filename, note, created_at)
SELECT id, 'doc_number', '', '宿交发〔' || %(year)s || '〕' || (1 + floor(random() * 300)::int)
       || '号', '', '', '', now()
FROM ledger_ledgerentry WHERE id > %(after)s AND random() < 0.3
"""


def bulk_entries(count: int) -> None:
    """Add `count` synthetic entries to the current plan, inside PostgreSQL. The search's
    indexes are dropped for the load and built again after it (one build is much faster
    than a million insertions into a GIN index); the evidence goes in with triggers off
    (session_replication_role), then the entries that got one are touched once, which runs
    the search text's trigger (tasks_ledger/search/migrations/0002)."""
    import django

    django.setup()
    from django.db import connection, transaction

    from tasks_ledger import demo
    from tasks_ledger.plan.models import Plan

    plan = Plan.objects.current()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")  # the settings' limit is for pages
        cursor.execute("SELECT setseed(0.2016)")
        cursor.execute("SELECT coalesce(max(id), 0) FROM ledger_ledgerentry")
        (after,) = cursor.fetchone()
        # The search's indexes as the migrations left them (tasks_ledger/search/migrations).
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'ledger_ledgerentry' AND indexname LIKE 'search\\_%%'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        params = {
            "plan": plan.pk,
            "year": plan.year,
            "count": count,
            "work": demo.WORK,
            "problems": demo.PROBLEMS,
            "next": demo.NEXT,
            "after": after,
        }
        cursor.execute(BULK_ENTRIES, params)
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(BULK_EVIDENCE, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute(
            "UPDATE ledger_ledgerentry SET search_text = '' WHERE id IN "
            "(SELECT entry_id FROM ledger_evidence WHERE entry_id > %s)",
            [after],
        )
        # The deferred foreign-key checks run now: no index is built with events pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bulk"]:
        bulk_entries(int(sys.argv[2]))
    else:
        raise SystemExit(f"usage: {sys.argv[0]} --bulk N (run by scratch_database)")


def fresh_statistics(connection) -> None:
    """Statistics as a live database has them (ANALYZE; on PostgreSQL VACUUM ANALYZE, as
    autovacuum does shortly after a bulk insert, which also sets the visibility map that
    index-only scans need). VACUUM cannot run inside a transaction, so the settings'
    statement limit (meant for pages: 30 s) is lifted for the session while it runs: on five
    years of ledger it takes longer than that."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("RESET statement_timeout")
