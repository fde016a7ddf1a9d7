"""Plans whose tasks sit in a table: a real table and the same table flattened to text lines
(cells separated by `|`, or one cell a line under a header row) read the same."""

import pytest

from tasks_ledger.plan.document import Document, Paragraph, Table
from tasks_ledger.plan.plan_json import without_provenance
from tasks_ledger.plan.reading import document_from_text, parse_plan_document
from tests.tasks_ledger.plan.forms import FORMS, in_form, read, roles, tasks_by_path

TITLE = "某县2030年政务公开重点工作任务分工表"
HEADER = ("序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限")
ROWS = (
    (
        "一、推进决策公开",
        "一、推进决策公开",
        "一、推进决策公开",
        "一、推进决策公开",
        "一、推进决策公开",
        "一、推进决策公开",
    ),
    (
        "1",
        "编制目录",
        "编制重大行政决策事项目录并公布。",
        "县司法局",
        "县政府办、县发改局",
        "2030年6月底前",
    ),
    ("2", "加强解读", "1.做好解读。2.开展培训。", "县政府办", "各乡镇、县直各单位", "持续推进"),
    ("3", "优化服务", "通报办件情况。", "县数据资源局", "县财政局", "每季度"),
)


def real_table() -> Document:
    return Document(blocks=[Paragraph(TITLE), Table(rows=(HEADER, *ROWS))])


def pipe_rows() -> str:
    lines = [" | ".join(HEADER) + " |"]
    lines += [ROWS[0][0] + " |"] + [" | ".join(row) + " |" for row in ROWS[1:]]
    return "\n".join([TITLE, *lines])


def pipe_cells() -> str:
    lines = [f"{cell} |" for cell in HEADER] + ["||", ROWS[0][0] + " |", "||"]
    for row in ROWS[1:]:
        lines += [f"{cell} |" for cell in row] + ["||"]
    return "\n".join([TITLE, *lines])


def one_cell_a_line() -> str:
    return "\n".join([TITLE, *HEADER, ROWS[0][0], *(c for row in ROWS[1:] for c in row)])


@pytest.mark.parametrize("flatten", [pipe_rows, pipe_cells, one_cell_a_line])
def test_a_real_table_and_its_flattened_text_read_the_same(flatten):
    assert read(flatten()) == parse_plan_document(real_table())


@pytest.mark.parametrize("form", FORMS)
def test_unit_columns_give_roles_and_the_deadline_column_deadlines(form):
    tasks = tasks_by_path(read(in_form(pipe_rows(), form)))
    assert roles(tasks["一/1"]) == [
        ("县司法局", "lead"),
        ("县政府办", "partner"),
        ("县发改局", "partner"),
    ]
    assert tasks["一/1"]["departments"][0]["source"] == "牵头单位 column: 县司法局"
    assert tasks["一/1"]["deadlines"][0]["due"] == "2030-06-30"
    assert tasks["一/2"]["other_units"] == "各乡镇、县直各单位"
    assert tasks["一/2"]["ongoing"] is True
    assert tasks["一/3"]["deadlines"][0]["every"] == "quarter"
    assert tasks["一/1"]["title"] == "编制目录"


def test_numbering_inside_one_cell_gives_sub_tasks_of_its_row():
    tasks = tasks_by_path(parse_plan_document(real_table()))
    assert [t["title"] for t in tasks["一/2"]["tasks"]] == ["做好解读", "开展培训"]
    # The row's unit cells still belong to the row's task, not to its last sub-task.
    assert roles(tasks["一/2"]) == [("县政府办", "lead")]
    assert tasks["一/2/2"]["departments"] == []


def test_merged_cells_repeated_down_a_real_table_are_read_once():
    rows = (
        ("工作任务", "具体要求", "责任单位"),
        ("(一)聚焦中心工作", "及时公开政策。", "办公室"),
        ("(一)聚焦中心工作", "深化民生公开。", "市民生办"),
    )
    plan = parse_plan_document(Document(blocks=[Table(rows=rows)]))
    assert [t["number"] for t in plan["sections"][0]["tasks"]] == ["一"]
    task = plan["sections"][0]["tasks"][0]
    assert roles(task) == [("办公室", "lead"), ("市民生办", "lead")]


def test_a_lead_column_makes_the_responsible_column_partners():
    rows = (("序号", "工作任务", "牵头单位", "责任单位"), ("1", "推进公开", "市发改委", "市财政局"))
    plan = parse_plan_document(Document(blocks=[Table(rows=rows)]))
    assert roles(plan["sections"][0]["tasks"][0]) == [("市发改委", "lead"), ("市财政局", "partner")]


def test_a_note_in_the_header_says_how_to_read_the_unit_lists():
    rows = (
        ("序号", "工作任务", "责任单位(逗号前的为牵头单位)"),
        ("1", "推进公开", "市发改委,市财政局、市统计局"),
    )
    plan = parse_plan_document(Document(blocks=[Table(rows=rows)]))
    assert roles(plan["sections"][0]["tasks"][0]) == [
        ("市发改委", "lead"),
        ("市财政局", "partner"),
        ("市统计局", "partner"),
    ]


