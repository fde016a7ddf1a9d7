"""Deadlines a task's words set, and whether the task is ongoing.

Dates (2016年9月底前, 2020年9月30日前, a month with no year in the plan's year: 11 月底前),
the year's end (年底前, 年内), periods after an event (3个工作日内, 5小时内) and recurrences
(定期, 每月/按月, 每季度). 持续推进, 长期坚持 and 常态化 set no deadline: the task is ongoing.
A count per period (每个工作日不少于3条) is no deadline, and dates inside a cited title
(《…2016年…》) belong to the cited document.
"""

import calendar
import datetime
import re

from tasks_ledger.plan.reading.normalise import blank_citations

_S = r"\s*"
FULL_DATE_RE = re.compile(rf"(\d{{4}}){_S}年{_S}(\d{{1,2}}){_S}月{_S}(\d{{1,2}}){_S}日(?:前|之前)?")
MONTH_END_RE = re.compile(rf"(\d{{4}}){_S}年{_S}(\d{{1,2}}){_S}月{_S}[底末](?:前|之前)?")
MONTH_RE = re.compile(r"(\d{4})年(\d{1,2})月(?![底末\d—\-~至])")
# Without a year the words must say "before": 11 月底前, 3月15日前 (not 11月中旬开展).
DAY_NO_YEAR_RE = re.compile(
    rf"(?<![\d年—\-~])(\d{{1,2}}){_S}月{_S}(\d{{1,2}}){_S}日{_S}(?:前|之前)"
)
MONTH_NO_YEAR_RE = re.compile(rf"(?<![\d年—\-~])(\d{{1,2}}){_S}月份?{_S}(?:[底末]{_S})?(?:前|之前)")
MONTH_END_NO_YEAR_RE = re.compile(rf"(?<![\d年—\-~])(\d{{1,2}}){_S}月{_S}[底末]")
YEAR_END_RE = re.compile(rf"(?:(\d{{4}}){_S}年{_S})?年[底末](?:前|之前)?")
# 上半年, 2023年三季度末前, 11月中旬前: the last day of the half, quarter or ten days.
HALF_RE = re.compile(rf"(?:(\d{{4}}){_S}年{_S})?(?<!每)([上下])半年(?:底|末)?(?:前|之前)?")
QUARTER_RE = re.compile(
    rf"(?:(\d{{4}}){_S}年{_S})?(?<!每)第?([一二三四1-4])季度(?:底|末)?(?:前|之前)?"
)
TEN_DAYS_RE = re.compile(
    rf"(?:(\d{{4}}){_S}年{_S})?(?<![\d年])(\d{{1,2}}){_S}月{_S}([上中下])旬(?:前|之前)?"
)
WITHIN_YEAR_RE = re.compile(r"(?:(\d{4})\s*|(?<![\d年]))年度?内")
RELATIVE_RE = re.compile(r"(\d+)\s*(个工作日|个小时|小时|个自然日|自然日|天|日)内")
RECURRING_RE = re.compile(
    r"每周|每月|按月|逐月|每季度|按季度|每季|每半年|每年|按年度|按年|(?<!不)定期"
)
# In a deadline's own place (a 完成时限 column or label) a bare month or day is the deadline.
DEADLINE_PLACE_RE = re.compile(
    r"(?:完成时限|时限要求|完成时间|时间节点|完成期限)\s*:\s*([^;。\n)]*)"
)
BARE_DAY_RE = re.compile(rf"(?<![\d年—\-~])(\d{{1,2}}){_S}月{_S}(\d{{1,2}}){_S}日")
BARE_MONTH_RE = re.compile(rf"(?<![\d年—\-~])(\d{{1,2}}){_S}月(?![\d份底末上中下])")
# 每个工作日不少于3条, 每月至少2次: a count per period, not a deadline.
QUOTA_RE = re.compile(r"^.{0,6}?(不少于|不低于|不超过|至少|\d+\s*[条次篇期])")
ONGOING_WORDS = r"持续推进|长期坚持|常态化推进|常态化|长期推进|持续开展|长期|持续|常年"
ONGOING_CELL_RE = re.compile(
    rf"^(?:(?:完成)?时限(?:要求)?|完成时间)?:?\s*({ONGOING_WORDS})(?:完成|落实|开展)?[。.]?$"
)
ONGOING_IN_TEXT_RE = re.compile(
    rf"(?:(?:完成)?时限(?:要求)?|完成时间)\s*:\s*({ONGOING_WORDS})"
    rf"|\(({ONGOING_WORDS})\)|[,;。]\s*({ONGOING_WORDS})[。]?$"
)

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
    "按月": "month",
    "每季度": "quarter",
    "按季度": "quarter",
    "每季": "quarter",
    "每半年": "periodic",
    "每年": "year",
    "按年": "year",
    "按年度": "year",
    "逐月": "month",
    "定期": "periodic",
}


