"""Read a plan document's plain text into plan JSON (see design.md, "Plan JSON").

The structure is the one every 政务公开 plan shares: sections numbered 一、二、…, tasks
numbered (一)(二)… under them, sub-tasks numbered 1. 2. or (1)(2) under a task. Who leads
is written in brackets at the end of a task: (A、B牵头落实), (A会B负责落实). Deadlines are
phrases in the text (2016年9月底前, 年内, 3个工作日内, 每季度). Nothing here knows about
one bureau or one year.
"""

import calendar
import datetime
import re
from collections import Counter

from tasks_ledger.clocks.workdays import first_workday_of_month

CN_NUMERAL = "一二三四五六七八九十百零〇"
SECTION_RE = re.compile(rf"^([{CN_NUMERAL}]+)、(.*)$")
TASK_RE = re.compile(rf"^[((]([{CN_NUMERAL}]+)[))](.*)$")
SUBTASK_RE = re.compile(r"^(?:(\d+)[\.．、]|[((](\d+)[))])(.*)$")
PUBLICATION_NOTE_RE = re.compile(r"^[((]此件[^()()]*[))]$")
TITLE_LINE_RE = re.compile(r"^[^。,,;;]{4,80}(方案|要点|计划|安排)$")

# (A、B牵头落实), (A会同有关部门负责落实): the brackets that say who carries the task.
ASSIGNMENT_RE = re.compile(r"[((]([^()()]*?)(牵头落实|负责落实|牵头负责|落实|牵头|负责)[))]")
PARTNER_SPLIT_RE = re.compile(r"会同|配合|协同|会")
COLLECTIVE_SUFFIX_RE = re.compile(r"(等部门|等单位|等)$")
COLLECTIVE_RE = re.compile(
    r"^(各单位各部门|各部门各单位|各单位|各部门|有关部门|有关单位|相关部门|相关单位)$"
)
# A collective that opens a sentence is who the task speaks to: 各单位各部门要…
SUBJECT_COLLECTIVE_RE = re.compile(
    r"(?:^|。)(各单位各部门|各部门各单位|各单位|各部门|有关部门|相关部门)(?:要|应|均)"
)

MONTH_END_RE = re.compile(r"(\d{4})年(\d{1,2})月底(?:前|之前)?")
FULL_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前)?")
MONTH_RE = re.compile(r"(\d{4})年(\d{1,2})月(?![底\d])")
YEAR_END_RE = re.compile(r"(\d{4})?年底(?:前|之前)?")
WITHIN_YEAR_RE = re.compile(r"(?<![\d年])年内")
RELATIVE_RE = re.compile(r"(\d+)(个工作日|个小时|小时|个自然日|自然日|天|日)内")
RECURRING_RE = re.compile(r"每周|每月|每季度|每半年|每年|定期")
ROUND_RE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?[^。,,;;]*?(检查|考评|验收|考核)")

RELATIVE_UNITS = {
    "个工作日": "workday",
    "个小时": "hour",
    "小时": "hour",
    "个自然日": "day",
    "自然日": "day",
    "天": "day",
    "日": "day",
}
RECURRING_EVERY = {
    "每周": "week",
    "每月": "month",
    "每季度": "quarter",
    "每半年": "periodic",
    "每年": "year",
    "定期": "periodic",
}


class PlanTextError(ValueError):
    """The text does not read as a plan; the message names the line."""


