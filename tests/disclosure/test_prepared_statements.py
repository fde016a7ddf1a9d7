"""PostgreSQL parses and plans once the statements a connection runs again
(disclosure/database.py): psycopg 3 prepares them on the server from their fifth run."""

from pathlib import Path

import pytest
from django.db import connection

from departments.models import Department
from disclosure.database import database


@pytest.mark.postgres
def test_a_statement_run_again_is_prepared_on_the_server(db):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "departments_department" in row[0]]

    for _ in range(4):
        list(Department.objects.filter(code="不存在"))
    assert prepared() == []  # not on its first runs: a statement run once is not kept
    for _ in range(2):
        list(Department.objects.filter(code="不存在"))
    [statement] = prepared()
    assert '"departments_department"."code" = $1' in statement


@pytest.mark.parametrize(
    ("setting", "options"),
    [
        (None, {"server_side_binding": True, "prepare_threshold": 5}),
        ("1", {"server_side_binding": True, "prepare_threshold": 5}),
        ("0", {}),  # behind pgbouncer in transaction mode
    ],
)
def test_db_prepare_switches_it(monkeypatch, setting, options):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example:5432/disclosure")
    if setting is None:
        monkeypatch.delenv("DB_PREPARE", raising=False)
    else:
        monkeypatch.setenv("DB_PREPARE", setting)
    got = database(Path("/nonexistent"))["OPTIONS"]
    assert {k: got[k] for k in ("server_side_binding", "prepare_threshold") if k in got} == options
    # SQLite has nothing of the kind.
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/db.sqlite3")
    assert "prepare_threshold" not in database(Path("/nonexistent"))["OPTIONS"]
