"""The year's summary (工作总结): the .docx opened with python-docx, its sections, sources,
styles and page, and nothing in it that no entry or finding says."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from departments.models import Department
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import ReviewRound, Task
from tasks_ledger.reviews.models import Finding
from tasks_ledger.reviews.summary import chinese_date, year_summary
from tasks_ledger.reviews.summary_docx import summary_docx
from tests.factories import LedgerEntryFactory

State = LedgerEntry.State
SOURCE = re.compile(r"\[(\d+)\]$")
# The words the summary adds around an entry's or a finding's own: punctuation, and the
# label before the 文号 and after a score (as translated for zh-hans).
GLUE = ["文号：", "分", "，", "：", "。", "、", " "]


def entry(assignment, *, state=State.ACCEPTED, **fields):
    made = LedgerEntryFactory(
        task=assignment.task,
        department=assignment.department,
        state=state,
        submitted_at=None if state == State.DRAFT else timezone.now(),
        **fields,
    )
    return made


@pytest.fixture
def year(users, policy_law_lead, safety_partner, assessment):
    """A year of 政策法规处 and 安全处 work with a 文号, problems, next steps, a finding,
    and entries that must stay out (a draft, a submitted one, one of the next year)."""
    policy = policy_law_lead
    done = entry(
        policy,
        happened_on=datetime.date(2016, 3, 2),
        summary="在门户网站公开权力清单",
        status=LedgerEntry.Status.DONE,
    )
    Evidence.objects.create(
        entry=done, kind=Evidence.Kind.DOC_NUMBER, doc_number="宿交发〔2016〕12号"
    )
    latest = entry(
        policy,
        happened_on=datetime.date(2016, 9, 20),
        summary="责任清单已报市编办审核。",
        status=LedgerEntry.Status.IN_PROGRESS,
        problems="市编办审核未完成",
        next_steps="审核通过后十日内公开",
    )
    partner = entry(
        safety_partner,
        happened_on=datetime.date(2016, 5, 5),
        summary="配合公开安全生产行政处罚信息",
        status=LedgerEntry.Status.DONE,
    )
    entry(policy, state=State.DRAFT, summary="草稿不应出现", happened_on=datetime.date(2016, 4, 1))
    entry(
        policy, state=State.SUBMITTED, summary="待审不应出现", happened_on=datetime.date(2016, 4, 2)
    )
    entry(policy, summary="明年的不应出现", happened_on=datetime.date(2017, 1, 3))
    ReviewRound.objects.filter(pk=assessment.pk).update(status=ReviewRound.Status.OPEN)
    finding = Finding.objects.create(
        round=assessment,
        task=policy.task,
        department=policy.department,
        rating=Finding.Rating.MOSTLY,
        score=85,
        comment="责任清单尚未公开",
        reviewer=users["reviewer"],
    )
    return {"done": done, "latest": latest, "partner": partner, "finding": finding}


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def words_of(source_kind, pk):
    """Everything the source itself says, longest first (so a longer text is taken out
    before a shorter one inside it)."""
    if source_kind == "entry":
        e = LedgerEntry.objects.select_related("department").get(pk=pk)
        words = [e.summary.rstrip("。"), e.problems, e.next_steps, e.department.name]
        words += [chinese_date(e.happened_on), str(e.get_status_display())]
        words += [ev.doc_number for ev in e.evidence.all()]
    else:
        f = Finding.objects.select_related("department").get(pk=pk)
        words = [f.comment, f.department.name, str(f.get_rating_display()), str(f.score)]
    return sorted((w for w in words if w), key=len, reverse=True)


def test_the_bureau_summary_says_only_what_entries_and_findings_say(year, plan_2016):
    summary = year_summary(year=2016)
    document = open_docx(summary_docx(summary))
    paragraphs = document.paragraphs

    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "宿迁市交通运输局2016年政务公开工作总结"
    sections = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    # Sections follow the plan, 一、二、 in its order, then the annex of sources.
    plan_sections = [f"{s.number}、{s.title}" for s in plan_2016.sections.order_by("order")]
    assert sections[:-1] == [s for s in plan_sections if s in sections]
    assert sections[-1] == "附：资料来源"
    assert "二、" + plan_2016.sections.get(number="二").title in sections

    annex = [p.text for p in paragraphs[[p.text for p in paragraphs].index("附：资料来源") + 1 :]]
    kinds = [(s.kind, s.pk) for s in summary.sources]
    assert sorted(kinds) == sorted(
        [("entry", year[k].pk) for k in ("done", "latest", "partner")]
        + [("finding", year["finding"].pk)]
    )
    assert len(annex) == len(kinds)
    assert annex[0].startswith("[1] 台账记录第")

    body = [p.text for p in paragraphs if p.style.name == "Normal"][: -len(annex)]
    cited = 0
    for text in body:
        if text == "本期无已审核的台账记录。":
            continue
        number = int(SOURCE.search(text).group(1))
        source = summary.sources[number - 1]
        rest = SOURCE.sub("", text)
        for words in words_of(source.kind, source.pk):
            rest = rest.replace(words, "")
        for glue in GLUE:
            rest = rest.replace(glue, "")
        assert rest == "", f"words from nowhere in {text!r}: {rest!r}"
        cited += 1
    assert cited >= 6
    whole = "\n".join(p.text for p in paragraphs)
    assert "宿交发〔2016〕12号" in whole
    assert "市编办审核未完成" in whole and "审核通过后十日内公开" in whole
    assert "基本完成" in whole and "85" in whole
    for absent in ("草稿不应出现", "待审不应出现", "明年的不应出现"):
        assert absent not in whole


def test_the_page_and_fonts_are_those_of_an_official_document(year):
    document = open_docx(summary_docx(year_summary(year=2016)))
    page = document.sections[0]
    # Stored in twentieths of a point: millimetres to a tenth.
    measures = [page.page_width, page.page_height, page.top_margin, page.bottom_margin]
    measures += [page.left_margin, page.right_margin]
    assert [round(m.mm, 1) for m in measures] == [210, 297, 37, 35, 28, 26]

    def east_asian(style):
        return style.element.rPr.rFonts.get(qn("w:eastAsia"))

    styles = document.styles
    assert (east_asian(styles["Title"]), styles["Title"].font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asian(styles["Normal"]), styles["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert east_asian(styles["Heading 1"]) == "黑体"
    assert east_asian(styles["Heading 2"]) == "楷体_GB2312"
    # No run overrides a style's font: the editor changes a style once.
    assert not any(r.font.name for p in document.paragraphs for r in p.runs)


def test_a_department_summary_and_a_period(year):
    summary = year_summary(
        year=2016,
        department=Department.objects.get(code="safety"),
        start=datetime.date(2016, 5, 1),
        end=datetime.date(2016, 6, 30),
    )
    whole = "\n".join(p.text for p in open_docx(summary_docx(summary)).paragraphs)
    assert whole.startswith("安全处2016年政务公开工作总结\n（2016年5月1日—2016年6月30日）")
    assert "配合公开安全生产行政处罚信息" in whole
    assert "在门户网站公开权力清单" not in whole
    # Only its own tasks, and no department prefix in its own summary.
    assert [(s.kind, s.pk) for s in summary.sources] == [("entry", year["partner"].pk)]
    own_tasks = Task.objects.filter(assignments__department__code="safety").count()
    assert sum(len(s.tasks) for s in summary.sections) == own_tasks


def test_the_summary_reads_a_fixed_number_of_queries(year, django_assert_num_queries):
    # plan, tasks, entries, their 文号 (prefetch), the assessment round, its findings
    with django_assert_num_queries(6):
        year_summary(year=2016)


def test_the_command_writes_the_docx(year, tmp_path):
    out = tmp_path / "s.docx"
    call_command(
        "year_summary", "2016", "--department", "policy-law", "--from", "2016-01-01",
        "--to", "2016-06-30", "--out", str(out),
    )  # fmt: skip
    whole = "\n".join(p.text for p in open_docx(out.read_bytes()).paragraphs)
    assert "在门户网站公开权力清单" in whole and "责任清单已报市编办审核" not in whole


@pytest.mark.parametrize(
    "args, message",
    [
        (["1999"], "没有实施方案"),
        (["2016", "--department", "nope"], "no department"),
        (["2016", "--from", "2016-13-01"], "not a date"),
        (["2016", "--from", "2016-06-01", "--to", "2016-01-01"], "开始日期晚于结束日期"),
    ],
)
def test_the_command_refuses_bad_input(plan_2016, tmp_path, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("year_summary", *args, "--out", str(tmp_path / "x.docx"))
    assert message in str(caught.value)


def test_a_department_downloads_its_own_summary_only(client, year, users):
    client.force_login(users["safety"])
    response = client.get(reverse("reviews:summary"), {"year": 2016, "department": "policy-law"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    whole = "\n".join(p.text for p in open_docx(response.content).paragraphs)
    assert whole.startswith("安全处") and "在门户网站公开权力清单" not in whole


def test_the_office_downloads_the_bureau_summary(client, year, users):
    client.force_login(users["reviewer"])
    page = client.get(reverse("reviews:summary"))
    assert page.status_code == 200 and "工作总结" in page.content.decode()
    response = client.get(reverse("reviews:summary"), {"year": 2016, "department": ""})
    whole = "\n".join(p.text for p in open_docx(response.content).paragraphs)
    assert "政策法规处：" in whole and "安全处：" in whole


def test_a_bad_period_is_named_on_the_page(client, year, users):
    client.force_login(users["reviewer"])
    response = client.get(
        reverse("reviews:summary"), {"year": 2016, "start": "2016-06-01", "end": "2016-01-01"}
    )
    assert response.status_code == 200
    assert "开始日期晚于结束日期" in response.content.decode()


def test_someone_without_a_role_is_refused(client, users):
    client.force_login(users["nobody"])
    assert client.get(reverse("reviews:summary")).status_code == 403
