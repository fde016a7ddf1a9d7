"""The scratch database's side of benchmarks/load.py, run by it as a script inside the tree
whose code is served, so that the code of an older commit (`--old-tree`) prepares and
checks its own database:

    python benchmarks/load_world.py --prepare        # the clients' credentials, as JSON
    python benchmarks/load_world.py --check ACKS     # lost updates, as JSON

Run by path, not as a module: the served tree's packages come from PYTHONPATH, and
nothing here imports the benchmarks package.
"""

import json
import sys
from pathlib import Path


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


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare"]:
        prepare()
    elif sys.argv[1:2] == ["--check"]:
        check(sys.argv[2])
    else:
        raise SystemExit(__doc__)