def is_ongoing(text: str, *, alone: bool = False) -> bool:
    """Whether the words mark the task ongoing: a cell or line that is only 持续推进, or the
    phrase in a deadline's place (时限:长期坚持, (常态化), a closing ",持续推进。")."""
    text = text.strip()
    if alone:
        return bool(ONGOING_CELL_RE.match(text))
    return bool(ONGOING_IN_TEXT_RE.search(text))


def _last_day(year: int, month: int) -> datetime.date | None:
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _date(year, month, day=None) -> str | None:
    if year is None:
        return None
    try:
        when = datetime.date(year, month, day) if day else _last_day(year, month)
    except ValueError:
        return None
    return when.isoformat() if when else None


def deadlines_in(
    full: str, year: int | None, *, sources: bool = False, place: bool = False
) -> list[dict]:
    """The deadlines the words of `full` set, in the order they appear. With `year` None a
    month with no year or 年底前 is kept with `due` None, for the reader to ask. `sources`
    adds to each the clause it was read from; `place` says `full` is a deadline's own cell,
    where a bare 6月 or 9月30日 is a deadline too."""
    searched = blank_citations(full)
    found: list[tuple[int, dict]] = []
    taken: list[range] = []

    def add(match, item):
        span = range(match.start(), match.end())
        if any(span.start in t or t.start in span for t in taken):
            return
        if any(item["text"] == existing["text"] for _, existing in found):
            return  # the same words twice in one task set one deadline
        if item.get("kind") == "date" and item["due"] is None and year is not None:
            return  # an impossible date (13月) is no deadline
        if item.get("due") and year is not None and int(item["due"][:4]) < year:
            return  # 2022年10月印发的… in a 2023 plan tells the past, it sets no deadline
        taken.append(span)
        if sources:
            item["source"] = _clause(full, match.start(), match.end())
        found.append((match.start(), item))

    def date(m, due):
        return {"text": m[0].replace("\n", ""), "kind": "date", "due": due}

    for m in FULL_DATE_RE.finditer(searched):
        add(m, date(m, _date(int(m[1]), int(m[2]), int(m[3]))))
    for m in MONTH_END_RE.finditer(searched):
        add(m, date(m, _date(int(m[1]), int(m[2]))))
    for m in MONTH_RE.finditer(searched):
        add(m, date(m, _date(int(m[1]), int(m[2]))))
    for m in DAY_NO_YEAR_RE.finditer(searched):
        add(m, date(m, _date(year, int(m[1]), int(m[2]))))
    for regex in (MONTH_NO_YEAR_RE, MONTH_END_NO_YEAR_RE):
        for m in regex.finditer(searched):
            add(m, date(m, _date(year, int(m[1]))))
    for m in HALF_RE.finditer(searched):
        add(m, date(m, _date(int(m[1]) if m[1] else year, 6 if m[2] == "上" else 12)))
    for m in QUARTER_RE.finditer(searched):
        quarter = "一二三四".find(m[2]) + 1 or int(m[2])
        add(m, date(m, _date(int(m[1]) if m[1] else year, quarter * 3)))
    for m in TEN_DAYS_RE.finditer(searched):
        day = {"上": 10, "中": 20}.get(m[3])
        add(m, date(m, _date(int(m[1]) if m[1] else year, int(m[2]), day)))
    for m in YEAR_END_RE.finditer(searched):
        add(m, date(m, _date(int(m[1]) if m[1] else year, 12, 31)))
    for m in WITHIN_YEAR_RE.finditer(searched):
        add(m, date(m, _date(int(m[1]) if m[1] else year, 12, 31)))
    for m in RELATIVE_RE.finditer(searched):
        item = {
            "text": m[0],
            "kind": "relative",
            "amount": int(m[1]),
            "unit": RELATIVE_UNITS[m[2]],
            "after": _trigger(full[: m.start()]),
        }
        if item["amount"] > 0:
            add(m, item)
    for m in RECURRING_RE.finditer(searched):
        if not QUOTA_RE.match(searched[m.end() :]):
            add(m, {"text": m[0], "kind": "recurring", "every": RECURRING_EVERY[m[0]]})
    places = [(0, len(searched))] if place else []
    places += [m.span(1) for m in DEADLINE_PLACE_RE.finditer(searched)]
    for start, end in places:
        for m in BARE_DAY_RE.finditer(searched, start, end):
            add(m, date(m, _date(year, int(m[1]), int(m[2]))))
        for m in BARE_MONTH_RE.finditer(searched, start, end):
            add(m, date(m, _date(year, int(m[1]))))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a match, as the preview shows where a deadline was read."""
    left = max(text.rfind(ch, 0, start) for ch in "。;,\n(") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。;,\n)") if i != -1]
    return text[left : min(rights) if rights else len(text)].strip()


def _trigger(before: str) -> str:
    """The event a relative deadline counts from: the nearest clause of the sentence
    ending in 后 (文件公开后, 突发事件发生后)."""
    sentence = re.split(r"[。;\uff1b\n]", before)[-1]
    for clause in reversed(re.split(r"[,,]", sentence)):
        if "后" in clause:
            clause = clause[: clause.rindex("后") + 1]
            return re.split(r"[于在]", clause)[-1].strip()
    return ""
