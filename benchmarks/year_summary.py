"""How long the year's summary (工作总结) of a whole bureau takes to read and write.

    .venv/bin/python benchmarks/year_summary.py [--weeks N] [--repeat N]

In a scratch SQLite database: a plan of 17 tasks in 4 sections, each task assigned to all
8 departments (one lead), and a year of accepted entries: one per task × department every
week by default (17 × 8 × 52 = 7,072 entries, 30% with a 文号, each with problems and next
steps), plus an opened assessment round with a finding per task × department. Times the
read (`year_summary`) and the .docx (`summary_docx`) for the bureau and for one department,
the median of N runs. The issue's bar: the bureau's under 3 s.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="bench_summary_")
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/summary.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from departments.models import Department  # noqa: E402
from tasks_ledger.ledger.models import Evidence, LedgerEntry  # noqa: E402
from tasks_ledger.plan.models import (  # noqa: E402
    Assignment,
    Plan,
    ReviewRound,  # noqa: E402
    Section,
    Task,
)
from tasks_ledger.reviews.models import Finding  # noqa: E402
from tasks_ledger.reviews.summary import year_summary  # noqa: E402
from tasks_ledger.reviews.summary_docx import summary_docx  # noqa: E402

NUMBERS = "一二三四五六七八九十"


def seed(weeks: int) -> int:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create(username="bench")
    departments = [
        Department.objects.create(name=f"第{i + 1}处", code=f"d{i}", order=i) for i in range(8)
    ]
    plan = Plan.objects.create(year=2016, issuer="某市交通运输局", title="实施方案")
    tasks = []
    for s in range(4):
        section = Section.objects.create(
            plan=plan, number=NUMBERS[s], title="围绕某事推进公开", order=s
        )
        for t in range(5 if s == 0 else 4):
            tasks.append(
                Task.objects.create(
                    plan=plan, section=section, number=NUMBERS[t], title="推进某项公开", order=t
                )
            )
    Assignment.objects.bulk_create(
        Assignment(task=task, department=d, role="lead" if i == 0 else "partner", order=i)
        for task in tasks
        for i, d in enumerate(departments)
    )
    now = timezone.now()
    entries = [
        LedgerEntry(
            task=task,
            department=d,
            author=user,
            happened_on=datetime.date(2016, 1, 4) + datetime.timedelta(weeks=w),
            summary=f"第{w + 1}周：在门户网站公开相关信息{w}条，组织专题会议一次。",
            status="done" if w == weeks - 1 else "in_progress",
            problems="部分信息需保密审查后公开",
            next_steps="按季度更新公开目录",
            state="accepted",
            submitted_at=now,
        )
        for task in tasks
        for d in departments
        for w in range(weeks)
    ]
    created = LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    Evidence.objects.bulk_create(
        (
            Evidence(entry=e, kind="doc_number", doc_number=f"某交发〔2016〕{e.pk % 300}号")
            for e in created
            if e.pk % 10 < 3
        ),
        batch_size=2000,
    )
    review_round = ReviewRound.objects.create(
        plan=plan, kind="assessment", text="2017年1月", date=datetime.date(2017, 1, 3),
        status="open",
    )  # fmt: skip
    Finding.objects.bulk_create(
        Finding(round=review_round, task=t, department=d, rating="complete", score=90,
                comment="台账完整", reviewer=user)
        for t in tasks
        for d in departments
    )  # fmt: skip
    return len(created)


def median_s(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    count = seed(args.weeks)
    print(f"17 tasks x 8 departments, {count} accepted entries, 136 findings (SQLite)")
    with translation.override(settings.LANGUAGE_CODE):
        for label, dept in (
            ("bureau", None),
            ("one department", Department.objects.get(code="d0")),
        ):
            read = median_s(lambda d=dept: year_summary(year=2016, department=d), args.repeat)
            summary = year_summary(year=2016, department=dept)
            write = median_s(lambda s=summary: summary_docx(s), args.repeat)
            size = len(summary_docx(summary))
            print(
                f"{label:15} read {read:6.3f} s  docx {write:6.3f} s  total {read + write:6.3f} s"
                f"  ({len(summary.sources)} sources, {size // 1024} KiB)"
            )


if __name__ == "__main__":
    main()
