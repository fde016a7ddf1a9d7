"""Reads of the reminders app: the reminder schedule computed from the plans' data, and the
inbox.

The schedule is a pure function of the stored plan (review rounds, date deadlines, lead
times, who works where, which assignments are done): nothing is scheduled ahead, so an
administrator who moves a round or a deadline changes what the next morning's run sends.

The rules, for every active plan (lead times from its ReminderSettings, defaults 7 and 1):
  - review round (kind check/assessment): to every department with assignments in the plan,
    its staff and head, `days_before` calendar days and `workdays_before` working days
    before the round's date; the message lists the department's tasks with no entry since
    the previous round;
  - date deadline (kind deadline), for each assigned department whose light is not done:
    `days_before` days before to its staff (yellow: due soon), `workdays_before` working
    days before to its staff and head (orange: the last working day);
  - overdue (kind overdue), the same departments once the deadline has passed: staff, head
    and the bureau office (reviewers) (red), on the first working day after the deadline
    and again every `overdue_every_days` days until the department's light is done.
A reminder whose day is not a working day goes out on the working day before (an overdue
one never before its deadline has passed: then on the first working day after it).
"""

import dataclasses
import datetime

from django.db.models import Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from departments.models import Membership
from tasks_ledger.calendar.selectors import HolidayCalendar
from tasks_ledger.calendar.workdays import (
    MAX_REST_RUN,
    ONE_DAY,
    Overrides,
    nth_workday_before,
    workday_after,
    workday_on_or_before,
)
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import latest_counted_entries
from tasks_ledger.plan.models import (
    BY_DEPARTMENT_THEN_TASK,
    Assignment,
    Deadline,
    Plan,
    ReviewRound,
    code_related,
)
from tasks_ledger.reminders.models import Notification, ReminderSettings


@dataclasses.dataclass
class Reminder:
    kind: str
    on: datetime.date
    about: datetime.date
    department: object
    task: object | None
    recipients: list
    target: str
    level: str = ""
    subject: str = ""
    body: str = ""
    link: str = ""

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "department": self.department.code,
            "task": self.task.code if self.task else None,
            "on": self.on.isoformat(),
            "recipients": [user.username for user in self.recipients],
            "about": self.about.isoformat(),
        }


def lead_days(about: datetime.date, lead: ReminderSettings, calendar: Overrides) -> dict:
    """The days a reminder about `about` goes out, each with its level. When both lead
    times land on one day, the more senior level (orange) wins: one message, not two."""
    days: dict[datetime.date, str] = {}
    if lead.days_before:
        nominal = about - datetime.timedelta(days=lead.days_before)
        days[workday_on_or_before(nominal, calendar)] = "yellow"
    if lead.workdays_before:
        days[nth_workday_before(about, lead.workdays_before, calendar)] = "orange"
    return days


def overdue_days(
    due: datetime.date, lead: ReminderSettings, calendar: Overrides, *, start, end
) -> list[datetime.date]:
    """Every `overdue_every_days` from the day after `due`, each moved to the working
    day before it, but never to a day the deadline had not yet passed."""
    days = []
    nominal = due + ONE_DAY
    step = datetime.timedelta(days=lead.overdue_every_days)
    while nominal <= end + datetime.timedelta(days=MAX_REST_RUN):
        day = workday_on_or_before(nominal, calendar)
        if day <= due:
            day = workday_after(due, calendar)
        if start <= day <= end and (not days or days[-1] != day):
            days.append(day)
        nominal += step
    return days


def department_people(*, department, roles=(Membership.Role.STAFF, Membership.Role.HEAD)):
    """The active users of `department` with one of `roles`, by username."""
    return [
        m.user
        for m in Membership.objects.filter(
            department=department, role__in=roles, user__is_active=True
        )
        .select_related("user")
        .order_by("user__username")
    ]


