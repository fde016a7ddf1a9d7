"""Every refusal the plan import page can show reads in Chinese, values and places
included: malformed plans of every kind are uploaded (and committed), and the page fails
the test on any English word in what it says."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tasks_ledger.plan.models import ImportDraft, Plan
from tasks_ledger.plan.sheet import COLUMNS
from tests.tasks_ledger.plan.intake import as_file, plan_json

pytestmark = pytest.mark.django_db
START = reverse("plans:import")
# What may stay in Latin letters: names of formats, and the values a plan JSON must use
# (quoted in the message, as the clerk has to type them).
LATIN_ALLOWED = re.compile(
    r"'[^']*'|（[a-z]+）|\b(?:JSON|UTF|PDF|HTML|YYYY-MM-DD|xlsx|docx|txt|htm|json|pdf|html|zip)\b"
)
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def english_in(html: str, *, file_name: str) -> list[str]:
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = LATIN_ALLOWED.sub("", text.replace(file_name, ""))
    return ENGLISH.findall(text)


def workbook(*, header=(("年度", 2030),), rows=(), sheets=("方案", "任务")) -> bytes:
    book = Workbook()
    book.active.title = sheets[0]
    for label, value in header:
        book[sheets[0]].append([label, value])
    for name in sheets[1:]:
        ws = book.create_sheet(name)
        ws.append(COLUMNS)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def without_columns() -> bytes:
    book = Workbook()
    book.active.title = "方案"
    book["方案"].append(["年度", 2030])
    book.create_sheet("任务").append(["部分编号", "任务标题"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def task_row(**cells) -> list:
    values = {
        "部分编号": "一",
        "部分标题": "推进决策公开",
        "任务编号": "一",
        "任务标题": "推进公开",
    }
    values.update(cells)
    return [values.get(column, "") for column in COLUMNS]


def spoiled(change) -> bytes:
    data = plan_json()
    change(data)
    return as_file(data)


def first_task(data):
    return data["sections"][0]["tasks"][0]


MALFORMED = {
    "broken JSON": ("broken.json", b'{"year": 2030, "sections": [}'),
    "extra data": ("extra.json", as_file(plan_json()) + b" {}"),
    "not an object": ("list.json", b"[]"),
    "GBK, not UTF-8": ("gbk.json", '{"title": "某局工作要点"}'.encode("gbk")),
    "year in words": ("plan.json", spoiled(lambda d: d.update(year="二〇三〇"))),
    "no sections": ("plan.json", spoiled(lambda d: d.update(sections=[]))),
    "sections not a list": ("plan.json", spoiled(lambda d: d.update(sections=5))),
    "a section twice": (
        "plan.json",
        spoiled(lambda d: d["sections"].append(dict(d["sections"][0]))),
    ),
    "a task twice": (
        "plan.json",
        spoiled(lambda d: d["sections"][0]["tasks"][1].update(number="一")),
    ),
    "an empty title": ("plan.json", spoiled(lambda d: first_task(d).update(title=" "))),
    "a role": (
        "plan.json",
        spoiled(lambda d: first_task(d)["departments"][0].update(role="boss")),
    ),
    "a unit twice": (
        "plan.json",
        spoiled(lambda d: first_task(d)["departments"][1].update(name="政策法规处")),
    ),
    "a deadline kind": (
        "plan.json",
        spoiled(lambda d: first_task(d)["deadlines"][0].update(kind="soon")),
    ),
    "a due date": (
        "plan.json",
        spoiled(lambda d: first_task(d)["deadlines"][0].update(due="2030-13-40")),
    ),
    "a relative amount": (
        "plan.json",
        spoiled(
            lambda d: first_task(d)["deadlines"].append(
                {"text": "3个工作日内", "kind": "relative", "amount": 0, "unit": "workday"}
            )
        ),
    ),
    "a relative unit": (
        "plan.json",
        spoiled(
            lambda d: first_task(d)["deadlines"].append(
                {"text": "3周内", "kind": "relative", "amount": 3, "unit": "week"}
            )
        ),
    ),
    "a recurrence": (
        "plan.json",
        spoiled(
            lambda d: first_task(d)["deadlines"].append(
                {"text": "每天", "kind": "recurring", "every": "daily"}
            )
        ),
    ),
    "the same deadline twice": (
        "plan.json",
        spoiled(lambda d: first_task(d)["deadlines"].append(first_task(d)["deadlines"][0])),
    ),
    "a round kind": (
        "plan.json",
        spoiled(
            lambda d: d.update(
                review_rounds=[{"kind": "audit", "text": "10月", "date": "2030-10-08"}]
            )
        ),
    ),
    "a text with no plan in it": ("notes.txt", "这是一段没有标题也没有编号的文字。".encode()),
    "not a workbook": ("plan.xlsx", b"PK\x03\x04 not really a zip"),
    "a sheet missing": ("plan.xlsx", workbook(sheets=("方案",))),
    "no year row": ("plan.xlsx", workbook(header=(("标题", "工作要点"),))),
    "a year in words": ("plan.xlsx", workbook(header=(("年度", "二〇三〇"),))),
    "columns missing": ("plan.xlsx", without_columns()),
    "an empty section number": ("plan.xlsx", workbook(rows=[task_row(部分编号="")])),
    "an unknown deadline": ("plan.xlsx", workbook(rows=[task_row(完成时限="尽快")])),
    "an unknown parent": ("plan.xlsx", workbook(rows=[task_row(上级任务编号="九")])),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_plan_is_refused_in_chinese_naming_the_place(client, people, case):
    name, data = MALFORMED[case]
    client.force_login(people["reviewer"])
    response = client.post(START, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400, case
    said = re.search(
        r'<p class="error import-error" role="alert">(.*?)</p>', response.content.decode(), re.S
    )
    assert said, case
    text = said.group(1)
    assert text.startswith(f"无法读取 {name}：")
    assert english_in(text, file_name=name) == [], text
    assert not ImportDraft.objects.exists() and not Plan.objects.exists()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("a task twice", "第1部分 · 第2项任务 · 编号：任务 一 出现了两次"),
        ("an unknown deadline", "“任务”工作表第 2 行“完成时限”列：未能从“尽快”中识别出完成时限"),
        ("GBK, not UTF-8", "不是 UTF-8 编码的文本（第 "),
        ("broken JSON", "第 1 行第 29 列：不是有效的 JSON（此处缺少值）"),
    ],
)
def test_the_values_and_places_are_kept_in_the_chinese(client, people, case, expected):
    name, data = MALFORMED[case]
    client.force_login(people["reviewer"])
    page = client.post(START, {"file": SimpleUploadedFile(name, data)}).content.decode()
    assert expected in unescape(page)


def test_the_command_line_keeps_the_english_with_its_values(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    name, data = MALFORMED["a task twice"]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(
        CommandError, match=r"sections\[0\]\.tasks\[1\]\.number: task 一 appears twice"
    ):
        call_command("import_plan", str(path))


def test_a_refusal_at_commit_reads_in_chinese(client, people):
    client.force_login(people["reviewer"])
    data = plan_json()
    first_task(data)["title"] = "长" * 600  # longer than the column holds
    client.post(START, {"file": SimpleUploadedFile("plan.json", as_file(data))})
    draft = ImportDraft.objects.get()
    response = client.post(reverse("plans:draft-commit", args=[draft.pk]), follow=True)
    said = re.search(r'<ul class="messages">(.*?)</ul>', response.content.decode(), re.S)
    assert said and "未导入" in said.group(1)
    assert english_in(said.group(1), file_name="plan.json") == [], said.group(1)
    assert not Plan.objects.exists()
