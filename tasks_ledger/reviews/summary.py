"""The year's summary (工作总结): what the ledger says about a plan year, or any period, for
one department or the whole bureau, arranged as the plan is (sections 一、二、, then tasks).

It is a draft for a person to edit, never invented text: every sentence in it is an
accepted entry's own words (what was done, with its date and 文号; its problems; its next
steps) or an assessment finding's (rating, score, comment). Each sentence carries the number
of its source, and the sources are listed at the end. The only other words are the plan's
own headings and fixed labels ("存在问题", "下步打算", …).

Reads are a fixed number of queries whatever the size: the plan, its tasks, the accepted
entries of the period (with their 文号 in one prefetch), the assessment round and its
findings. The .docx is written by `tasks_ledger.reviews.summary_docx`.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from departments.models import Department
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Plan, ReviewRound, Task
from tasks_ledger.reviews.models import Finding


class SummaryError(Exception):
    """A summary that cannot be written (no such plan, a period the wrong way round)."""


@dataclass
class Source:
    number: int
    kind: str  # "entry" or "finding"
    pk: int
    label: str


@dataclass
class Sentence:
    text: str
    source: int  # the Source's number


@dataclass
class TaskPart:
    task: Task
    heading: str
    done: list[Sentence] = field(default_factory=list)
    unfinished: list[Sentence] = field(default_factory=list)
    next_steps: list[Sentence] = field(default_factory=list)
    assessment: list[Sentence] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.done or self.unfinished or self.next_steps or self.assessment)


@dataclass
class SectionPart:
    heading: str
    tasks: list[TaskPart]


@dataclass
class YearSummary:
    plan: Plan
    department: Department | None
    start: datetime.date
    end: datetime.date
    title: str
    period: str
    sections: list[SectionPart]
    sources: list[Source]


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _sentence(text: str) -> str:
    """The entry's words as a sentence: trimmed, ended with a full stop when they have none."""
    text = " ".join(text.split())
    if text and text[-1] not in "。！？；.!?;”）)":
        text += "。"
    return text


class _Sources:
    def __init__(self):
        self.items: list[Source] = []

    def add(self, *, kind: str, pk: int, label: str) -> int:
        self.items.append(Source(number=len(self.items) + 1, kind=kind, pk=pk, label=label))
        return len(self.items)


def _heading(task: Task) -> str:
    if task.parent_id:
        return f"{task.number}.{task.title}"
    return f"（{task.number}）{task.title}"


def assessment_round(*, plan: Plan) -> ReviewRound | None:
    """The plan's latest assessment round that has been opened (its findings are the
    result); None before the office opens one."""
    return (
        ReviewRound.objects.filter(plan=plan, kind=ReviewRound.Kind.ASSESSMENT)
        .exclude(status=ReviewRound.Status.PLANNED)
        .order_by("-date", "-id")
        .first()
    )