def office_people() -> list:
    """The bureau office's reviewers, active, by username: who reviews submitted entries
    and hears of every breached clock."""
    return [
        m.user
        for m in Membership.objects.filter(role=Membership.Role.REVIEWER, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


def reminders_due(
    *, start: datetime.date, end: datetime.date, with_details: bool = False
) -> list[Reminder]:
    """Every reminder the schedule gives from `start` to `end` (inclusive), whether or not
    already sent, in order of day. Six queries whatever the plans' size (seven with
    `with_details`, which also writes the subjects and bodies)."""
    plans = list(Plan.objects.filter(status=Plan.Status.ACTIVE))
    leads = {s.plan_id: s for s in ReminderSettings.objects.filter(plan__in=plans)}
    for plan in plans:
        leads.setdefault(plan.id, ReminderSettings(plan=plan))

    staff: dict[int, list] = {}
    heads: dict[int, list] = {}
    office: list = []
    for m in (
        Membership.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        if m.role == Membership.Role.STAFF:
            staff.setdefault(m.department_id, []).append(m.user)
        elif m.role == Membership.Role.HEAD:
            heads.setdefault(m.department_id, []).append(m.user)
        elif m.role == Membership.Role.REVIEWER:
            office.append(m.user)

    def people(department_id, level):
        users = list(staff.get(department_id, []))
        if level in ("orange", "red", "round"):
            users += heads.get(department_id, [])
        if level == "red":
            users += [u for u in office if u not in users]
        return users

    # "Met" is the status light's done: the newest counted entry says done (status.py).
    latest = latest_counted_entries()
    assignments = list(
        Assignment.objects.filter(task__plan__in=plans, department__active=True)
        .select_related(*code_related("task"), "department")
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_on=Subquery(latest.values("happened_on")[:1]),
        )
        .order_by(*BY_DEPARTMENT_THEN_TASK)
    )
    by_task: dict[int, list[Assignment]] = {}
    departments_of_plan: dict[int, dict] = {}
    for a in assignments:
        a.done = a.latest_status == LedgerEntry.Status.DONE
        by_task.setdefault(a.task_id, []).append(a)
        departments_of_plan.setdefault(a.task.plan_id, {})[a.department_id] = a.department

    # The administrator's holidays, read lazily: one query per year touched.
    calendar = HolidayCalendar()
    found: dict[tuple, Reminder] = {}

    def add(reminder: Reminder):
        key = (reminder.kind, reminder.target, reminder.on)
        if start <= reminder.on <= end and key not in found:
            found[key] = reminder

    rounds = ReviewRound.objects.filter(plan__in=plans).exclude(status=ReviewRound.Status.CLOSED)
    for review_round in rounds.order_by("date", "id"):
        lead = leads[review_round.plan_id]
        for on, level in lead_days(review_round.date, lead, calendar).items():
            for department in departments_of_plan.get(review_round.plan_id, {}).values():
                add(
                    Reminder(
                        kind=review_round.kind,
                        on=on,
                        about=review_round.date,
                        department=department,
                        task=None,
                        recipients=people(department.id, "round"),
                        target=f"round:{review_round.id}:{department.id}",
                        level=level,
                    )
                )

    deadlines = Deadline.objects.filter(
        task__plan__in=plans, kind=Deadline.Kind.DATE, due__isnull=False
    ).order_by("due", "id")
    for deadline in deadlines:
        assigned = [a for a in by_task.get(deadline.task_id, []) if not a.done]
        if not assigned:
            continue
        lead = leads[assigned[0].task.plan_id]
        for on, level in lead_days(deadline.due, lead, calendar).items():
            for a in assigned:
                add(
                    Reminder(
                        kind="deadline",
                        on=on,
                        about=deadline.due,
                        department=a.department,
                        task=a.task,
                        recipients=people(a.department_id, level),
                        target=f"deadline:{deadline.id}:{a.department_id}",
                        level=level,
                    )
                )
        for on in overdue_days(deadline.due, lead, calendar, start=start, end=end):
            for a in assigned:
                add(
                    Reminder(
                        kind="overdue",
                        on=on,
                        about=deadline.due,
                        department=a.department,
                        task=a.task,
                        recipients=people(a.department_id, "red"),
                        target=f"deadline:{deadline.id}:{a.department_id}",
                        level="red",
                    )
                )

    # Within a day: by kind, then in the plan's order of departments and tasks.
    position: dict[tuple, int] = {}
    for i, a in enumerate(assignments):
        position.setdefault((a.department_id, None), i)
        position[(a.department_id, a.task_id)] = i
    reminders = sorted(
        found.values(),
        key=lambda r: (
            r.on,
            r.kind,
            position.get((r.department.id, r.task.id if r.task else None), 0),
        ),
    )
    if with_details:
        _write_details(reminders, assignments)
    return reminders


def _write_details(reminders: list[Reminder], assignments: list[Assignment]) -> None:
    """Subjects and bodies, in the active language (the worker's default: zh-hans)."""
    rounds = {}
    for reminder in reminders:
        if reminder.kind in (ReviewRound.Kind.CHECK, ReviewRound.Kind.ASSESSMENT):
            round_id = int(reminder.target.split(":")[1])
            rounds[round_id] = None
    stale = _tasks_without_entries_since_last_round(list(rounds), assignments)
    for r in reminders:
        if r.task is None:
            round_id = int(r.target.split(":")[1])
            codes = stale.get((round_id, r.department.id), [])
            kind_name = _("check") if r.kind == ReviewRound.Kind.CHECK else _("assessment")
            r.subject = _("The %(kind)s of the ledgers is on %(date)s") % {
                "kind": kind_name,
                "date": r.about.isoformat(),
            }
            r.body = _(
                "The bureau office will review the ledgers on %(date)s. Please bring "
                "%(department)s's ledger up to date before then."
            ) % {"date": r.about.isoformat(), "department": r.department.name}
            if codes:
                r.body += "\n" + _("Tasks with no entry since the last round: %(tasks)s") % {
                    "tasks": "、".join(codes)
                }
            # Before a round: the department's whole ledger, to bring up to date.
            r.link = reverse("ledger:home")
        elif r.kind == "overdue":
            r.subject = _("Overdue: %(task)s, due %(date)s") % {
                "task": r.task.code,
                "date": r.about.isoformat(),
            }
            r.body = _(
                "Task %(task)s %(title)s was due on %(date)s and %(department)s has not "
                "reported it done."
            ) % {
                "task": r.task.code,
                "title": r.task.title,
                "date": r.about.isoformat(),
                "department": r.department.name,
            }
            r.link = reverse("ledger:task", args=[r.task.id])
        else:
            r.subject = _("Due %(date)s: %(task)s") % {
                "task": r.task.code,
                "date": r.about.isoformat(),
            }
            r.body = _("Task %(task)s %(title)s is due on %(date)s (%(department)s).") % {
                "task": r.task.code,
                "title": r.task.title,
                "date": r.about.isoformat(),
                "department": r.department.name,
            }
            r.link = reverse("ledger:task", args=[r.task.id])


def _tasks_without_entries_since_last_round(round_ids, assignments) -> dict[tuple, list[str]]:
    """(round id, department id) → codes of the department's tasks with no counted entry
    dated after the previous round of the same plan (or ever, for the first round)."""
    if not round_ids:
        return {}
    result: dict[tuple, list[str]] = {}
    all_rounds = list(
        ReviewRound.objects.filter(plan__review_rounds__in=round_ids)
        .distinct()
        .order_by("plan_id", "date", "id")
    )
    previous = {}
    last_by_plan = {}
    for review_round in all_rounds:
        previous[review_round.id] = last_by_plan.get(review_round.plan_id)
        last_by_plan[review_round.plan_id] = review_round.date
    plan_of_round = {r.id: r.plan_id for r in all_rounds}
    for round_id in round_ids:
        since = previous.get(round_id)
        for a in assignments:
            if a.task.plan_id != plan_of_round.get(round_id):
                continue
            last = a.latest_on
            if last is None or (since is not None and last <= since):
                result.setdefault((round_id, a.department_id), []).append(a.task.code)
    return result


def notifications_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user).select_related(
        "department", *code_related("task")
    )
