import datetime
import json

import pytest

from tasks_ledger.plan.plan_json import validate_plan, without_provenance
from tasks_ledger.plan.reading import PlanTextError, parse_plan_text
from tests.tasks_ledger.plan.corpus import FIXTURE, SEED


def test_seed_text_reads_as_the_reviewed_fixture():
    read = parse_plan_text(SEED.read_text(encoding="utf-8"))
    validate_plan(read)
    # Where each fact was read ("source") is for the import preview, not part of the plan.
    parsed = without_provenance(read)
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    # The document itself names no title or issuer: those were added by hand.
    for key in ("sections", "preamble", "year", "review_rounds"):
        assert parsed[key] == fixture[key], key


ANOTHER_PLAN = """某市住房和城乡建设局2030年政务公开工作要点
为做好2030年政务公开工作,制定本要点。
一、推进决策公开
(一)推进重大决策预公开。重大决策草案应于2030年6月15日前公开征求意见,每季度通报一次(法规科会同规划科、财务科牵头落实)。
1.梳理年度重大决策事项目录。2030年3月底前完成(法规科负责)。
2.做好决策后评估。
(二)做好政策解读。政策文件印发后,解读材料于文件公开后5个工作日内发布;舆情发生后48小时内回应(有关部门负责落实)。
二、强化监督
(一)开展考核。局办公室2030年11月20日开展检查,2031年1月对各单位进行考核,年底前形成报告。
"""


def test_another_bureau_and_year_read_the_same_way():
    plan = parse_plan_text(ANOTHER_PLAN)
    validate_plan(plan)
    plan = without_provenance(plan)
    assert plan["title"] == "某市住房和城乡建设局2030年政务公开工作要点"
    assert plan["year"] == 2030
    first = plan["sections"][0]["tasks"][0]
    assert first["title"] == "推进重大决策预公开"
    assert first["departments"] == [
        {"name": "法规科", "role": "lead"},
        {"name": "规划科", "role": "partner"},
        {"name": "财务科", "role": "partner"},
    ]
    assert first["deadlines"] == [
        {"text": "2030年6月15日前", "kind": "date", "due": "2030-06-15"},
        {"text": "每季度", "kind": "recurring", "every": "quarter"},
    ]
    sub = first["tasks"]
    assert [t["number"] for t in sub] == ["1", "2"]
    assert sub[0]["deadlines"] == [{"text": "2030年3月底前", "kind": "date", "due": "2030-03-31"}]
    assert sub[0]["departments"] == [{"name": "法规科", "role": "lead"}]
    second = plan["sections"][0]["tasks"][1]
    assert second["other_units"] == "有关部门"
    assert second["deadlines"] == [
        {
            "text": "5个工作日内",
            "kind": "relative",
            "amount": 5,
            "unit": "workday",
            "after": "文件公开后",
        },
        {
            "text": "48小时内",
            "kind": "relative",
            "amount": 48,
            "unit": "hour",
            "after": "舆情发生后",
        },
    ]
    review = plan["sections"][1]["tasks"][0]
    assert {d["text"]: d["due"] for d in review["deadlines"]} == {
        "2030年11月20日": "2030-11-20",
        "2031年1月": "2031-01-31",
        "年底前": "2030-12-31",
    }
    assert plan["review_rounds"][0] == {
        "kind": "check",
        "text": "2030年11月20日",
        "date": "2030-11-20",
    }
    assert plan["review_rounds"][1]["kind"] == "assessment"
    assert plan["review_rounds"][1]["text"] == "2031年1月"
    # Beyond the years chinese-calendar knows, the first working day falls back to weekdays.
    assert datetime.date.fromisoformat(plan["review_rounds"][1]["date"]).weekday() < 5


def test_text_without_sections_or_tasks_is_refused():
    with pytest.raises(PlanTextError, match="no section heading .* or numbered task"):
        parse_plan_text("这不是一份实施方案。")
