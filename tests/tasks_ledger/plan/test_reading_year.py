"""The year a plan is for: its title, its issue date; never a year it cites; null if unknown."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.tasks_ledger.plan.forms import FORMS, read

BODY = "一、重点任务\n(一)推进公开(办公室负责)。年底前完成。"


@pytest.mark.parametrize("form", FORMS)
def test_the_title_says_the_year_and_the_issuer(form):
    plan = read(f"松原市机关事务管理局2020年政务公开工作重点任务实施方案\n{BODY}", form)
    assert (plan["year"], plan["issuer"]) == (2020, "松原市机关事务管理局")
    assert plan["year_source"] == plan["title"]


def test_a_title_with_a_bracketed_tail():
    assert read(f"某局政务公开工作要点(2023年)\n{BODY}")["year"] == 2023


def test_the_covering_notice_names_the_plan_it_issues():
    text = f"关于印发《某市2023年政务公开工作要点》的通知\n各县区:\n某市政务公开工作要点\n{BODY}"
    plan = read(text)
    assert (plan["year"], plan["title"]) == (2023, "某市政务公开工作要点")


def test_a_month_range_in_the_title_still_names_the_year():
    assert read(f"2022年11—12月政务公开重点工作任务清单\n{BODY}")["year"] == 2022


@pytest.mark.parametrize("form", FORMS)
def test_a_range_in_the_title_says_nothing_and_the_issue_date_does(form):
    text = f"某市政务公开三年行动方案(2021—2023年)\n2022年3月1日\n{BODY}"
    plan = read(text, form)
    assert (plan["year"], plan["year_source"]) == (2022, "2022年3月1日")


def test_a_cited_title_says_nothing():
    text = f"根据《国务院办公厅关于印发2016年政务公开工作要点的通知》,制定本方案。\n{BODY}"
    plan = read(text)
    assert plan["year"] is None
    deadline = plan["sections"][0]["tasks"][0]["deadlines"][0]
    assert (deadline["text"], deadline["due"]) == ("年底前", None)


def test_the_plans_own_dates_give_the_year_when_nothing_else_does():
    text = "为做好政务公开工作,制定本方案。\n一、重点任务\n(一)推进公开。2016年9月底前完成。"
    plan = read(text)
    assert plan["year"] == 2016


@pytest.mark.django_db
def test_dry_run_prints_year_null_and_storing_needs_the_year(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(BODY.replace("(一)", "（一）"), encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["year"] is None
    assert printed["sections"][0]["tasks"][0]["departments"][0]["name"] == "办公室"
    with pytest.raises(CommandError, match="year"):
        call_command("import_plan", str(path), stdout=StringIO())
