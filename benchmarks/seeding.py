"""Fast seeding for the benchmarks: synthetic yearly plans and up to millions of ledger
entries with their history, written with COPY (PostgreSQL) or executemany (SQLite) in
batches instead of one ORM save per row. Runs inside a Django process (benchmarks/scale.py's
child) after `manage.py seed_demo --accounts` made the departments, accounts and 2016 plan.

Each entry gets the history a real one has: a '+' row as a draft on the day of the work,
and, unless it is still a draft, a '~' row in its final state when it was last changed
(submitted a few days after the work, accepted or returned a few days later). So "as of"
a past day finds the ledger as it then stood, not everything dated at the seeding's time.
The rollups' triggers (tasks_ledger/ledger/rollups.py) run on every batch, as on any write.
"""

import datetime
import io
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from departments.models import Department, Membership
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Section, Task

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 20_000
WORK = ["召开专题会议研究部署", "在门户网站公开相关信息", "组织开展专项培训", "报送工作进展材料"]
PROBLEMS = ["", "", "基层单位报送不及时", "公开内容不够规范"]
STATES = ["accepted"] * 4 + ["submitted"] * 4 + ["draft", "returned"]
STATUSES = ["in_progress"] * 6 + ["done"] * 3 + ["blocked"]
ENTRY_COLUMNS = (
    "id",
    "task_id",
    "department_id",
    "author_id",
    "happened_on",
    "summary",
    "status",
    "problems",
    "next_steps",
    "state",
    "return_reason",
    "version",
    "submitted_at",
    "created_at",
    "updated_at",
)
HISTORY_COLUMNS = (*ENTRY_COLUMNS, "history_date", "history_change_reason", "history_type")


def synthetic_plan(*, year: int, tasks: int) -> Plan:
    """A plan of `year` with `tasks` tasks in sections of 20, each assigned to one to three
    departments, a date deadline each (spread over the year) and two review rounds."""
    departments = list(Department.objects.exclude(kind="office").order_by("order", "code"))
    rng = random.Random(year)
    plan = Plan.objects.create(year=year, title=f"{year}年政务公开工作实施方案", status="active")
    sections = Section.objects.bulk_create(
        Section(plan=plan, number=f"S{i + 1}", title=f"第{i + 1}部分", order=i)
        for i in range((tasks + 19) // 20)
    )
    made = Task.objects.bulk_create(
        Task(
            plan=plan,
            section=sections[i // 20],
            number=f"{i % 20 + 1}",
            title=f"第{i + 1}项公开任务",
            body="推进重点领域信息公开。",
            order=i,
        )
        for i in range(tasks)
    )
    Assignment.objects.bulk_create(
        Assignment(task=task, department=department, role="lead" if n == 0 else "partner", order=n)
        for task in made
        for n, department in enumerate(rng.sample(departments, rng.randint(1, 3)))
    )
    Deadline.objects.bulk_create(
        Deadline(
            task=task,
            text=f"{year}年{month}月底前",
            kind=Deadline.Kind.DATE,
            due=datetime.date(year, month, 28),
        )
        for task in made
        for month in [rng.randint(3, 12)]
    )
    for kind, day, text in (
        ("check", datetime.date(year, 10, 17), f"{year}年10月"),
        ("assessment", datetime.date(year + 1, 1, 16), f"{year + 1}年1月"),
    ):
        ReviewRound.objects.create(plan=plan, kind=kind, text=text, date=day)
    return plan


def _moment(day: datetime.date, rng: random.Random, *, days_after: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day + datetime.timedelta(days=days_after),
        datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)),
        SHANGHAI,
    )


def entry_rows(*, plan: Plan, count: int, first_id: int, seed: int):
    """(entry row, history rows) for `count` entries on `plan`'s assignments over its year."""
    rng = random.Random(seed)
    staff = dict(
        Membership.objects.filter(department__isnull=False).values_list("department_id", "user_id")
    )
    fallback = get_user_model().objects.order_by("id").values_list("id", flat=True).first()
    pairs = list(Assignment.objects.filter(task__plan=plan).values_list("task_id", "department_id"))
    start = datetime.date(plan.year, 1, 4)
    span = (datetime.date(plan.year, 12, 31) - start).days
    for n in range(count):
        task_id, department_id = rng.choice(pairs)
        happened_on = start + datetime.timedelta(days=rng.randrange(span))
        state, status = rng.choice(STATES), rng.choice(STATUSES)
        created = _moment(happened_on, rng)
        submitted = None
        if state != "draft":
            submitted = _moment(happened_on, rng, days_after=rng.randint(0, 5))
        changed = submitted or created
        if state in ("accepted", "returned"):
            changed = changed + datetime.timedelta(days=rng.randint(1, 4))
        entry = [
            first_id + n,
            task_id,
            department_id,
            staff.get(department_id, fallback),
            happened_on,
            rng.choice(WORK),
            status,
            rng.choice(PROBLEMS),
            "",
            state,
            "请补充佐证材料" if state == "returned" else "",
            1 if state == "draft" else 2,
            submitted,
            created,
            changed,
        ]
        draft = [*entry[:9], "draft", "", 1, None, created, created]
        history = [[*draft, created, "", "+"]]
        if state != "draft":
            history.append([*entry, changed, "", "~"])
        yield entry, history


def _adapted(value):
    """A value as the database stores it: SQLite keeps times as UTC text (Django's way)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _write(cursor, table: str, columns: tuple, rows: list) -> None:
    rows = [[_adapted(v) for v in row] for row in rows]
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    else:
        marks = ", ".join("%s" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def seed_ledger(*, plan: Plan, count: int, seed: int) -> None:
    """`count` entries with their history on `plan`, in batches of BATCH."""
    entries, history = LedgerEntry._meta.db_table, LedgerEntry.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {entries}")
        first_id = cursor.fetchone()[0] + 1
    rows = entry_rows(plan=plan, count=count, first_id=first_id, seed=seed)
    done = 0
    while done < count:
        batch = [next(rows) for _ in range(min(BATCH, count - done))]
        with transaction.atomic(), connection.cursor() as cursor:
            _write(cursor, entries, ENTRY_COLUMNS, [entry for entry, _h in batch])
            _write(cursor, history, HISTORY_COLUMNS, [h for _e, hs in batch for h in hs])
        done += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Explicit ids were written: move the identity past them for later inserts.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{entries}', 'id'), "
                f"(SELECT MAX(id) FROM {entries}))"
            )
