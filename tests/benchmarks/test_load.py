"""benchmarks/load.py cannot rot: a short run (few clients, a few seconds) against gunicorn
ends with no error and no lost update; and its row-by-row check does catch a lost one."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from benchmarks import load_world
from tasks_ledger.ledger import services


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.postgres
def test_a_short_run_has_no_error_and_no_lost_update(db):
    server = connection.settings_dict
    admin = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/postgres"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--json", "--clients", "6", "--seconds", "3"]
        + ["--warmup", "1", "--rounds", "1", "--entries", "300", "--port", str(_free_port())]
        + ["--candidates", "sync4", "chosen"]
        # A scratch database named after the test database, on the same server.
        + ["--database", f"{server['NAME']}_load"],
        cwd=settings.BASE_DIR,
        env=os.environ | {"BENCH_POSTGRES_URL": admin},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for name, figures in result["candidates"].items():
        assert figures["requests"] > 0, name
        assert figures["errors"] == 0, (name, figures["first_errors"])
    assert result["check"]["lost"] == 0, result["check"]["problems"]
    # The check had something to check: PATCHes answered 200 and creates.
    assert result["check"]["patches"] > 0 and result["check"]["creates"] > 0


def test_the_check_finds_an_update_that_is_not_in_the_history(world, tmp_path, capsys):
    entry = world.entry()
    entry = services.ledger_entry_update(
        entry=entry, by=world.head, version=entry.version, data={"summary": "load kept"}
    )
    acks = tmp_path / "acks.json"
    acks.write_text(
        json.dumps(
            {
                "patched": [
                    [entry.pk, entry.version, "load kept"],
                    # Answered 200, never stored: a lost update.
                    [entry.pk, entry.version + 1, "load lost"],
                ],
                "created": [[entry.pk, "load kept"], [entry.pk + 1000, "never made"]],
            }
        )
    )
    load_world.check(str(acks))
    result = json.loads(capsys.readouterr().out)
    assert result["lost"] == 2
    assert any("load lost" in problem for problem in result["problems"])
    assert any("is missing" in problem for problem in result["problems"])
