"""An operator tries a plan file before anything is set up: `import_plan --dry-run --json`
reads it on a database that was never migrated, and prints the plan JSON."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PLAN = """某某县2023年政务公开工作要点
一、深化重点领域信息公开
1.加大财政预决算公开力度。2023年6月底前完成。（牵头单位：县财政局；责任单位：县审计局）
"""


def test_dry_run_reads_a_plan_on_a_database_never_migrated(tmp_path: Path):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, encoding="gb18030")
    # Nothing set up: no DEBUG, no SECRET_KEY, a database never migrated.
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(source), "--dry-run", "--json"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["year"] == 2023
    (task,) = plan["sections"][0]["tasks"]
    assert [(d["name"], d["role"]) for d in task["departments"]] == [
        ("县财政局", "lead"),
        ("县审计局", "partner"),
    ]
