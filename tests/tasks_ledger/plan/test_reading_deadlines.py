"""Deadlines and ongoing tasks, in every form real plans write them."""

import pytest

from tests.tasks_ledger.plan.forms import FORMS, read, tasks_by_path

PLAN = "某市2030年政务公开工作要点\n一、推进公开\n(一)做好公开。{words}\n"


def summary(task):
    out = []
    for d in task["deadlines"]:
        if d["kind"] == "date":
            out.append((d["text"], d["due"]))
        elif d["kind"] == "relative":
            out.append((d["text"], d["amount"], d["unit"], d["after"]))
        else:
            out.append((d["text"], d["every"]))
    return out


SHAPES = {
    "a month's end": ("2030年9月底前制定方案。", [("2030年9月底前", "2030-09-30")]),
    "a day": ("2030年9月30日前完成(市发改委负责)。", [("2030年9月30日前", "2030-09-30")]),
    "a month with no year, spaced": ("11 月底前完成。", [("11 月底前", "2030-11-30")]),
    "a month with no year in brackets": ("完成清理(3 月底前)。", [("3 月底前", "2030-03-31")]),
    "a day with no year": ("6月15日前公开。", [("6月15日前", "2030-06-15")]),
    "the year's end": ("年底前完成。", [("年底前", "2030-12-31")]),
    "within the year": ("年内至少听取一次汇报。", [("年内", "2030-12-31")]),
    "within a named year": ("2031年内完成。", [("2031年内", "2031-12-31")]),
    "a bare day in a deadline label": ("推进公开。完成时限:9月30日", [("9月30日", "2030-09-30")]),
    "a bare month is no deadline in a sentence": ("6月召开会议。", []),
    "a date before the plan's year tells the past": ("落实2029年10月出台的办法。", []),
    "逐月": ("逐月更新进度。", [("逐月", "month")]),
    "working days after an event": (
        "解读材料于文件公开后3个工作日内发布。",
        [("3个工作日内", 3, "workday", "文件公开后")],
    ),
    "hours after an event": (
        "重大突发事件发生后,应5小时内发布信息。",
        [("5小时内", 5, "hour", "重大突发事件发生后")],
    ),
    "a half year": ("上半年完成清理。", [("上半年", "2030-06-30")]),
    "a quarter": ("三季度末前完成评估。", [("三季度末前", "2030-09-30")]),
    "ten days of a month": ("11月中旬前报送总结。", [("11月中旬前", "2030-11-20")]),
    "定期": ("定期开展评估。", [("定期", "periodic")]),
    "每月": ("每月更新一次。", [("每月", "month")]),
    "按月": ("按月公开财政收支情况。", [("按月", "month")]),
    "每季度": ("每季度通报一次。", [("每季度", "quarter")]),
    "a quota per period is no deadline": ("每个工作日不少于3条,每月不少于10篇。", []),
    "不定期 is no deadline": ("不定期开展抽查。", []),
    "a cited title's date is no deadline": ("落实《2029年12月底前完成清理的通知》要求。", []),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("shape", SHAPES)
def test_deadline_shapes(shape, form):
    words, expected = SHAPES[shape]
    task = tasks_by_path(read(PLAN.format(words=words), form))["一/一"]
    assert summary(task) == expected
    assert "ongoing" not in task


ONGOING = {
    "a line 持续推进": "推进公开。\n持续推进",
    "a bracket (长期坚持)": "推进公开(长期坚持)。",
    "a label 完成时限:常态化": "推进公开。\n完成时限:常态化",
    "closing the task": "推进公开,持续推进。",
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("shape", ONGOING)
def test_ongoing_is_no_deadline(shape, form):
    task = tasks_by_path(read(PLAN.format(words=ONGOING[shape]), form))["一/一"]
    assert task["ongoing"] is True
    assert task["deadlines"] == []


def test_ongoing_words_inside_a_sentence_do_not_mark_the_task():
    task = tasks_by_path(read(PLAN.format(words="持续推进信息公开,常态化开展培训。")))["一/一"]
    assert "ongoing" not in task


@pytest.mark.parametrize("form", FORMS)
def test_heading_words_notice_dates_and_the_issue_date_are_not_task_deadlines(form):
    text = (
        "各县区政府,市直各部门:\n现将要点印发给你们,请于2030年2月底前报送方案。\n"
        "2030年1月5日\n某市2030年政务公开工作要点\n"
        "一、年底前专项工作任务\n1.做好公开。加强解读。\n某市人民政府办公室\n2030年1月6日"
    )
    plan = read(text, form)
    assert tasks_by_path(plan)["一/1"]["deadlines"] == []
    assert plan["sections"][0]["title"] == "年底前专项工作任务"


def test_where_each_deadline_was_read():
    task = tasks_by_path(read(PLAN.format(words="推进公开,2030年6月底前完成清理。")))["一/一"]
    assert task["deadlines"][0]["source"] == "2030年6月底前完成清理"


def test_a_month_with_no_year_waits_for_the_year():
    plan = read("一、推进公开\n(一)做好公开。11月底前完成,年底前总结。")
    assert plan["year"] is None
    assert summary(tasks_by_path(plan)["一/一"]) == [("11月底前", None), ("年底前", None)]