def parse_plan_text(text: str, *, known_departments=()) -> dict:
    """Return the plan JSON for a plan document's text."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    lines = [line.strip() for line in text.split("\n")]
    plan = {"title": "", "year": None, "issuer": "", "preamble": "", "sections": []}
    preamble = []
    section = task = None

    for line in lines:
        if not line or PUBLICATION_NOTE_RE.match(line):
            continue
        if match := SECTION_RE.match(line):
            section = {"number": match[1], "title": match[2].strip(), "body": "", "tasks": []}
            plan["sections"].append(section)
            task = None
        elif section and (match := TASK_RE.match(line)):
            task = _new_task(match[1], match[2])
            section["tasks"].append(task)
        elif task and (match := SUBTASK_RE.match(line)):
            task["tasks"].append(_new_task(match[1] or match[2], match[3]))
        elif task:
            target = task["tasks"][-1] if task["tasks"] else task
            target["body"] = f"{target['body']}\n{line}" if target["body"] else line
        elif section:
            section["body"] = f"{section['body']}\n{line}" if section["body"] else line
        elif not preamble and not plan["title"] and TITLE_LINE_RE.match(line):
            plan["title"] = line
        else:
            preamble.append(line)

    if not plan["sections"]:
        raise PlanTextError("no section heading (一、…) found in the text")
    plan["preamble"] = "\n".join(preamble)
    plan["year"] = _plan_year(text)
    if plan["year"] is None:
        raise PlanTextError("no year (such as 2016年) found in the text")

    for section in plan["sections"]:
        for task in section["tasks"]:
            _read_task(task, plan["year"], set(known_departments))
    plan["review_rounds"] = _review_rounds(text)
    return plan


def _new_task(number: str, rest: str) -> dict:
    rest = rest.strip()
    title, stop, body = rest.partition("。")
    if not stop:
        title, body = rest, ""
    return {
        "number": number,
        "title": title.strip(),
        "body": body.strip(),
        "departments": [],
        "other_units": "",
        "deadlines": [],
        "tasks": [],
    }


def _read_task(task: dict, year: int, known: set[str]) -> None:
    full = f"{task['title']}。{task['body']}"
    task["departments"], task["other_units"] = _assignments(full, known)
    task["deadlines"] = deadlines_in(full, year)
    for sub in task["tasks"]:
        _read_task(sub, year, known)


def _plan_year(text: str) -> int | None:
    named = re.findall(r"(\d{4})年(?:度)?政务公开", text)
    years = named or re.findall(r"(\d{4})年", text)
    if not years:
        return None
    return int(Counter(years).most_common(1)[0][0])


def _is_department_name(name: str, known: set[str]) -> bool:
    return name in known or bool(re.search(r"(处|室|科|局|中心|所|队|站|办)$", name))


def _assignments(full: str, known: set[str]) -> tuple[list[dict], str]:
    departments: list[dict] = []
    collectives: list[str] = []
    for match in ASSIGNMENT_RE.finditer(full):
        parts = PARTNER_SPLIT_RE.split(match[1])
        for index, part in enumerate(parts):
            role = "lead" if index == 0 else "partner"
            for raw in re.split(r"[、,,和及]", part):
                name = raw.strip()
                if not name:
                    continue
                if suffix := COLLECTIVE_SUFFIX_RE.search(name):
                    collectives.append(suffix[1])
                    name = name[: suffix.start()]
                if COLLECTIVE_RE.match(name):
                    collectives.append(name)
                elif _is_department_name(name, known):
                    if all(d["name"] != name for d in departments):
                        departments.append({"name": name, "role": role})
                elif name:
                    collectives.append(name)
    if not departments and not collectives and (match := SUBJECT_COLLECTIVE_RE.search(full)):
        collectives.append(match[1])
    return departments, "、".join(dict.fromkeys(collectives))


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def deadlines_in(full: str, year: int) -> list[dict]:
    """The deadlines the words of `full` set, in the order they appear."""
    found: list[tuple[int, dict]] = []
    taken: list[range] = []

    def add(match, item):
        span = range(match.start(), match.end())
        if any(span.start in t or t.start in span for t in taken):
            return
        if any(item["text"] == existing["text"] for _, existing in found):
            return  # the same words twice in one task set one deadline
        taken.append(span)
        found.append((match.start(), item))

    for m in FULL_DATE_RE.finditer(full):
        due = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        add(m, {"text": m[0], "kind": "date", "due": due.isoformat()})
    for m in MONTH_END_RE.finditer(full):
        add(m, {"text": m[0], "kind": "date", "due": _last_day(int(m[1]), int(m[2])).isoformat()})
    for m in MONTH_RE.finditer(full):
        add(m, {"text": m[0], "kind": "date", "due": _last_day(int(m[1]), int(m[2])).isoformat()})
    for m in YEAR_END_RE.finditer(full):
        add(m, {"text": m[0], "kind": "date", "due": f"{m[1] or year}-12-31"})
    for m in WITHIN_YEAR_RE.finditer(full):
        add(m, {"text": m[0], "kind": "date", "due": f"{year}-12-31"})
    for m in RELATIVE_RE.finditer(full):
        item = {
            "text": m[0],
            "kind": "relative",
            "amount": int(m[1]),
            "unit": RELATIVE_UNITS[m[2]],
            "after": _trigger(full[: m.start()]),
        }
        add(m, item)
    for m in RECURRING_RE.finditer(full):
        add(m, {"text": m[0], "kind": "recurring", "every": RECURRING_EVERY[m[0]]})
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _trigger(before: str) -> str:
    """The event a relative deadline counts from: the nearest clause of the sentence
    ending in 后 (文件公开后, 突发事件发生后)."""
    sentence = re.split(r"[。;\uff1b\n]", before)[-1]
    for clause in reversed(re.split(r"[,,]", sentence)):
        if "后" in clause:
            clause = clause[: clause.rindex("后") + 1]
            return re.split(r"[于在]", clause)[-1].strip()
    return ""


def _review_rounds(text: str) -> list[dict]:
    rounds = []
    for m in ROUND_RE.finditer(text):
        kind = "check" if m[4] == "检查" else "assessment"
        year, month = int(m[1]), int(m[2])
        if m[3]:
            words = f"{m[1]}年{m[2]}月{m[3]}日"
            date = datetime.date(year, month, int(m[3]))
        else:
            words = f"{m[1]}年{m[2]}月"
            date, _source = first_workday_of_month(year, month)
        if all(r["text"] != words or r["kind"] != kind for r in rounds):
            rounds.append({"kind": kind, "text": words, "date": date.isoformat()})
    return rounds
