"""`manage.py clone_plan YEAR NEW_YEAR [--by USERNAME]`."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tasks_ledger.plan.models import Plan, Task


def clone(*args):
    out = StringIO()
    call_command("clone_plan", *args, stdout=out)
    return out.getvalue()


def test_copies_and_says_where_the_rounds_fell(demo_accounts):
    output = clone("2016", "2017", "--by", "admin")
    assert "plan 2016 copied to 2017: 6 sections, 17 tasks" in output
    assert "check 2017年10月: 2017-10-09" in output
    plan = Plan.objects.get(year=2017)
    assert plan.history.get().history_user.username == "admin"
    assert Task.objects.filter(plan=plan).count() == 17


def test_a_year_without_the_official_calendar_asks_to_confirm(plan_2016):
    output = clone("2016", "2150")
    assert "2150年10月: dated on the weekends-only calendar, please confirm" in output
    assert Plan.objects.get(year=2150).review_rounds.get(kind="check").date == datetime.date(
        2150, 10, 1
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2016", "2016"), "2016年的方案已存在。"),
        (("2015", "2017"), "no plan for 2015"),
        (("2016", "2017", "--by", "nobody"), "--by: no user named 'nobody'"),
    ],
)
def test_refusals_write_nothing(plan_2016, args, message):
    before = (Plan.objects.count(), Task.objects.count())
    with pytest.raises(CommandError, match=message):
        clone(*args)
    assert (Plan.objects.count(), Task.objects.count()) == before