@pytest.mark.parametrize("form", FORMS)
def test_flattened_table_with_merged_cells_shown_once(form):
    # As pages flatten a table whose section and task cells span several rows.
    text = "\n".join(
        [
            "某残联2030年政务公开重点工作任务分工",
            "工作任务 |",
            "具体要求 |",
            "责任科室 |",
            "时限要求 |",
            "||",
            "一、抓好主动公开 |",
            "(一)聚焦中心工作 |",
            "1 |",
            "及时公开政策举措。 |",
            "办公室 |",
            "持续推进 |",
            "|",
            "|",
            "2 |",
            "深化民生领域信息公开。 |",
            "相关业务科室、办公室",
            "|",
            "持续推进 |",
            "|",
            "4 |",
            "定期组织开放日活动。 |",
            "相关业务科室 |",
            "持续推进 |",
            "|",
            "(二)聚焦监督管理 |",
            "7 |",
            "加强权力运行信息公开。 |",
        ]
    )
    plan = read(in_form(text, form))
    tasks = tasks_by_path(plan)
    assert sorted(tasks) == ["一/一", "一/一/1", "一/一/2", "一/一/4", "一/二", "一/二/7"]
    assert roles(tasks["一/一/1"]) == [("办公室", "lead")]
    assert roles(tasks["一/一/2"]) == [("办公室", "lead")]
    assert tasks["一/一/2"]["other_units"] == "相关业务科室"
    assert tasks["一/一/4"]["deadlines"][0]["every"] == "periodic"
    assert all(tasks[p].get("ongoing") for p in ("一/一/1", "一/一/2", "一/一/4"))


@pytest.mark.parametrize("form", FORMS)
def test_unnumbered_rows_give_their_units_to_the_task_they_sit_in(form):
    text = "\n".join(
        [
            "某市2030年政务公开工作要点实施方案",
            "目标",
            "任务",
            "主要内容",
            "责任单位",
            "一、以政务公开助力稳增长",
            "(一)加强预期引导",
            "围绕经济政策及时解读。",
            "市发改委牵头落实",
            "加强金融政策信息公开。",
            "市金融办、人民银行某市中心支行分别牵头落实",
            "按月公开财政收支情况。",
            "市财政局牵头落实",
            "加强舆情收集研判。",
            "市发改委、市财政局、人民银",
        ]
    )
    task = tasks_by_path(read(in_form(text, form)))["一/一"]
    assert roles(task) == [
        ("市发改委", "lead"),
        ("市金融办", "lead"),
        ("人民银行某市中心支行", "lead"),
        ("市财政局", "lead"),
    ]
    assert [d["text"] for d in task["deadlines"]] == ["按月"]


def test_text_becomes_paragraphs_and_tables():
    document = document_from_text(
        "标题\n序号 | 工作任务 | 责任单位 |\n1 | 推进公开 | 办公室 |\n正文"
    )
    kinds = [type(block).__name__ for block in document.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"] or kinds == ["Paragraph", "Table"]
    table = document.blocks[1]
    assert table.rows[0] == ("序号", "工作任务", "责任单位")
    assert table.rows[1] == ("1", "推进公开", "办公室")


def test_a_real_table_with_cells_merged_down_reads_as_its_flattened_text():
    section, task = "一、以政务公开助力稳增长", "(一)加强预期引导"
    rows = (
        ("目标", "任务", "主要内容", "责任单位"),
        (section, task, "围绕经济政策及时解读。", "市发改委牵头落实"),
        (section, task, "按月公开财政收支情况。", "市财政局牵头落实"),
    )
    flattened = "\n".join(
        ["目标", "任务", "主要内容", "责任单位", section, task]
        + [
            "围绕经济政策及时解读。",
            "市发改委牵头落实",
            "按月公开财政收支情况。",
            "市财政局牵头落实",
        ]
    )
    from_table = parse_plan_document(Document(blocks=[Table(rows=rows)]))
    # Only where each unit was read differs: a column of the real table, a line of the text.
    assert without_provenance(from_table) == without_provenance(read(flattened))
    assert roles(tasks_by_path(from_table)["一/一"]) == [("市发改委", "lead"), ("市财政局", "lead")]


def test_a_menu_line_with_pipes_does_not_make_the_plan_a_table():
    text = "首页 | 政务公开 | 联系我们\n某市2030年政务公开工作要点\n一、重点任务\n"
    text += "(一)推进公开(办公室负责)。"
    document = document_from_text(text)
    assert isinstance(document.blocks[0], Table)
    assert all(isinstance(block, Paragraph) for block in document.blocks[1:])
    assert roles(read(text)["sections"][0]["tasks"][0]) == [("办公室", "lead")]


def test_a_bare_month_in_the_deadline_column_is_the_deadline():
    rows = (("序号", "工作任务", "责任单位", "完成时限"), ("1", "推进公开", "办公室", "6月"))
    plan = parse_plan_document(
        Document(blocks=[Paragraph("某局2030年政务公开工作要点"), Table(rows=rows)])
    )
    deadline = plan["sections"][0]["tasks"][0]["deadlines"][0]
    assert (deadline["text"], deadline["due"]) == ("6月", "2030-06-30")


def test_a_section_numbered_in_the_number_column():
    rows = (
        ("序号", "工作任务", "责任单位"),
        ("一", "推进决策公开", ""),
        ("1", "编制目录", "办公室"),
        ("二", "加强解读", ""),
        ("1", "做好解读", "政策法规科"),
    )
    plan = parse_plan_document(Document(blocks=[Table(rows=rows)]))
    assert [(s["number"], s["title"]) for s in plan["sections"]] == [
        ("一", "推进决策公开"),
        ("二", "加强解读"),
    ]
    assert roles(plan["sections"][1]["tasks"][0]) == [("政策法规科", "lead")]
