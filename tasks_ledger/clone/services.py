"""Next year's plan from this year's: `plan_clone` copies a plan to another year.

What is carried: sections, tasks and sub-tasks, assignments, deadlines, review rounds with
their weights (the round's lead and partner weights, each task's weight), and the plan's
reminder lead times. What is not: ledger entries, findings, urges — they are this year's
work, not next year's plan. The copy's source text is empty: it was read from no document
(the new year's text is applied to it afterwards, as an import).

How the dates move (a plan's "year after" stays the year after: an assessment in January
2017 of the 2016 plan lands in January 2018 of the 2017 copy):
  - a date deadline on the last day of its month stays on the month's last day (2016-02-29
    → 2017-02-28; 2016-09-30 → 2017-09-30); any other keeps its month and day;
  - a review round by its `date_rule`: "the month's first working day" is recomputed on
    the new year's calendar (China's, with the administrator's holidays: 2016-10-08 →
    2017-10-09, after that year's National Day holiday), a fixed day moves like a deadline;
  - relative (3个工作日内) and recurring (每季度) deadlines are copied unchanged;
  - years written in the words (2016年9月底前, 2017年1月) and the title move the same way.
"""

import calendar
import dataclasses
import datetime
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tasks_ledger.calendar.selectors import HolidayCalendar
from tasks_ledger.calendar.workdays import OFFICIAL, first_workday_of_month
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Section, Task
from tasks_ledger.reminders.models import ReminderSettings
from tasks_ledger.reviews.models import RoundTaskWeight

MIN_YEAR, MAX_YEAR = 1990, 2200
# A year as the plans write it: four digits followed by 年 (2016年9月底前, 2017年1月).
YEAR_IN_WORDS = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")
# Words that name a day of the month (2016年10月15日): such a round keeps its day.
DAY_IN_WORDS = re.compile(r"\d\s*[日号]")


class PlanCloneError(ValueError):
    """The plan cannot be copied; the message says why, for the person who asked."""


@dataclasses.dataclass
class PlanCopy:
    plan: Plan
    # Rounds dated on a calendar that is not the official one (a year chinese-calendar does
    # not know yet): the office should confirm their dates. (round, calendar name) pairs.
    unconfirmed_rounds: list = dataclasses.field(default_factory=list)


def moved_date(day: datetime.date, *, year: int, new_year: int) -> datetime.date:
    """`day` of the plan for `year`, in the plan for `new_year`: the same distance in years
    from the plan's year, a month's last day staying its last day."""
    target = new_year + (day.year - year)
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(target, day.month, calendar.monthrange(target, day.month)[1])
    return datetime.date(target, day.month, day.day)


def moved_words(text: str, *, year: int, new_year: int) -> str:
    """The years written in `text` moved by the same step (2016年9月底前 → 2017年9月底前)."""
    return YEAR_IN_WORDS.sub(lambda m: str(int(m[1]) + new_year - year), text)


def round_date_rule(review_round: ReviewRound) -> str:
    """The round's stored rule or, when none is stored, the one its words imply: a month
    alone is the month's first working day (as the plan reader dates it), a day is fixed."""
    if review_round.date_rule:
        return review_round.date_rule
    if DAY_IN_WORDS.search(review_round.text):
        return ReviewRound.DateRule.FIXED
    return ReviewRound.DateRule.FIRST_WORKDAY


