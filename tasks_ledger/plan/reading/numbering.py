"""Numbered headings and items: 一、 for sections; (一), 1. 1、 1, (1), ① for tasks at any depth.

Inside one cell or line, a run of items 1. 2. 3. after a sentence's end is split into items
("1.开展清理。2.发布文本。"), so numbering written inside one table cell gives sub-tasks.
"""

import re
from dataclasses import dataclass

CN_NUMERAL = "一二三四五六七八九十百零〇"
CN_VALUE = {ch: i for i, ch in enumerate("零一二三四五六七八九", start=0)}
SECTION_RE = re.compile(rf"^([{CN_NUMERAL}]{{1,3}})\s*[、.]\s*(.*)$", re.S)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ITEM_RES = (
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d.%])\s*(.*)$", re.S)),
    ("cn", re.compile(rf"^\(\s*([{CN_NUMERAL}]{{1,3}})\s*\)\s*(.*)$", re.S)),
    ("paren", re.compile(r"^\(\s*(\d{1,3})\s*\)\s*(.*)$", re.S)),
    ("arabic", re.compile(r"^(\d{1,3})(?:\s*[.、](?!\d)\s*|\s*$)(.*)$", re.S)),
    ("circled", re.compile(rf"^([{CIRCLED}])\s*(.*)$", re.S)),
    ("half", re.compile(r"^(\d{1,3})\)\s*(.*)$", re.S)),
)
_INLINE = {
    "arabic": re.compile(r"(?:(?<=[。;\n])|(?<=[。;]\s))(\d{1,2})\s*[.、](?!\d)"),
    "paren": re.compile(r"(?:(?<=[。;\n])|(?<=[。;]\s))\((\d{1,2})\)"),
    "circled": re.compile(rf"(?:(?<=[。;])|(?<=[。;]\s)|(?<=^))([{CIRCLED}])"),
}


@dataclass(frozen=True)
class Numbered:
    style: str
    number: str
    rest: str


def value(style: str, number: str) -> int:
    """The number's value, for telling a continuation from a restart."""
    if style == "circled":
        return CIRCLED.index(number) + 1
    if style.startswith("decimal"):
        return int(number.rsplit(".", 1)[1])
    if style != "cn":
        return int(number)
    if number == "十":
        return 10
    total, current = 0, 0
    for ch in number:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch in CN_VALUE:
            current = CN_VALUE[ch]
    return total + current


def section_heading(text: str):
    return SECTION_RE.match(text)


def numbered(text: str) -> Numbered | None:
    for style, regex in _ITEM_RES:
        if match := regex.match(text):
            if style == "decimal":  # 1.1 under 1., 1.1.1 under 1.1: a level per dot
                style = f"decimal{match[1].count('.')}"
            return Numbered(style, match[1], match[2].strip())
    return None


def split_inline(text: str, after: Numbered | None = None) -> tuple[str, list[Numbered]]:
    """(head, items): the items numbered inside `text`, consecutive, continuing `after`'s
    number in its style or starting at 1; head is the text before the first of them."""
    for style, regex in _INLINE.items():
        expected = value(style, after.number) + 1 if after and after.style == style else 1
        starts = []
        for match in regex.finditer(text):
            if value(style, match[1]) == expected:
                starts.append(match)
                expected += 1
        continues = after is not None and after.style == style
        if len(starts) >= 2 or (continues and starts):
            items = []
            for i, match in enumerate(starts):
                end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
                items.append(Numbered(style, match[1], text[match.end() : end].strip()))
            return text[: starts[0].start()].strip(), items
    return text, []
