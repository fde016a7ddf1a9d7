"""Sections, tasks and sub-tasks, however a plan numbers them."""

import pytest

from tasks_ledger.plan.reading import PlanTextError, parse_plan_text
from tests.tasks_ledger.plan.forms import FORMS, read, roles, tasks_by_path


@pytest.mark.parametrize("form", FORMS)
def test_sections_tasks_and_a_heading_sentence_with_its_body(form):
    plan = read(
        "某局2030年政务公开工作要点\n为做好工作,制定本要点。\n一、总体要求\n坚持公开为常态。\n"
        "二、重点任务\n(一)推进决策公开。编制目录(办公室负责)。\n(二)做好解读:及时解读政策。",
        form,
    )
    assert [(s["number"], s["title"]) for s in plan["sections"]] == [
        ("一", "总体要求"),
        ("二", "重点任务"),
    ]
    assert plan["sections"][0]["body"] == "坚持公开为常态。"
    assert plan["preamble"].startswith("为做好工作")
    first, second = plan["sections"][1]["tasks"]
    assert (first["title"], first["body"]) == ("推进决策公开", "编制目录(办公室负责)。")
    assert (second["title"], second["body"]) == ("做好解读", "及时解读政策。")


@pytest.mark.parametrize("style", ["1.", "1、", "(1)"])
@pytest.mark.parametrize("form", FORMS)
def test_tasks_directly_under_a_section(style, form):
    numbered = "\n".join(f"{style.replace('1', str(n))}任务{n}。" for n in (1, 2))
    plan = read(f"一、重点任务\n{numbered}", form)
    assert [t["number"] for t in plan["sections"][0]["tasks"]] == ["1", "2"]


@pytest.mark.parametrize("form", FORMS)
def test_no_section_headings_gives_one_section_with_empty_number_and_title(form):
    plan = read("某局2030年政务公开工作要点\n1.推进决策公开。\n2.做好解读。", form)
    assert [(s["number"], s["title"]) for s in plan["sections"]] == [("", "")]
    assert [t["title"] for t in plan["sections"][0]["tasks"]] == ["推进决策公开", "做好解读"]
    assert plan["title"] == "某局2030年政务公开工作要点"


@pytest.mark.parametrize("form", FORMS)
def test_sub_tasks_at_every_depth_and_gaps_kept(form):
    plan = read(
        "一、重点任务\n(一)推进公开。\n1.梳理目录。\n(1)编制清单。\n(2)公开清单。\n2.做好评估。"
        "\n4.跳过三。\n(二)做好解读。\n①第一项。\n②第二项。",
        form,
    )
    assert sorted(tasks_by_path(plan)) == [
        "一/一",
        "一/一/1",
        "一/一/1/1",
        "一/一/1/2",
        "一/一/2",
        "一/一/4",
        "一/二",
        "一/二/①",
        "一/二/②",
    ]


@pytest.mark.parametrize("form", FORMS)
def test_numbering_that_restarts_goes_one_level_down(form):
    plan = read("一、重点任务\n1.做好公开。\n1.编制目录。\n2.公开目录。\n2.做好解读。", form)
    assert sorted(tasks_by_path(plan)) == ["一/1", "一/1/1", "一/1/2", "一/2"]


@pytest.mark.parametrize("form", FORMS)
def test_numbering_inside_one_paragraph_gives_sub_tasks(form):
    plan = read("一、重点任务\n(一)规范文件公开。1.开展清理。2.发布文本。\n(二)做好解读。", form)
    tasks = tasks_by_path(plan)
    assert sorted(tasks) == ["一/一", "一/一/1", "一/一/2", "一/二"]
    assert tasks["一/一/2"]["title"] == "发布文本"


@pytest.mark.parametrize("noise", ["? ?", "■ ", "\u3000\u3000", "· ", "\ufeff"])
def test_stray_characters_before_a_heading(noise):
    plan = read(f"{noise}一、重点任务\n{noise}(一)推进公开。\n{noise}1.编制目录。")
    assert sorted(tasks_by_path(plan)) == ["一/一", "一/一/1"]