def year_summary(
    *,
    year: int,
    department: Department | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> YearSummary:
    """The summary of `year`'s plan for `department` (None: the whole bureau) over
    start..end (default: the plan's calendar year)."""
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise SummaryError(_("There is no plan for %(year)s.") % {"year": year})
    start = start or datetime.date(year, 1, 1)
    end = end or datetime.date(year, 12, 31)
    if start > end:
        raise SummaryError(_("The period's start is after its end."))

    tasks = Task.objects.filter(plan=plan).with_code()
    if department is not None:
        tasks = tasks.filter(assignments__department=department)
    tasks = list(tasks.order_by("section__order", "section_id", "order", "id").distinct())

    scope = {
        "task__plan": plan,
        "state": LedgerEntry.State.ACCEPTED,
        "happened_on__gte": start,
        "happened_on__lte": end,
    }
    if department is not None:
        scope["department"] = department
    # Plain rows, not model instances: a year of a bureau is thousands of entries.
    entries = (
        LedgerEntry.objects.filter(**scope)
        .order_by("happened_on", "department__order", "id")
        .values_list(
            "id",
            "task_id",
            "department_id",
            "department__name",
            "happened_on",
            "summary",
            "status",
            "problems",
            "next_steps",
            named=True,
        )
    )
    # The 文号 of the same entries in one query joined on the same conditions (no list of
    # thousands of ids sent back to the database).
    doc_numbers: dict[int, list[str]] = {}
    for entry_id, number in (
        Evidence.objects.filter(kind=Evidence.Kind.DOC_NUMBER)
        .filter(**{f"entry__{k}": v for k, v in scope.items()})
        .order_by("id")
        .values_list("entry_id", "doc_number")
    ):
        doc_numbers.setdefault(entry_id, []).append(number)
    by_task: dict[int, list] = {}
    for entry in entries:
        by_task.setdefault(entry.task_id, []).append(entry)

    findings_by_task: dict[int, list[Finding]] = {}
    review_round = assessment_round(plan=plan)
    if review_round is not None:
        findings = Finding.objects.filter(round=review_round).select_related("department")
        if department is not None:
            findings = findings.filter(department=department)
        for finding in findings.order_by("department__order", "id"):
            findings_by_task.setdefault(finding.task_id, []).append(finding)

    sources = _Sources()
    statuses = {k: str(v) for k, v in LedgerEntry.Status.choices}
    ratings = {k: str(v) for k, v in Finding.Rating.choices}
    round_name = str(review_round)
    # Translated once, not once per entry.
    entry_label = _("Ledger entry No. %(id)s, %(department)s, %(date)s, accepted")
    numbers_text = _("Document numbers: %(numbers)s.")
    finding_label = _("Finding of %(round)s, %(task)s, %(department)s")
    score_text = _(", %(score)s points")
    whole_bureau = department is None
    sections: list[SectionPart] = []
    for task in tasks:
        part = TaskPart(task=task, heading=_heading(task))
        task_entries = by_task.get(task.pk, [])
        entry_source: dict[int, int] = {}
        for entry in task_entries:
            day = chinese_date(entry.happened_on)
            number = sources.add(
                kind="entry",
                pk=entry.id,
                label=entry_label
                % {"id": entry.id, "department": entry.department__name, "date": day},
            )
            entry_source[entry.id] = number
            who = f"{entry.department__name}：" if whole_bureau else ""
            text = f"{day}，{who}{_sentence(entry.summary)}"
            if entry.id in doc_numbers:
                text += numbers_text % {"numbers": "、".join(doc_numbers[entry.id])}
            part.done.append(Sentence(text=text, source=number))
        # What is unfinished and what comes next: each department's latest accepted entry
        # of the period speaks for where its work stands at the period's end.
        latest = {entry.department_id: entry for entry in task_entries}
        for entry in latest.values():
            who = f"{entry.department__name}：" if whole_bureau else ""
            number = entry_source[entry.id]
            if entry.status != LedgerEntry.Status.DONE:
                why = _sentence(entry.problems) if entry.problems.strip() else ""
                text = f"{who}{statuses[entry.status]}。{why}"
                part.unfinished.append(Sentence(text=text, source=number))
            if entry.next_steps.strip():
                text = f"{who}{_sentence(entry.next_steps)}"
                part.next_steps.append(Sentence(text=text, source=number))
        for finding in findings_by_task.get(task.pk, []):
            number = sources.add(
                kind="finding",
                pk=finding.pk,
                label=finding_label
                % {
                    "round": round_name,
                    "task": task.code,
                    "department": finding.department.name,
                },
            )
            who = f"{finding.department.name}：" if whole_bureau else ""
            text = f"{who}{ratings[finding.rating]}"
            if finding.score is not None:
                text += score_text % {"score": finding.score}
            text += "。"
            if finding.comment.strip():
                text += _sentence(finding.comment)
            part.assessment.append(Sentence(text=text, source=number))

        section = task.section
        heading = f"{section.number}、{section.title}" if section.number else section.title
        if not sections or sections[-1].heading != heading:
            sections.append(SectionPart(heading=heading, tasks=[]))
        sections[-1].tasks.append(part)

    issuer = department.name if department is not None else plan.issuer
    title = _("%(issuer)s%(year)s Government Affairs Openness Work Summary") % {
        "issuer": issuer,
        "year": year,
    }
    whole_year = start == datetime.date(year, 1, 1) and end == datetime.date(year, 12, 31)
    period = "" if whole_year else f"（{chinese_date(start)}—{chinese_date(end)}）"
    return YearSummary(
        plan=plan,
        department=department,
        start=start,
        end=end,
        title=title,
        period=period,
        sections=sections,
        sources=sources.items,
    )
