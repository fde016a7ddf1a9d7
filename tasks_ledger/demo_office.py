"""The living demo's office (see demo_living): the check round held, with a finding for
every assignment, the daily reminders of the last weeks, and an urge. A mixin of
demo_living's story, whose clock (`at`), calendar and people it uses."""

import datetime

from django.utils import timezone

from tasks_ledger.calendar.workdays import first_workday_of_month
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.plan.models import Assignment, Plan, ReviewRound
from tasks_ledger.reminders.models import SentReminder
from tasks_ledger.reminders.services import reminders_send_for_day, urge_create
from tasks_ledger.reviews import services as reviews
from tasks_ledger.reviews.models import Finding

# How many days of daily reminders are played before today.
REMINDER_DAYS = 21
CHANGE_REASON = "seed_demo (living demo)"


class OfficeYear:
    """The office's side of the year: rounds and reminders."""

    def check_round(self, plan: Plan) -> ReviewRound | None:
        """The plan's check if its day has passed; else (the year's first months) an
        interim check the office held at the start of this month or the last."""
        rounds = plan.review_rounds.filter(kind=ReviewRound.Kind.CHECK, date__lt=self.today)
        held = rounds.order_by("-date").first()
        if held is not None:
            return held
        month = self.today.replace(day=1)
        day, _source = first_workday_of_month(month.year, month.month, self.holidays)
        if (self.today - day).days < 3:
            month = (month - datetime.timedelta(days=1)).replace(day=1)
            day, _source = first_workday_of_month(month.year, month.month, self.holidays)
        review_round = ReviewRound(
            plan=plan,
            kind=ReviewRound.Kind.CHECK,
            text=f"{month.year}年{month.month}月",
            date=day,
            date_rule=ReviewRound.DateRule.FIRST_WORKDAY,
        )
        review_round._history_user = self.people.reviewer
        review_round._change_reason = CHANGE_REASON
        with self.at(self.start, 10):
            review_round.save()
        return review_round

    def hold_round(self, plan: Plan) -> int:
        review_round = self.check_round(plan)
        if review_round is None or review_round.status != ReviewRound.Status.PLANNED:
            return 0
        office = self.people.reviewer
        # The departments were reminded of the round beforehand (7 days and 1 working day).
        self.sent += self.send_days(
            review_round.date - datetime.timedelta(days=9), review_round.date
        )
        with self.at(review_round.date, 9):
            reviews.review_round_open(review_round=review_round, by=office)
        # What each department had submitted by the end of the round's day.
        as_of = {}
        for entry in LedgerEntry.objects.filter(
            task__plan=plan,
            state__in=COUNTED_STATES,
            happened_on__lte=review_round.date,
        ).order_by("happened_on", "id"):
            as_of[(entry.task_id, entry.department_id)] = entry.status
        findings = 0
        day = review_round.date
        for a in Assignment.objects.filter(task__plan=plan).select_related("task").order_by("id"):
            status = as_of.get((a.task_id, a.department_id))
            if status == LedgerEntry.Status.DONE:
                rating, comment = Finding.Rating.COMPLETE, "台账完整,佐证材料齐全"
            elif status is None:
                rating, comment = Finding.Rating.INCOMPLETE, "未见工作台账记录,请抓紧推进"
            else:
                rating, comment = Finding.Rating.MOSTLY, "工作有序推进,请及时补充佐证材料"
            if findings and findings % 8 == 0:
                day = min(self.next_workday(day + datetime.timedelta(days=1)), self.today)
            with self.at(day, 14, findings % 60):
                reviews.finding_record(
                    review_round=review_round,
                    assignment=a,
                    rating=rating,
                    score=None,
                    comment=comment,
                    by=office,
                )
            findings += 1
        closed = self.next_workday(day + datetime.timedelta(days=1))
        if closed < self.today:
            with self.at(closed, 17):
                reviews.review_round_close(review_round=review_round, by=office)
        return findings

    def send_days(self, first: datetime.date, last: datetime.date) -> int:
        """The daily reminders from `first` to `last`, each morning at 08:30."""
        sent, day = 0, max(first, self.start)
        while day <= min(last, self.today):
            with self.at(day, 8, 30):
                sent += reminders_send_for_day(on=day)
            day += datetime.timedelta(days=1)
        return sent

    def remind(self, plan: Plan) -> int:
        """The daily reminders of the last weeks and one urge; all marked emailed."""
        first = self.today - datetime.timedelta(days=REMINDER_DAYS)
        sent = self.sent + self.send_days(first, self.today)
        overdue = (
            Assignment.objects.filter(
                task__plan=plan, task__deadlines__kind="date", task__deadlines__due__lt=self.today
            )
            .select_related("task", "department")
            .order_by("id")
            .first()
        )
        if overdue is not None:
            with self.at(min(self.next_workday(first), self.today), 11):
                urge_create(
                    task=overdue.task,
                    department=overdue.department,
                    by=self.people.reviewer,
                    message="请抓紧推进,并于本周内在台账中报送进展。",
                )
            sent += 1
        # They were emailed back then: the worker has nothing of the past left to send.
        SentReminder.objects.filter(id__gt=self.first_reminder, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        return sent
