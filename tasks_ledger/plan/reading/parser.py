"""A plan document (paragraphs and tables) read into plan JSON (design.md, "Plan JSON").

Nothing here knows one bureau or one year: the shapes are those of 政务公开 plans in
general (see the package's other modules). Each department and deadline carries where it was
read ("source") and, when inferred rather than stated, "guess": the import preview shows them.
"""

import datetime
import re

from django.utils.translation import gettext_noop

from tasks_ledger.calendar.workdays import first_workday_of_month
from tasks_ledger.plan.plan_json import Wording
from tasks_ledger.plan.reading.deadlines import deadlines_in, is_ongoing
from tasks_ledger.plan.reading.names import brackets
from tasks_ledger.plan.reading.structure import Builder, items_of, split_title
from tasks_ledger.plan.reading.text_document import document_from_text
from tasks_ledger.plan.reading.units import read_units, reading_mode
from tasks_ledger.plan.reading.year import is_title, issuer_of, plan_year

# A label with its list outside any bracket: …。责任单位:市发改委、市财政局;完成时限:…
_LABELLED_RE = re.compile(
    r"(?:牵头|责任|主责|配合|协办|协助|参与)(?:单位|部门|科室|处室)\s*:[^。\n]*"
)
# A collective that opens a sentence is who the task speaks to: 各单位各部门要…
_SUBJECT_COLLECTIVE_RE = re.compile(
    r"(?:^|。)(各单位各部门|各部门各单位|各单位|各部门|有关部门|相关部门)(?:要|应|均)"
)
ROUND_RE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?[^。,;]*?(检查|考评|验收|考核)")


class PlanTextError(ValueError):
    """The text does not read as a plan; the message says what is missing (`wording`: the
    same, translatable on the import page)."""

    def __init__(self, wording: Wording):
        self.wording = wording
        super().__init__(str(wording))


def parse_plan_text(text: str, *, known_departments=()) -> dict:
    """Return the plan JSON for a plan document's plain text."""
    return parse_plan_document(document_from_text(text), known_departments=known_departments)


def parse_plan_document(document, *, known_departments=()) -> dict:
    """Return the plan JSON for a Document; `"year"` is None when the document does not say."""
    items, words = items_of(document)
    known = frozenset(known_departments)
    builder = Builder(known=known, mode=reading_mode(words))
    for item in items:
        builder.feed(item)
    if not any(section["tasks"] for section in builder.sections) and not builder.sections:
        raise PlanTextError(
            Wording(gettext_noop("no section heading (一、…) or numbered task found in the text"))
        )

    preamble = builder.preamble
    titles = [i for i, line in enumerate(preamble) if is_title(line)]
    title = preamble.pop(titles[-1]) if titles else ""
    year, year_source = plan_year(title=title, lines=preamble + builder.dates, text=words)
    plan = {
        "title": title,
        "year": year,
        "issuer": issuer_of(title),
        "preamble": "\n".join(preamble),
        "sections": builder.sections,
    }
    if year_source:
        plan["year_source"] = year_source
    for section in plan["sections"]:
        if section["number"] and not section["title"]:
            # A heading whose words are on the next line (or were lost): its number names it.
            section["title"], section["body"] = split_title(section["body"])
            section["title"] = section["title"] or section["number"]
        _finish(section["tasks"], year, known, builder.mode)
    _unique_numbers(plan["sections"])
    plan["review_rounds"] = _review_rounds(words)
    return plan


def _finish(tasks: list[dict], year, known, mode) -> None:
    for task in tasks:
        full = f"{task['title']}。{task['body']}"
        readings = _bracket_units(full, known, mode) + task.pop("_units")
        departments, collectives = [], []
        for reading in readings:
            for dept in reading.departments:
                if all(d["name"] != dept["name"] for d in departments):
                    departments.append(dept)
            collectives.extend(reading.collectives)
        subject = _SUBJECT_COLLECTIVE_RE.search(full)
        if not departments and not collectives and subject:
            collectives.append(subject[1])
        task["departments"] = departments
        task["other_units"] = "、".join(dict.fromkeys(collectives))
        deadlines = deadlines_in(full, year, sources=True)
        for words in task.pop("_deadline_words"):
            for item in deadlines_in(words, year, sources=True, place=True):
                if all(item["text"] != d["text"] for d in deadlines):
                    deadlines.append(item)
        task["deadlines"] = deadlines
        if task.pop("_ongoing") or is_ongoing(full):
            task["ongoing"] = True
        task.pop("_segments")
        task.pop("_wrapped")
        if not task["title"]:
            # A number whose words were cut off (the excerpt ends): its number names it.
            task["title"] = task["number"]
        _finish(task["tasks"], year, known, mode)


def _bracket_units(full: str, known, mode) -> list:
    readings = []
    outside = list(full)
    for start, end, inner, closed in brackets(full):
        outside[start:end] = " " * (end - start)
        source = full[start:end]
        reading = read_units(inner, source=source, known=known, mode=mode, cut=not closed)
        # A bare list names who carries the task only where a clause ends: 市政务服务中心
        # (市民中心)负责… is another name of the centre, not an assignment.
        at_end = re.match(r"\s*($|[。;\n(])", full[end:]) is not None
        if reading.found and (reading.stated or (not reading.invalid and at_end)):
            if not closed:
                for dept in reading.departments:
                    dept["guess"] = True
            readings.append(reading)
    for match in _LABELLED_RE.finditer("".join(outside)):
        text = full[match.start() : match.end()]
        reading = read_units(text, source=text, known=known, mode=mode)
        if reading.found:
            readings.append(reading)
    return readings


def _unique_numbers(sections: list[dict]) -> None:
    """A number written twice among siblings (a typo, or a covering notice's own 一、) is
    kept apart as 一-2, so that the plan stays one tree and nothing read is dropped."""

    def dedupe(items):
        seen: dict[str, int] = {}
        for item in items:
            count = seen.get(item["number"], 0) + 1
            seen[item["number"]] = count
            if count > 1:
                item["number"] = f"{item['number']}-{count}"[:10]
            dedupe(item.get("tasks", []))

    dedupe(sections)


def _review_rounds(text: str) -> list[dict]:
    rounds = []
    for m in ROUND_RE.finditer(text):
        kind = "check" if m[4] == "检查" else "assessment"
        year, month = int(m[1]), int(m[2])
        try:
            if m[3]:
                words = f"{m[1]}年{m[2]}月{m[3]}日"
                date = datetime.date(year, month, int(m[3]))
            else:
                words = f"{m[1]}年{m[2]}月"
                date, _source = first_workday_of_month(year, month)
        except ValueError:
            continue  # 2016年13月 is no date
        if all(r["text"] != words or r["kind"] != kind for r in rounds):
            rounds.append({"kind": kind, "text": words, "date": date.isoformat()})
    return rounds
