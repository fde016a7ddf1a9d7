"""The living demo: `seed_demo --accounts` shows the bureau at work this year."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.ledger.status import Light, assignment_statuses
from tasks_ledger.plan.models import Deadline, Plan, ReviewRound, Task
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reviews.models import Finding

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Friday afternoon late in a year the official calendar knows: the October check is past.
LATE = datetime.datetime(2026, 11, 20, 16, 30, tzinfo=SHANGHAI)
# Early in the year: the plan's own check (October) is still ahead.
EARLY = datetime.datetime(2026, 3, 18, 11, 0, tzinfo=SHANGHAI)


def seed():
    out = StringIO()
    call_command("seed_demo", "--accounts", stdout=out)
    return out.getvalue()


def the_2016_plan():
    """What the seed says, row by row (its status aside)."""
    plan = Plan.objects.get(year=2016)
    return (
        (plan.title, plan.issuer, plan.preamble, plan.source_text),
        list(Task.objects.filter(plan=plan).order_by("id").values_list("number", "title", "body")),
        list(
            Deadline.objects.filter(task__plan=plan)
            .order_by("id")
            .values_list("text", "kind", "due", "amount", "every")
        ),
        list(ReviewRound.objects.filter(plan=plan).order_by("id").values_list("text", "date")),
    )


def counts():
    """Rows of every model, history tables included."""
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def lights(plan, today):
    return {a.light for a in assignment_statuses(plan=plan, today=today)}


@pytest.mark.django_db
def test_the_demo_lives_this_year_and_seeding_again_changes_nothing(client):
    with time_machine.travel(LATE, tick=False):
        seed()
        seed_record = the_2016_plan()
        today = timezone.localdate()
        plan = Plan.objects.current()
        assert plan.year == 2026

        # Lights of every colour.
        assert lights(plan, today) == set(Light.ORDER)

        # The weekly chart has data in each of its eight weeks.
        monday = today - datetime.timedelta(days=today.weekday())
        for week in range(8):
            first = monday - datetime.timedelta(weeks=week)
            assert LedgerEntry.objects.filter(
                task__plan=plan,
                state__in=COUNTED_STATES,
                happened_on__gte=first,
                happened_on__lt=first + datetime.timedelta(days=7),
            ).exists(), f"no counted entry in the week of {first}"

        # The October check was held: opened on its day, a finding for every assignment.
        check = plan.review_rounds.get(kind="check")
        assert (check.date, check.status) == (datetime.date(2026, 10, 8), "closed")
        assert check.opened_at.astimezone(SHANGHAI).date() == check.date
        assert check.findings.count() == Finding.objects.filter(round=check).count() > 0
        assert {f.rating for f in check.findings.all()} >= {"complete", "mostly"}
        assert {h.history_date.astimezone(SHANGHAI).date() for h in Finding.history.all()} <= {
            check.date,
            datetime.date(2026, 10, 9),
            datetime.date(2026, 10, 10),
        }

        # Reminders in the inboxes: every department was reminded of the check, the
        # office got the overdue ones, and someone was urged.
        kinds = set(Notification.objects.values_list("kind", flat=True))
        assert {"check", "overdue", "urge"} <= kinds
        assert Notification.objects.filter(recipient__username="policy-law").exists()
        assert Notification.objects.filter(recipient__username="reviewer").exists()

        # Each step is in the history when it was made, months of them, none in the future.
        dates = list(LedgerEntry.history.values_list("history_date", flat=True))
        assert max(dates) <= timezone.now()
        assert min(dates) < timezone.now() - datetime.timedelta(days=90)
        for entry in LedgerEntry.objects.filter(task__plan=plan)[:20]:
            first = entry.history.order_by("history_id").first()
            assert (first.history_type, first.history_date) == ("+", entry.created_at)
            assert entry.created_at.astimezone(SHANGHAI).date() >= entry.happened_on
            last = entry.history.order_by("history_id").last()
            assert last.history_date == entry.updated_at
            assert list(entry.history.order_by("history_id")) == list(
                entry.history.order_by("history_date", "history_id")
            )
        assert plan.history.get().history_user.username == "admin"

        # The 2016 plan is the seed as read, closed as a past year's plan.
        assert Plan.objects.get(year=2016).status == Plan.Status.CLOSED

        # The department pages show this year's plan.
        client.force_login(User.objects.get(username="policy-law"))
        assert client.get("/ledger/").context["plan"] == plan
        client.force_login(User.objects.get(username="reviewer"))
        data = client.get("/dashboard/").context["data"]
        assert any(sum(counts_) for _name, counts_ in data.weekly)

        before = counts()
        output = seed()
        assert "living demo 2026: already there" in output
        assert counts() == before
        assert the_2016_plan() == seed_record


@pytest.mark.django_db
def test_early_in_the_year_an_interim_check_was_held():
    with time_machine.travel(EARLY, tick=False):
        seed()
        today = timezone.localdate()
        plan = Plan.objects.current()
        assert lights(plan, today) == set(Light.ORDER)
        held = plan.review_rounds.exclude(status="planned").get()
        # The first working day of March 2026 is Monday the 2nd.
        assert (held.kind, held.text, held.date) == (
            "check",
            "2026年3月",
            datetime.date(2026, 3, 2),
        )
        assert held.findings.exists()
        # The plan's own October check is still ahead.
        assert plan.review_rounds.get(text="2026年10月").status == "planned"
        assert LedgerEntry.objects.filter(happened_on__gt=today).count() == 0
