"""How long the plan import page takes to preview a 300-task plan (issue 12: under a
second), in process, on a scratch SQLite database.

    .venv/bin/python benchmarks/plan_preview.py [--tasks 300] [--requests 10]

It migrates a scratch database, loads the 2016 plan, stores a draft of a plan of that year
with N tasks (the 2016 tasks repeated under new numbers, a third with a sub-task, every
tenth with a unit no department matches: a diff against the stored plan with removals and
unknown units), then requests the preview as `reviewer` and prints the median and the
slowest time and the query count.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="preview-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from tasks_ledger import demo
    from tasks_ledger.plan.models import ImportDraft
    from tasks_ledger.plan.selectors import plan_as_json

    call_command("migrate", verbosity=0)
    demo.seed_departments()
    ((plan, _summary),) = demo.seed_plans()
    demo.seed_accounts("bench")
    data = plan_as_json(plan=plan)
    source = [t for s in data["sections"] for t in s["tasks"]]
    tasks = []
    for n in range(args.tasks):
        task = {**source[n % len(source)], "number": str(n + 1), "tasks": []}
        if n % 10 == 0:
            task["departments"] = [*task["departments"], {"name": f"某中心{n}", "role": "partner"}]
        if n % 3 == 0:
            task["tasks"] = [{**source[0], "number": "1", "tasks": []}]
        tasks.append(task)
    data["sections"] = [{"number": "一", "title": "工作任务", "body": "", "tasks": tasks}]
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="reviewer")
    draft = ImportDraft.objects.create(owner=reviewer, file_name="bench.json", data=data)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(reviewer)
        url = f"/plans/import/{draft.pk}/"
        for _ in range(2):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(client.get, url)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    total = sum(1 + len(t["tasks"]) for t in tasks)
    print(
        f"preview of {total} tasks ({args.tasks} top-level): "
        f"median {statistics.median(times):.3f} s, "
        f"slowest {max(times):.3f} s, {len(queries)} queries"
    )


if __name__ == "__main__":
    main()
