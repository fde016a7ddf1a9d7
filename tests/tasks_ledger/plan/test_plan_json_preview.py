"""What a plan read from a document may carry beyond what is stored: provenance, "year": null
for a preview, a single section without number, ongoing tasks."""

import copy
import json

import pytest

from tasks_ledger.plan.plan_json import PlanFormatError, validate_plan, without_provenance
from tests.tasks_ledger.plan.corpus import FIXTURE


def plan() -> dict:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data.pop("source_text")
    return data


def first_task(data):
    return data["sections"][1]["tasks"][2]


def test_provenance_is_accepted_and_leaves_the_content_unchanged():
    data = plan()
    task = first_task(data)
    task["departments"][0].update(source="(行政服务处等牵头落实)", guess=True)
    task["deadlines"][0]["source"] = "2016年9月底前制定办事公开具体实施方案"
    task["ongoing"] = True
    data["year_source"] = "2016年"
    validate_plan(data)
    stripped = without_provenance(data)
    assert "source" not in first_task(stripped)["departments"][0]
    assert "guess" not in first_task(stripped)["departments"][0]
    assert "source" not in first_task(stripped)["deadlines"][0]


@pytest.mark.parametrize(
    ("spoil", "where"),
    [
        (lambda t: t["departments"][0].update(guess="yes"), "departments[0].guess"),
        (lambda t: t["departments"][0].update(source=3), "departments[0].source"),
        (lambda t: t["deadlines"][0].update(source=None), "deadlines[0].source"),
        (lambda t: t.update(ongoing="always"), "ongoing"),
    ],
)
def test_malformed_provenance_names_its_place(spoil, where):
    data = plan()
    spoil(first_task(data))
    with pytest.raises(PlanFormatError) as info:
        validate_plan(data)
    assert info.value.where == f"sections[1].tasks[2].{where}"


def test_year_null_is_a_preview_not_a_plan_to_store():
    data = plan()
    data["year"] = None
    first_task(data)["deadlines"][0]["due"] = None  # 年底前 waits for the year
    validate_plan(data, year_required=False)
    with pytest.raises(PlanFormatError) as info:
        validate_plan(data)
    assert info.value.where == "year"


def test_a_date_without_due_needs_an_unknown_year():
    data = plan()
    first_task(data)["deadlines"][0]["due"] = None
    with pytest.raises(PlanFormatError) as info:
        validate_plan(data, year_required=False)
    assert info.value.where == "sections[1].tasks[2].deadlines[0].due"


def test_only_the_first_section_may_have_no_number_or_title():
    data = plan()
    single = copy.deepcopy(data)
    single["sections"] = [dict(data["sections"][1], number="", title="")]
    validate_plan(single)
    data["sections"][0].update(number="", title="")
    validate_plan(data)
    data["sections"][2]["number"] = ""
    with pytest.raises(PlanFormatError) as info:
        validate_plan(data)
    assert info.value.where == "sections[2].number"
