"""The data `seed_demo` loads: departments, the 2016 plan, demo accounts, synthetic entries."""

import datetime
import json
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from departments.models import Department, Membership
from tasks_ledger.ledger import kept_pages
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, Plan
from tasks_ledger.plan.services import plan_import
from tasks_ledger.reminders.todo_cache import todo_forget

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def seed_departments() -> int:
    rows = json.loads((FIXTURES / "departments.json").read_text(encoding="utf-8"))
    for row in rows:
        Department.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "kind": row["kind"], "order": row["order"]},
        )
    return len(rows)


def seed_plans():
    """Import every plan JSON under fixtures/ (plan_YYYY.json)."""
    results = []
    for path in sorted(FIXTURES.glob("plan_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        results.append(plan_import(data=data))
    return results


# Demo people's names and phones, given in the order the accounts are made (admin, reviewer,
# secrecy, then each department's staff and head): plausible, and clearly not real ones
# (the numbers are 宿迁's 0527 area code and a mobile block, numbered in turn).
DEMO_NAMES = [
    "王建国",
    "李秀英",
    "张立新",
    "刘海燕",
    "陈志强",
    "杨晓梅",
    "赵文斌",
    "黄丽娟",
    "周国平",
    "吴静",
    "徐明辉",
    "孙雪芳",
    "胡永刚",
    "朱慧敏",
    "高振华",
    "林淑芬",
    "何伟",
    "郭玉兰",
    "马德胜",
    "罗红霞",
]


def demo_phone(number: int) -> str:
    """Even accounts get an office landline, odd ones a mobile."""
    if number % 2 == 0:
        return f"0527-8436{7000 + number:04d}"
    return f"1385270{1000 + number:04d}"


def seed_accounts(password: str) -> list[str]:
    """Demo accounts: admin, reviewer, secrecy (保密审查), and per department `<code>` (staff) and
    `<code>-head`. Passwords are set only when an account is created."""
    User = get_user_model()
    wanted = [
        ("admin", None, Membership.Role.ADMIN),
        ("reviewer", "general-office", Membership.Role.REVIEWER),
        ("secrecy", None, Membership.Role.CONFIDENTIALITY),  # 保密审查 of publications
    ]
    for dept in Department.objects.filter(active=True):
        wanted.append((dept.code, dept.code, Membership.Role.STAFF))
        wanted.append((f"{dept.code}-head", dept.code, Membership.Role.HEAD))
    departments = {d.code: d for d in Department.objects.all()}
    created = []
    for number, (username, code, role) in enumerate(wanted):
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.gov.cn",
                "is_staff": role == Membership.Role.ADMIN,
                "is_superuser": role == Membership.Role.ADMIN,
            },
        )
        if is_new:
            user.set_password(password)
            user.save(update_fields=["password"])
            created.append(username)
        membership, _new = Membership.objects.update_or_create(
            user=user, defaults={"department": departments.get(code), "role": role}
        )
        if not membership.name:  # set once: a demo person who renamed themselves keeps it
            membership.name = DEMO_NAMES[number % len(DEMO_NAMES)]
            membership.phone = membership.phone or demo_phone(number)
            membership.save(update_fields=["name", "phone"])
    return created


WORK = [
    "召开专题会议，研究部署“{title}”工作，明确责任分工和时间节点",
    "在局门户网站政府信息公开专栏更新“{title}”相关信息{n}条",
    "对照实施方案梳理“{title}”任务清单，形成工作台账",
    "组织业务骨干开展“{title}”专项培训，参训{n}人次",
    "通过政务微博微信发布“{title}”相关信息{n}条，回应网民关切",
    "报送“{title}”阶段性进展情况，接受局办公室检查",
]
PROBLEMS = ["", "", "部分信息更新不够及时", "基层单位报送材料不齐全", "专栏栏目设置有待优化"]
# The change reason the admin's history shows for the synthetic rows: people read it there.
DEMO_REASON = "演示数据"
NEXT = ["继续做好信息更新", "加强与相关处室的协调配合", "按时完成年度任务", "迎接10月份台账检查"]


def seed_entries(count: int, *, seed: int = 2016) -> int:
    """Add `count` synthetic ledger entries, the same ones for the same seed, in bulk."""
    plan = Plan.objects.current()
    if plan is None or count <= 0:
        return 0
    assignments = list(
        Assignment.objects.filter(task__plan=plan).select_related("task", "department")
    )
    staff = {
        m.department_id: m.user
        for m in Membership.objects.filter(role=Membership.Role.STAFF).select_related("user")
    }
    assignments = [a for a in assignments if a.department_id in staff]
    if not assignments:
        raise ValueError("no department staff accounts: run seed_demo --accounts first")
    rng = random.Random(seed)
    start = datetime.date(plan.year, 1, 4)
    span = (datetime.date(plan.year, 12, 31) - start).days
    now = timezone.now()
    statuses = (
        [LedgerEntry.Status.IN_PROGRESS] * 6
        + [LedgerEntry.Status.DONE] * 3
        + [LedgerEntry.Status.BLOCKED]
    )
    states = (
        [LedgerEntry.State.ACCEPTED] * 4
        + [LedgerEntry.State.SUBMITTED] * 4
        + [
            LedgerEntry.State.DRAFT,
            LedgerEntry.State.RETURNED,
        ]
    )
    batch = 5000
    made = 0
    with transaction.atomic():
        while made < count:
            entries = []
            for _ in range(min(batch, count - made)):
                a = rng.choice(assignments)
                state = rng.choice(states)
                entries.append(
                    LedgerEntry(
                        task=a.task,
                        department=a.department,
                        author=staff[a.department_id],
                        happened_on=start + datetime.timedelta(days=rng.randrange(span)),
                        summary=rng.choice(WORK).format(title=a.task.title, n=rng.randint(2, 40)),
                        status=rng.choice(statuses),
                        problems=rng.choice(PROBLEMS),
                        next_steps=rng.choice(NEXT),
                        state=state,
                        submitted_at=None if state == LedgerEntry.State.DRAFT else now,
                    )
                )
            created = bulk_create_with_history(
                entries, LedgerEntry, batch_size=1000, default_change_reason=DEMO_REASON
            )
            evidence = [
                Evidence(
                    entry=entry,
                    kind=Evidence.Kind.DOC_NUMBER,
                    doc_number=f"宿交发〔{plan.year}〕{rng.randint(1, 300)}号",
                )
                for entry in created
                if rng.random() < 0.3
            ]
            bulk_create_with_history(
                evidence, Evidence, batch_size=1000, default_change_reason=DEMO_REASON
            )
            made += len(entries)
        # bulk_create sends no signal: the header's cached 待办 counts and the dashboard's
        # kept body are forgotten here.
        todo_forget(departments=staff, review=True)
        kept_pages.forget()
    return made
