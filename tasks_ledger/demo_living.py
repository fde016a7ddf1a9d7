"""The living demo: the bureau at work this year, not in 2016.

`seed_living` copies the seed plan (2016) to the current year (Asia/Shanghai) and plays the
year's work up to today through the same services the browser uses, each step at the
moment it happened (time-machine moves the clock, so every row, every history row and every
timestamp is dated when the step was taken): departments write, heads submit, the office
accepts or returns, urges, holds a check round with findings, and the daily reminders go
out. A newcomer then sees lights of every colour, a weekly chart with data, a round held,
reminders in the inboxes.

Run once per year: a year's plan that already has ledger entries is left as it is, so
running `seed_demo` twice changes nothing. The 2016 plan keeps its content as the faithful
record of the seed; it is closed (a past year's plan), so that the daily reminders speak
of this year's work only. Everything is deterministic for a given day.
"""

import dataclasses
import datetime
import random
import zoneinfo

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from departments.models import Membership
from tasks_ledger.calendar.selectors import HolidayCalendar
from tasks_ledger.calendar.workdays import first_workday_of_month, is_workday
from tasks_ledger.clone.services import plan_clone
from tasks_ledger.dashboard.selectors import WEEKS_SHOWN
from tasks_ledger.demo_office import CHANGE_REASON, OfficeYear
from tasks_ledger.ledger import services as ledger
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.status import DUE_SOON_DAYS
from tasks_ledger.plan.models import Assignment, Deadline, Plan
from tasks_ledger.reminders.models import SentReminder

SEED_YEAR = 2016

WORK = [
    "召开专题会议研究部署“{title}”,明确责任分工和时间节点",
    "在局门户网站政府信息公开专栏更新“{title}”相关信息{n}条",
    "对照实施方案梳理“{title}”任务清单,形成工作台账",
    "组织业务骨干开展“{title}”专项培训,参训{n}人次",
    "通过政务微博、微信发布“{title}”相关信息{n}条,回应社会关切",
    "向局办公室报送“{title}”阶段性进展情况",
]
DONE = "“{title}”各项工作已按方案要求完成,相关信息已全部公开"
BLOCKED = "“{title}”涉及的数据需市级部门提供,目前尚未收到,工作暂停"
PROBLEMS = ["", "", "部分信息更新不够及时", "基层单位报送材料不齐全", "专栏栏目设置有待优化"]
NEXT = ["继续做好信息更新", "加强与相关处室的协调配合", "按时完成年度任务", "迎接局办公室检查"]


@dataclasses.dataclass
class LivingSummary:
    plan: Plan
    created: bool
    entries: int = 0
    findings: int = 0
    reminders: int = 0


def seed_living(*, today: datetime.date | None = None) -> LivingSummary:
    """Copy the seed plan to `today`'s year and play its work up to `today` (see the module
    docstring). Needs the demo accounts. Idempotent."""
    today = today or timezone.localdate()
    existing = Plan.objects.filter(year=today.year).first()
    if existing is not None and LedgerEntry.objects.filter(task__plan=existing).exists():
        return LivingSummary(plan=existing, created=False)
    seed = Plan.objects.get(year=SEED_YEAR)
    people = _People()
    with transaction.atomic():
        story = _Story(today=today, people=people)
        plan = existing or story.copy(seed)
        story.close_seed(seed, plan)
        story.fit_deadlines(plan)
        summary = LivingSummary(plan=plan, created=existing is None)
        summary.entries = story.work(plan)
        summary.findings = story.hold_round(plan)
        summary.reminders = story.remind(plan)
    return summary


class _People:
    """The demo accounts (seed_demo --accounts)."""

    def __init__(self):
        User = get_user_model()
        self.admin = User.objects.get(username="admin")
        self.reviewer = User.objects.get(username="reviewer")
        self.staff, self.head = {}, {}
        for m in Membership.objects.select_related("user", "department"):
            if m.role == Membership.Role.STAFF:
                self.staff[m.department_id] = m.user
            elif m.role == Membership.Role.HEAD:
                self.head[m.department_id] = m.user

    def submitter(self, department):
        return (
            self.staff[department.id] if department.staff_may_submit else self.head[department.id]
        )


