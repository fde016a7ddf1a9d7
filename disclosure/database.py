"""DATABASES["default"] from the environment, for settings.py: SQLite under VAR_DIR with
nothing set, PostgreSQL (DATABASE_URL) in production, with the limits that keep a silent
or slow database from holding a page."""

import os
from pathlib import Path

import dj_database_url

from disclosure.environ import envint


def database(var_dir: Path) -> dict:
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{var_dir / 'db.sqlite3'}"),
        # Persistent connections: opening one to PostgreSQL costs more than most pages
        # (about 12 ms here, against 4 ms for a signed-in page's own work). The health
        # check reconnects after a database restart instead of failing one request.
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Writers wait for each other instead of failing at once when web, worker and beat
        # share the file.
        options["timeout"] = 20
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # A database that accepts connections and never answers must not hold a page (or
        # the health check) until gunicorn kills the worker: libpq gives up connecting
        # after DB_CONNECT_TIMEOUT seconds, and the server cancels any statement running
        # longer than DB_STATEMENT_TIMEOUT_MS (0: no limit). TCP keepalives notice a
        # vanished server.
        options.update(
            connect_timeout=envint("DB_CONNECT_TIMEOUT", 5),
            options=f"-c statement_timeout={envint('DB_STATEMENT_TIMEOUT_MS', 30000)}",
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
        if envint("DB_PREPARE", 1):
            # A statement run again on the same connection (every page runs the same few) is
            # prepared on the server from its fifth run: PostgreSQL then skips parsing and
            # planning it, which cost more than running it (an entry read with its task,
            # department and author: 1.3 ms to plan, 0.1 ms to run; benchmarks/README.md).
            # psycopg 3 prepares only with server-side binding. DB_PREPARE=0 turns it off,
            # for a pooler in transaction mode (pgbouncer), which cannot keep them.
            options.update(server_side_binding=True, prepare_threshold=5)
        if (pool_size := envint("DB_POOL_MAX_SIZE", 0)) > 0:  # benchmarks/load.py measured it
            config["CONN_MAX_AGE"] = 0  # psycopg 3's pool instead (never both)
            options["pool"] = dict(
                min_size=min(envint("DB_POOL_MIN_SIZE", 1), pool_size),
                max_size=pool_size,
                timeout=envint("DB_POOL_TIMEOUT", 10),  # seconds waiting for a connection
            )
    return config