def test_a_number_written_twice_is_kept_apart_and_the_plan_stays_valid():
    plan = read("一、总体要求\n二、重点任务\n(一)推进公开。\n一、保障措施\n(一)加强领导。")
    assert [s["number"] for s in plan["sections"]] == ["一", "二", "一-2"]


def test_the_publication_note_is_not_text_of_the_plan():
    plan = read("一、重点任务\n(一)推进公开。\n(此件公开发布)")
    assert plan["sections"][0]["tasks"][0]["body"] == ""


def test_a_text_with_no_heading_and_no_numbered_task_is_refused():
    with pytest.raises(PlanTextError, match="no section heading"):
        parse_plan_text("这不是一份实施方案。")


def test_parsing_text_is_parsing_its_document():
    from tasks_ledger.plan.reading import document_from_text, parse_plan_document

    text = "某局2030年政务公开工作要点\n一、重点任务\n(一)推进公开(办公室负责)。"
    assert parse_plan_text(text) == parse_plan_document(document_from_text(text))


@pytest.mark.parametrize("form", FORMS)
def test_lines_broken_where_a_page_ended_are_joined(form):
    plan = read(
        "某县教育体育局2023年政务公开工作实施方案\n一、重点任务\n"
        "(一)推进决策公开。严格落实重大行政决策程序,重大决策草案应于2023年\n"
        "6月15日前公开征求意见,每季度通报一次(县教育体育局办公室牵头,\n各股室配合)。\n"
        "(二)加强政策解读。政策文件与解读材料同步起草、同步审签、同步发布(政策法规股、\n"
        "基础教育股负责)。\n(三)做好回应关切\n及时回应社会关切。",
        form,
    )
    first, second, third = plan["sections"][0]["tasks"]
    assert first["deadlines"][0]["text"] == "2023年6月15日前"
    assert roles(first) == [("县教育体育局办公室", "lead")]
    assert first["other_units"] == "各股室"
    assert roles(second) == [("政策法规股", "lead"), ("基础教育股", "lead")]
    # A short heading line of its own is the whole title.
    assert (third["title"], third["body"]) == ("做好回应关切", "及时回应社会关切。")


@pytest.mark.parametrize("form", FORMS)
def test_other_numbering_marks(form):
    plan = read("一.重点任务\n(一)推进公开。\n1)梳理目录。\n2)公开目录。", form)
    assert sorted(tasks_by_path(plan)) == ["一/一", "一/一/1", "一/一/2"]


def test_a_long_cell_without_a_heading_sentence_is_titled_by_its_first_clause():
    words = (
        "及时公开加快构建现代化产业体系、扩大有效投资、促进民营经济发展等方面政策举措和进展成效" * 4
    )
    plan = read(f"一、重点任务\n1.{words},系统全面准确传递政策取向。")
    task = plan["sections"][0]["tasks"][0]
    assert len(task["title"]) <= 150
    assert task["body"].endswith("系统全面准确传递政策取向。")


def test_a_heading_without_words_is_named_by_its_number():
    plan = read("一、\n(一)推进公开。\n二、保障措施")
    assert [s["title"] for s in plan["sections"]] == ["一", "保障措施"]


@pytest.mark.parametrize("form", FORMS)
def test_decimal_numbering_a_level_per_dot(form):
    plan = read(
        "一、重点任务\n1.推进公开\n1.1编制目录\n1.2公开目录\n2.做好解读\n2.1加强解读。", form
    )
    assert sorted(tasks_by_path(plan)) == ["一/1", "一/1/1.1", "一/1/1.2", "一/2", "一/2/2.1"]


@pytest.mark.parametrize("form", FORMS)
def test_the_name_signing_the_plan_above_its_date_is_no_unit_of_the_last_task(form):
    plan = read(
        "市某局2021年政务公开工作实施方案\n(一)推进公开。(房产科牵头)\n"
        "(二)做好答复。(法规科负责落实)\n市某局\n2021年3月5日",
        form,
    )
    last = plan["sections"][0]["tasks"][-1]
    assert roles(last) == [("法规科", "lead")]
    assert plan["year"] == 2021