class _Story(OfficeYear):
    """The year played: the departments' work here, the office's in demo_office.OfficeYear."""

    def __init__(self, *, today, people):
        self.today = today
        self.people = people
        self.rng = random.Random(today.year)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.latest = timezone.now() - datetime.timedelta(minutes=10)
        self.sent = 0
        # Reminders sent by the story are those after this one.
        last = SentReminder.objects.order_by("-id").values_list("id", flat=True).first()
        self.first_reminder = last or 0
        self.holidays = HolidayCalendar()
        self.start = max(datetime.date(today.year, 1, 4), today - datetime.timedelta(days=300))
        if (today - self.start).days < 28:
            # Early January: the work shown began before the new year.
            self.start = today - datetime.timedelta(days=28)

    def at(self, day: datetime.date, hour: int, minute: int = 0):
        """The clock set to `hour`:`minute` of `day` in Shanghai, for one step."""
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)
        if moment >= self.latest:
            # A step of today later than now happened in the last minutes instead, each a
            # second after the one before: never in the future, still in order.
            self.latest += datetime.timedelta(seconds=1)
            moment = self.latest
        return time_machine.travel(moment, tick=False)

    def working(self, day: datetime.date) -> bool:
        return is_workday(day, self.holidays)[0]

    def next_workday(self, day: datetime.date) -> datetime.date:
        while not self.working(day):
            day += datetime.timedelta(days=1)
        return day

    def copy(self, seed: Plan) -> Plan:
        # The office copies last year's plan on the first working day of the year.
        day, _source = first_workday_of_month(self.today.year, 1, self.holidays)
        day = min(day, self.today)
        with self.at(day, 9):
            return plan_clone(plan=seed, new_year=self.today.year, by=self.people.admin).plan

    def close_seed(self, seed: Plan, plan: Plan) -> None:
        if seed.pk == plan.pk or seed.status == Plan.Status.CLOSED:
            return
        # A past year's plan is closed; otherwise its deadlines of 2016 would be reminded
        # as overdue every week. Its content stays as it was read from the seed.
        seed.status = Plan.Status.CLOSED
        seed._history_user = self.people.admin
        seed._change_reason = CHANGE_REASON
        with self.at(self.start, 9):
            seed.save(update_fields=["status", "updated_at"])

    def fit_deadlines(self, plan: Plan) -> None:
        """Make sure some deadline has passed and another falls due within days, whatever
        the day of the year: the office adds them to tasks with no date of their own, as
        an office does when it sets a task's date during the year."""
        dates = Deadline.objects.filter(task__plan=plan, kind=Deadline.Kind.DATE)
        free = list(
            plan.tasks.filter(parent=None)
            .exclude(deadlines__kind=Deadline.Kind.DATE)
            .order_by("section__order", "order")
        )
        wanted = []
        # Overdue is a task whose last date has passed (not only one of its dates).
        last_dates = dates.values("task").annotate(last=Max("due")).values("last")
        if not last_dates.filter(last__lt=self.today).exists():
            wanted.append(self.today - datetime.timedelta(days=12))
        if not dates.filter(
            due__gte=self.today, due__lte=self.today + datetime.timedelta(days=DUE_SOON_DAYS)
        ).exists():
            wanted.append(self.today + datetime.timedelta(days=4))
        for due, task in zip(wanted, free, strict=False):
            deadline = Deadline(
                task=task,
                text=f"{due.year}年{due.month}月{due.day}日前",
                kind=Deadline.Kind.DATE,
                due=due,
                order=task.deadlines.count(),
            )
            deadline._history_user = self.people.reviewer
            deadline._change_reason = CHANGE_REASON
            with self.at(self.start, 10):
                deadline.save()

    def day_between(
        self, first: datetime.date, last: datetime.date, *, bias: float = 0.4
    ) -> datetime.date:
        """A working day from `first` to `last`; with `bias` below 1, later days likelier
        (a ledger grows as the year goes on)."""
        span = max((last - first).days, 0)
        day = first + datetime.timedelta(days=round(span * self.rng.random() ** bias))
        while not self.working(day) and day > first:
            day -= datetime.timedelta(days=1)
        return day

    def fates(self, assignments: list) -> dict:
        """What each assignment's latest submitted entry will say (None: no entry). Each
        colour at least once: a done and a blocked assignment, one with nothing filed, and
        assignments still in progress on the tasks whose deadline passed (overdue) or is
        near (due soon)."""
        due = {}
        for d in Deadline.objects.filter(task__plan=assignments[0].task.plan, kind="date"):
            due.setdefault(d.task_id, []).append(d.due)
        fates = {}
        overdue = [a for a in assignments if max(due.get(a.task_id, [self.today])) < self.today]
        soon_limit = self.today + datetime.timedelta(days=DUE_SOON_DAYS)
        soon = [
            a
            for a in assignments
            if any(self.today <= d <= soon_limit for d in due.get(a.task_id, []))
        ]
        for group in (overdue, soon):
            if group:
                fates[group[0].id] = LedgerEntry.Status.IN_PROGRESS
        taken = {a.id for a in overdue + soon}
        rest = [a for a in assignments if a.id not in taken]
        # In progress with no date near or passed (on track), then blocked, then done, then
        # nothing filed at all (None: 未填报).
        for a, status in zip(
            rest,
            [
                LedgerEntry.Status.IN_PROGRESS,
                LedgerEntry.Status.BLOCKED,
                LedgerEntry.Status.DONE,
                None,
            ],
            strict=False,
        ):
            fates[a.id] = status
        # The others in proportion, shuffled: about 4 in 10 done, 1 in 10 blocked.
        left = [a for a in assignments if a.id not in fates]
        done = round(len(left) * 0.4)
        blocked = round(len(left) * 0.1)
        statuses = [LedgerEntry.Status.DONE] * done + [LedgerEntry.Status.BLOCKED] * blocked
        statuses += [LedgerEntry.Status.IN_PROGRESS] * (len(left) - len(statuses))
        self.rng.shuffle(statuses)
        fates.update((a.id, status) for a, status in zip(left, statuses, strict=True))
        return fates

    def work(self, plan: Plan) -> int:
        assignments = list(
            Assignment.objects.filter(task__plan=plan)
            .select_related("task", "department")
            .order_by("task__section__order", "task__order", "order")
        )
        if not assignments:
            return 0
        fates = self.fates(assignments)
        # (day, assignment, progress, state): each assignment's entries, its fate last.
        steps = []
        for a in assignments:
            if fates[a.id] is None:
                continue  # nothing filed yet
            count = self.rng.randint(2, 5)
            # Work that is done was done any time in the year, often before the check.
            bias = 1.0 if fates[a.id] == LedgerEntry.Status.DONE else 0.4
            days = sorted(self.day_between(self.start, self.today, bias=bias) for _ in range(count))
            for i, day in enumerate(days):
                status = fates[a.id] if i == count - 1 else LedgerEntry.Status.IN_PROGRESS
                steps.append((day, a, status, None))
        # Every week of the dashboard's chart has some work: an entry more on a task still
        # in progress (so that no light changes) in any week left empty.
        going = [a for a in assignments if fates[a.id] == LedgerEntry.Status.IN_PROGRESS]
        monday = self.today - datetime.timedelta(days=self.today.weekday())
        for week in range(WEEKS_SHOWN):
            first = max(monday - datetime.timedelta(weeks=week), self.start)
            last = min(first + datetime.timedelta(days=4), self.today)
            if going and not any(first <= step[0] <= last for step in steps):
                day = self.day_between(first, last)
                steps.append((day, self.rng.choice(going), LedgerEntry.Status.IN_PROGRESS, None))
        # The latest days also hold work not yet counted: drafts, one sent back.
        recent = self.today - datetime.timedelta(days=10)
        states = [LedgerEntry.State.DRAFT, LedgerEntry.State.RETURNED, LedgerEntry.State.DRAFT]
        for a, state in zip(assignments[1::7], states, strict=False):
            day = self.day_between(recent, self.today)
            steps.append((day, a, LedgerEntry.Status.IN_PROGRESS, state))
        steps.sort(key=lambda step: step[0])
        for day, a, status, state in steps:
            self.entry(a, day, status, final=status == fates[a.id], state=state)
        return len(steps)

    def entry(self, a, day, status, *, final=False, state=None) -> LedgerEntry:
        writer = self.people.staff[a.department_id]
        title = a.task.title[:40]
        if status == LedgerEntry.Status.DONE:
            summary = DONE.format(title=title)
        elif status == LedgerEntry.Status.BLOCKED:
            summary = BLOCKED.format(title=title)
        else:
            summary = self.rng.choice(WORK).format(title=title, n=self.rng.randint(2, 40))
        data = {
            "happened_on": day,
            "summary": summary,
            "status": status,
            "problems": self.rng.choice(PROBLEMS),
            "next_steps": "" if status == LedgerEntry.Status.DONE else self.rng.choice(NEXT),
        }
        written = min(day + datetime.timedelta(days=self.rng.randint(0, 1)), self.today)
        with self.at(written, 16, self.rng.randint(0, 59)):
            entry = ledger.ledger_entry_create(
                task=a.task, department=a.department, by=writer, data=data
            )
            if self.rng.random() < 0.4:
                ledger.evidence_add(
                    entry=entry,
                    by=writer,
                    kind=Evidence.Kind.DOC_NUMBER,
                    doc_number=f"宿交发〔{day.year}〕{self.rng.randint(1, 300)}号",
                )
        if state == LedgerEntry.State.DRAFT:
            return entry
        submitted = self.next_workday(written + datetime.timedelta(days=1))
        if submitted > self.today:
            submitted = written
        # Each step after the one before: later hours when two fall on the same day.
        with self.at(submitted, 17 if submitted == written else 10, self.rng.randint(0, 59)):
            entry = ledger.ledger_entry_submit(entry=entry, by=self.people.submitter(a.department))
        reviewed = self.next_workday(submitted + datetime.timedelta(days=self.rng.randint(1, 4)))
        if state != LedgerEntry.State.RETURNED and (
            reviewed > self.today or (final and self.rng.random() < 0.15)
        ):
            return entry  # in the office's queue, 待审核
        reviewed = min(reviewed, self.today)
        with self.at(reviewed, 18 if reviewed == submitted else 15, self.rng.randint(0, 59)):
            if state == LedgerEntry.State.RETURNED:
                return ledger.ledger_entry_return(
                    entry=entry, by=self.people.reviewer, reason="请补充相关文件的文号或链接"
                )
            return ledger.ledger_entry_accept(entry=entry, by=self.people.reviewer)