def plan_clone(*, plan: Plan, new_year: int, by=None, status: str | None = None) -> PlanCopy:
    """Copy `plan` to `new_year` (see the module docstring), all or nothing, recorded in the
    history as done by `by`. Refused when `new_year` already has a plan. `status` is the
    copy's (default: the source's)."""
    if not MIN_YEAR <= new_year <= MAX_YEAR:
        raise PlanCloneError(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if Plan.objects.filter(year=new_year).exists():
        raise PlanCloneError(_("A plan for %(year)s already exists.") % {"year": new_year})
    try:
        with transaction.atomic():
            return _Copier(plan=plan, new_year=new_year, by=by).copy(status or plan.status)
    except IntegrityError:
        # Someone copied or imported the same year between the check and the insert: the
        # plan's unique year refuses the second, and nothing of it is kept.
        if Plan.objects.filter(year=new_year).exists():
            raise PlanCloneError(
                _("A plan for %(year)s already exists.") % {"year": new_year}
            ) from None
        raise


class _Copier:
    def __init__(self, *, plan: Plan, new_year: int, by):
        self.source = plan
        self.year = plan.year
        self.new_year = new_year
        self.by = by
        self.reason = f"clone_plan {plan.year} → {new_year}"
        self.tasks: dict[int, Task] = {}  # source task id → its copy
        self.unconfirmed: list = []

    def save(self, obj):
        obj._history_user = self.by
        obj._change_reason = self.reason
        obj.save()
        return obj

    def words(self, text: str) -> str:
        return moved_words(text, year=self.year, new_year=self.new_year)

    def date(self, day: datetime.date) -> datetime.date:
        return moved_date(day, year=self.year, new_year=self.new_year)

    def copy(self, status: str) -> PlanCopy:
        source = self.source
        plan = self.save(
            Plan(
                year=self.new_year,
                issuer=source.issuer,
                title=self.words(source.title),
                preamble=source.preamble,
                status=status,
            )
        )
        sections = {}
        for section in source.sections.order_by("order", "id"):
            sections[section.id] = self.save(
                Section(
                    plan=plan,
                    number=section.number,
                    title=section.title,
                    body=section.body,
                    order=section.order,
                )
            )
        # Parents before their sub-tasks: ordered by depth through the parent chain.
        tasks = list(source.tasks.order_by("order", "id"))
        pending = tasks
        while pending:
            later = []
            for task in pending:
                if task.parent_id and task.parent_id not in self.tasks:
                    later.append(task)
                    continue
                self.tasks[task.id] = self.save(
                    Task(
                        plan=plan,
                        section=sections[task.section_id],
                        parent=self.tasks.get(task.parent_id),
                        number=task.number,
                        title=task.title,
                        body=task.body,
                        other_units=task.other_units,
                        order=task.order,
                        ongoing=task.ongoing,
                    )
                )
            if len(later) == len(pending):
                # A sub-task whose parent is in another plan: nothing left can be placed.
                raise PlanCloneError(
                    _("Task %(task)s has its parent task in another plan.") % {"task": later[0]}
                )
            pending = later
        for assignment in Assignment.objects.filter(task__plan=source).order_by("id"):
            self.save(
                Assignment(
                    task=self.tasks[assignment.task_id],
                    department_id=assignment.department_id,
                    role=assignment.role,
                    order=assignment.order,
                )
            )
        for deadline in Deadline.objects.filter(task__plan=source).order_by("id"):
            is_date = deadline.kind == Deadline.Kind.DATE
            self.save(
                Deadline(
                    task=self.tasks[deadline.task_id],
                    text=self.words(deadline.text) if is_date else deadline.text,
                    kind=deadline.kind,
                    due=self.date(deadline.due) if is_date else None,
                    amount=deadline.amount,
                    unit=deadline.unit,
                    after=deadline.after,
                    every=deadline.every,
                    order=deadline.order,
                )
            )
        self.rounds(plan)
        settings = ReminderSettings.objects.filter(plan=source).first()
        if settings is not None:
            ReminderSettings.objects.create(
                plan=plan,
                days_before=settings.days_before,
                workdays_before=settings.workdays_before,
                overdue_every_days=settings.overdue_every_days,
            )
        return PlanCopy(plan=plan, unconfirmed_rounds=self.unconfirmed)

    def rounds(self, plan: Plan) -> None:
        holidays = HolidayCalendar()
        for review_round in self.source.review_rounds.order_by("date", "id"):
            rule = round_date_rule(review_round)
            source = OFFICIAL
            if rule == ReviewRound.DateRule.FIRST_WORKDAY:
                target = self.new_year + (review_round.date.year - self.year)
                date, source = first_workday_of_month(target, review_round.date.month, holidays)
            else:
                date = self.date(review_round.date)
            copy = self.save(
                ReviewRound(
                    plan=plan,
                    kind=review_round.kind,
                    text=self.words(review_round.text),
                    date=date,
                    date_rule=rule,
                    lead_weight=review_round.lead_weight,
                    partner_weight=review_round.partner_weight,
                )
            )
            if source != OFFICIAL:
                self.unconfirmed.append((copy, source))
            RoundTaskWeight.objects.bulk_create(
                RoundTaskWeight(round=copy, task=self.tasks[w.task_id], weight=w.weight)
                for w in review_round.task_weights.all()
                if w.task_id in self.tasks
            )
