"""The plan's title, issuer and year: what the plan is for, never a year it cites.

The year comes from the plan's title (松原市…2020年政务公开…方案), else from its issue date
(a line 2022年10月31日), else from "2016年政务公开" in its own words, else from the dates its
tasks set (a guess); a range in a title (2021—2023年) or a cited title (《…2016年…》) says
nothing. Unknown is allowed: None, and the reader asks for it.
"""

import re
from collections import Counter

from tasks_ledger.plan.reading.normalise import blank_citations

TITLE_RE = re.compile(
    r"^[^。,;:]{4,80}(方案|要点|计划|安排|清单|分工|分工表|任务表|台账|细则|任务|意见|通知|一览表)"
    r"(\([^()]{1,12}\))?$"
)
ISSUE_DATE_RE = re.compile(r"^(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# A year that is not part of a range: 2022年, not 2021—2023年 nor 2021年—2023年.
_YEAR_RE = re.compile(r"(?<![\d—\-~至到])(\d{4})\s*年(?!\s*[—\-~至到]\s*\d{4})")
_OWN_YEAR_RE = re.compile(r"(?<![\d—\-~至到])(\d{4})年度?(?:政务公开|工作要点|重点工作)")
# 关于印发XX市2023年政务公开工作要点的通知: the covering notice names the plan it issues.
_ISSUED_RE = re.compile(
    r"印发[^《》。,]{0,30}?(?<![\d—\-~至到])(\d{4})年(?!\s*[—\-~至到]\s*\d{4})"
    r"[^《》。,]{0,30}?(?:要点|方案|分工|清单|计划)"
)
_DATE_YEAR_RE = re.compile(r"(?<![\d—\-~至到])(\d{4})年\d{1,2}月")


def is_title(line: str) -> bool:
    return bool(TITLE_RE.match(line)) and not line.startswith("附件")


def title_year(title: str) -> int | None:
    # 关于印发《某市2023年政务公开工作要点》的通知: the title it cites is the plan it issues.
    issued = "印发" in title and title.endswith("通知")
    match = _YEAR_RE.search(title if issued else blank_citations(title))
    return _plausible(match[1]) if match else None


def issuer_of(title: str) -> str:
    """The body named before the year in a title: 松原市机关事务管理局2020年…方案."""
    match = _YEAR_RE.search(title)
    head = title[: match.start()] if match else ""
    return head if 2 <= len(head) <= 40 and not re.search(r"《|》|关于", head) else ""


def plan_year(*, title: str, lines: list[str], text: str) -> tuple[int | None, str]:
    """(year, where it was read) for the plan; (None, "") when the text does not say."""
    if year := title_year(title):
        return year, title
    for line in lines:
        if (match := ISSUE_DATE_RE.match(line)) and (year := _plausible(match[1])):
            return year, line
    for line in lines:
        if is_title(line) and "印发" in line and (year := title_year(line)):
            return year, line
    own = blank_citations(text)
    for regex, searched in ((_OWN_YEAR_RE, own), (_ISSUED_RE, own), (_DATE_YEAR_RE, own)):
        years = [y for y in (_plausible(v) for v in regex.findall(searched)) if y]
        if years:
            year = Counter(years).most_common(1)[0][0]
            return year, f"{year}年"
    return None, ""


def _plausible(value: str) -> int | None:
    year = int(value)
    return year if 1990 <= year <= 2200 else None
