"""Who carries a task, in every form real plans write it, in every punctuation form."""

import pytest

from tests.tasks_ledger.plan.forms import FORMS, read, roles, tasks_by_path

PLAN = "某市2030年政务公开工作要点\n一、推进公开\n(一)做好公开。{words}\n(二)其他工作。\n"

# (words after the task's first sentence, departments with roles, other_units)
SHAPES = {
    "lead 负责落实": ("推进决策公开(市发改委负责落实)。", [("市发改委", "lead")], ""),
    "leads 分别负责落实": (
        "推进公开(市财政局、市审计局分别负责落实)。",
        [("市财政局", "lead"), ("市审计局", "lead")],
        "",
    ),
    "牵头 and 按职责分工": (
        "推进公开(市政府办公室牵头,各有关单位按职责分工负责)。",
        [("市政府办公室", "lead")],
        "各有关单位",
    ),
    "bare list": (
        "推进公开(市发改委、市财政局、市统计局)。",
        [("市发改委", "lead"), ("市财政局", "lead"), ("市统计局", "lead")],
        "",
    ),
    "牵头 and 配合": (
        "推进公开(市司法局牵头、市财政局配合)。",
        [("市司法局", "lead"), ("市财政局", "partner")],
        "",
    ),
    "会同": (
        "推进公开(市融媒体中心会同市网信办)。",
        [("市融媒体中心", "lead"), ("市网信办", "partner")],
        "",
    ),
    "会同 a list": (
        "推进公开(法规科会同规划科、财务科牵头落实)。",
        [("法规科", "lead"), ("规划科", "partner"), ("财务科", "partner")],
        "",
    ),
    "会 between names": (
        "推进公开(政策法规处会安全处牵头落实)。",
        [("政策法规处", "lead"), ("安全处", "partner")],
        "",
    ),
    "labels 牵头单位 and 责任单位": (
        "推进公开(牵头单位:市交通运输局;责任单位:市农业农村局、各县区)。",
        [("市交通运输局", "lead"), ("市农业农村局", "partner")],
        "各县区",
    ),
    "label 责任单位": (
        "推进公开(责任单位:市公安局、市应急管理局)。",
        [("市公安局", "lead"), ("市应急管理局", "lead")],
        "",
    ),
    "a note on how to read": (
        "推进公开(市发改委,市财政局、市统计局;逗号前的为牵头单位)。",
        [("市发改委", "lead"), ("市财政局", "partner"), ("市统计局", "partner")],
        "",
    ),
    "names end in anything": (
        "推进公开(人民银行某市中心支行、某市银保监分局、市大数据中心、市残联分别牵头落实)。",
        [
            ("人民银行某市中心支行", "lead"),
            ("某市银保监分局", "lead"),
            ("市大数据中心", "lead"),
            ("市残联", "lead"),
        ],
        "",
    ),
    "a name holding brackets": (
        "推进公开(市府办〔市大数据局〕、市发改委负责)。",
        [("市府办〔市大数据局〕", "lead"), ("市发改委", "lead")],
        "",
    ),
    "a prefix written once": (
        "推进公开(区发展改革局、教育体育局负责落实)。",
        [("区发展改革局", "lead"), ("区教育体育局", "lead")],
        "",
    ),
    "no prefix for bodies named in full": (
        "推进公开(市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实)。",
        [("市金融办", "lead"), ("人民银行潍坊市中心支行", "lead"), ("潍坊银监分局", "lead")],
        "",
    ),
    "collectives": (
        "推进公开(各科室、相关业务科室、所属事业单位)。",
        [],
        "各科室、相关业务科室、所属事业单位",
    ),
    "a collective with brackets": (
        "推进公开(市民政局牵头,各镇(街区)、有关单位配合)。",
        [("市民政局", "lead")],
        "各镇(街区)、有关单位",
    ),
    "…等": (
        "推进公开(市发改委、市商务局等部门负责落实)。",
        [("市发改委", "lead"), ("市商务局", "lead")],
        "等部门",
    ),
    "several leads in one paragraph": (
        "推进公开(市发改委牵头落实)。做好解读(市委宣传部负责)。",
        [("市发改委", "lead"), ("市委宣传部", "lead")],
        "",
    ),
    "boxed labels": (
        "推进公开。【牵头单位】市发改委【配合单位】市财政局、领导小组各成员单位、乡镇(街道)",
        [("市发改委", "lead"), ("市财政局", "partner")],
        "领导小组各成员单位、乡镇(街道)",
    ),
    "a deadline inside the unit bracket": (
        "推进公开(责任单位:市发改委 完成时限:2030年6月底前)。",
        [("市发改委", "lead")],
        "",
    ),
    "names joined with 和 stay whole": (
        "推进公开(市人力资源和社会保障局、市住房和城乡建设局负责)。",
        [("市人力资源和社会保障局", "lead"), ("市住房和城乡建设局", "lead")],
        "",
    ),
    "names separated by spaces only": (
        "推进公开(市发改委 市财政局)。",
        [("市发改委", "lead"), ("市财政局", "lead")],
        "",
    ),
    "a unit line after the task": ("推进公开。\n市人社局牵头落实", [("市人社局", "lead")], ""),
    "a labelled line after the task": (
        "推进公开。\n牵头单位:市委网信办;配合单位:市公安局",
        [("市委网信办", "lead"), ("市公安局", "partner")],
        "",
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("shape", SHAPES)
def test_unit_shapes(shape, form):
    words, departments, other_units = SHAPES[shape]
    task = tasks_by_path(read(PLAN.format(words=words), form))["一/一"]
    assert roles(task) == departments
    assert task["other_units"] == other_units


@pytest.mark.parametrize("form", FORMS)
def test_brackets_that_name_no_unit_stay_text(form):
    plan = read(
        "一、推进公开\n(一)推进四好(建好、管好、护好、运营好)农村路信息公开。做好(PPP)项目公开。",
        form,
    )
    task = tasks_by_path(plan)["一/一"]
    assert task["departments"] == [] and task["other_units"] == ""
    assert task["title"] == "推进四好(建好、管好、护好、运营好)农村路信息公开"


@pytest.mark.parametrize("form", FORMS)
def test_a_bracket_cut_off_keeps_the_names_complete_before_the_cut(form):
    plan = read("一、推进公开\n(一)做好公开。加强舆情回应(市发改委、市财政局、人民银", form)
    departments = tasks_by_path(plan)["一/一"]["departments"]
    assert [d["name"] for d in departments] == ["市发改委", "市财政局"]
    assert all(d["guess"] for d in departments)


@pytest.mark.parametrize("form", FORMS)
def test_where_each_unit_was_read_and_what_was_guessed(form):
    plan = read(PLAN.format(words="推进公开(区发展改革局、教育体育局负责落实)。"), form)
    first, second = tasks_by_path(plan)["一/一"]["departments"]
    assert first["source"] == "(区发展改革局、教育体育局负责落实)"
    assert "guess" not in first
    assert second["guess"] is True


def test_known_departments_need_no_unit_ending():
    plan = read(PLAN.format(words="推进公开(党办、团委负责)。"), known_departments=["党办", "团委"])
    assert roles(tasks_by_path(plan)["一/一"]) == [("党办", "lead"), ("团委", "lead")]


def test_a_collective_opening_the_sentence_is_who_the_task_speaks_to():
    plan = read("一、推进公开\n(一)加强领导。各单位各部门要高度重视政务公开工作。")
    assert tasks_by_path(plan)["一/一"]["other_units"] == "各单位各部门"


def test_a_bare_bracket_inside_a_sentence_is_another_name_not_an_assignment():
    plan = read(PLAN.format(words="依托市政务服务中心(市民中心)集中办理(市数据局负责)。"))
    assert roles(tasks_by_path(plan)["一/一"]) == [("市数据局", "lead")]
