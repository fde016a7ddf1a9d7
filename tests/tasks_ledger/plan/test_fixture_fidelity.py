"""The 2016 plan as stored must say exactly what the seed document says.

The expectations below are a reading by hand of the seed text (fixtures/plan_2016_source.txt,
the published plan, kept in the project), written independently of the parser that produced
fixtures/plan_2016.json.
"""

import datetime

import pytest

from tasks_ledger.plan.models import Assignment, Deadline, ReviewRound, Task
from tests.tasks_ledger.plan.corpus import SEED

SECTIONS = {
    "一": "总体要求",
    "二": "围绕深化改革推进公开",
    "三": "围绕促进交通运输领域经济发展推进公开",
    "四": "围绕助力政府建设推进公开",
    "五": "围绕扩大政务参与加强解读回应",
    "六": "围绕增强公开实效加强能力建设",
}

# code: (title, leads, partners, other_units)
TASKS = {
    "二(一)": ("推进权力清单和责任清单公开", ["政策法规处", "行政服务处"], [], ""),
    "二(二)": ("推进市场监管公开透明", ["政策法规处"], ["安全处"], ""),
    "二(三)": ("推进政务服务公开", ["行政服务处"], [], "等"),
    "三(一)": (
        "推进交通运输领域经济政策公开透明",
        ["政策法规处", "计划处", "行政服务处"],
        [],
        "等部门",
    ),
    "三(二)": ("推进重大建设项目信息公开", ["计划处"], ["建管处"], ""),
    "三(三)": ("推进安全生产信息公开", ["安全处"], [], ""),
    "四(一)": ("推进政策执行和落实情况公开", ["办公室"], [], "有关部门"),
    "四(二)": ("深入推进预决算公开", ["财务处"], [], ""),
    "五(一)": ("主动做好政策解读", ["政策法规处", "政治处"], [], ""),
    "五(二)": ("积极回应社会关切", ["政治处", "办公室"], [], "各单位"),
    "五(三)": ("更好发挥媒体作用", [], [], "各单位各部门"),
    "六(一)": ("切实加强组织领导", [], [], "各单位各部门"),
    "六(二)": ("建立健全工作机制", [], [], ""),
    "六(三)": ("提高制度化标准化水平", ["政策法规处"], [], ""),
    "六(四)": ("提升信息化集中化程度", [], [], ""),
    "六(五)": ("加强政务公开队伍建设", [], [], ""),
    "六(六)": ("强化督导检查考核", [], [], "各单位各部门"),
}

# code: [(words, kind, due / (amount, unit, after) / every)]
DEADLINES = {
    "二(三)": [("2016年9月底前", "date", datetime.date(2016, 9, 30))],
    "五(一)": [("3个工作日内", "relative", (3, "workday", "文件公开后"))],
    "五(二)": [
        ("5小时内", "relative", (5, "hour", "特别重大、重大突发事件发生后")),
        ("24小时内", "relative", (24, "hour", "特别重大、重大突发事件发生后")),
    ],
    "六(一)": [("年内", "date", datetime.date(2016, 12, 31))],
    "六(三)": [("定期", "recurring", "periodic")],
    "六(六)": [
        ("定期", "recurring", "periodic"),
        ("2016年10月", "date", datetime.date(2016, 10, 31)),
        ("2017年1月", "date", datetime.date(2017, 1, 31)),
    ],
}


@pytest.fixture
def tasks(plan_2016):
    return {t.code: t for t in Task.objects.filter(plan=plan_2016).select_related("section")}


def test_plan_header(plan_2016):
    assert plan_2016.year == 2016
    assert plan_2016.issuer == "宿迁市交通运输局"
    assert plan_2016.preamble.startswith("为认真贯彻落实《中共中央办公厅国务院办公厅")
    assert plan_2016.preamble.endswith("结合我局实际,制定本实施方案。")
    assert plan_2016.source_text == SEED.read_text(encoding="utf-8")


def test_sections(plan_2016):
    sections = list(plan_2016.sections.order_by("order"))
    assert [(s.number, s.title) for s in sections] == list(SECTIONS.items())
    assert sections[0].body.startswith("深入贯彻中共中央办公厅、国务院办公厅")
    assert all(s.body == "" for s in sections[1:])


def test_every_task_and_nothing_else(tasks):
    assert sorted(tasks) == sorted(TASKS)
    for code, (title, *_rest) in TASKS.items():
        assert tasks[code].title == title, code
        assert tasks[code].parent_id is None


def test_task_bodies_are_verbatim(tasks):
    lines = set(SEED.read_text(encoding="utf-8").splitlines())
    for task in tasks.values():
        assert f"({task.number}){task.title}。{task.body}" in lines, task.code


def test_departments_and_roles(tasks):
    for code, (_title, leads, partners, other_units) in TASKS.items():
        assignments = Assignment.objects.filter(task=tasks[code]).order_by("order")
        got_leads = [a.department.name for a in assignments if a.role == "lead"]
        got_partners = [a.department.name for a in assignments if a.role == "partner"]
        assert got_leads == leads, code
        assert got_partners == partners, code
        assert tasks[code].other_units == other_units, code


def test_every_deadline(tasks):
    found = {}
    for d in Deadline.objects.select_related("task__section").order_by("task", "order"):
        if d.kind == "date":
            detail = d.due
        elif d.kind == "relative":
            detail = (d.amount, d.unit, d.after)
        else:
            detail = d.every
        found.setdefault(d.task.code, []).append((d.text, d.kind, detail))
    assert {code: sorted(items) for code, items in found.items()} == {
        code: sorted(items) for code, items in DEADLINES.items()
    }


def test_review_rounds(plan_2016):
    rounds = [(r.kind, r.text, r.date) for r in ReviewRound.objects.filter(plan=plan_2016)]
    # 2016-10-01..07 is the National Day holiday and the 8th a 调休 Saturday worked;
    # 2017-01-02 is the New Year holiday.
    assert rounds == [
        ("check", "2016年10月", datetime.date(2016, 10, 8)),
        ("assessment", "2017年1月", datetime.date(2017, 1, 3)),
    ]


def test_all_eight_departments(plan_2016):
    from departments.models import Department

    assert dict(Department.objects.values_list("code", "name")) == {
        "general-office": "办公室",
        "policy-law": "政策法规处",
        "admin-service": "行政服务处",
        "safety": "安全处",
        "planning": "计划处",
        "construction": "建管处",
        "finance": "财务处",
        "political": "政治处",
    }
