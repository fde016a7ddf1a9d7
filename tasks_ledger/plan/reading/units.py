"""Who carries a task: unit lists read from a bracket, a line, or a table's unit column.

Forms found in real plans: (X负责落实), (X、Y分别负责落实), (X牵头,各有关单位按职责分工负责),
a bare (X、Y、Z), (X牵头、Y配合), (X会同Y), (牵头单位:X;责任单位:Y), (责任单位:X), and a note
saying how to read the lists (逗号前的为牵头单位). Leads are the units named first, a 牵头 unit,
a bare list or a 责任单位 list; partners are joined after a lead by 配合, 会同, or 按职责分工.
"""

import re
from dataclasses import dataclass, field

from tasks_ledger.plan.reading.names import (
    LEVEL_PREFIX,
    is_collective,
    is_unit_name,
    split_top,
    takes_prefix,
)

_LABEL = re.compile(r"(牵头|责任|主责|配合|协办|协助|参与|实施)(单位|部门|科室|处室|主体)\s*:")
# A note in the text that says how to read the lists: 逗号前的为牵头单位, 排第一的为牵头单位.
COMMA_NOTE = re.compile(r"[^,;。()]*(逗号|分号)前[^,;。()]*?(为|是)牵头[^,;。()]*")
FIRST_NOTE = re.compile(r"[^,;。()]*(第一|首位)[^,;。()]*?(为|是)牵头[^,;。()]*")
# (责任单位:市发改委 完成时限:6月底前): the deadline is read with the task's deadlines.
_DEADLINE_LABEL = re.compile(r"(?:完成时限|时限要求|完成时间|时间节点|完成期限|时限)\s*:[^;,)]*")
# Words after a run of names saying what they do: 分别牵头落实, 按职责分工负责, 配合.
_ROLE_TAIL = re.compile(
    r"(?:按照职责分工|按职责分工|按职责|分别|共同|具体|负责牵头|牵头|负责|落实|配合|协助|协办"
    r"|参与|组织实施|实施)+$"
)
_ROLE_HEAD = re.compile(r"^(?:由|请|责成)")
# Joins that make what follows a partner: X会同Y, 政策法规处会安全处.
_PARTNER_JOIN = re.compile(r"会同|协同|(?<=[处室科局委办])会(?!同)")


@dataclass
class UnitReading:
    departments: list[dict] = field(default_factory=list)
    collectives: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    stated: bool = False  # a role word, a label or a column said what the units do

    @property
    def found(self) -> bool:
        return bool(self.departments or self.collectives)


def reading_mode(text: str) -> str:
    """How unlabelled lists of this document are read: "comma" when a note says the units
    before the comma lead, "first" when the unit listed first leads, else ""."""
    if COMMA_NOTE.search(text):
        return "comma"
    if FIRST_NOTE.search(text):
        return "first"
    return ""


def read_units(
    text: str, *, source: str, known=frozenset(), mode: str = "", role: str = "", cut=False
) -> UnitReading:
    """The units a list names. `role` is a column's role ("lead"/"partner"), `cut` says the
    text stops mid-word (an excerpt cut off), so a last piece that is no name is dropped."""
    reading = UnitReading(stated=bool(role))
    text = COMMA_NOTE.sub("", FIRST_NOTE.sub("", text))
    text = _DEADLINE_LABEL.sub("", text).strip(" ,;。")
    labels = list(_LABEL.finditer(text))
    if labels:
        reading.stated = True
        has_lead_label = any(m[1] == "牵头" for m in labels)
        _read_run(text[: labels[0].start()], reading, known, mode, role, cut=False)
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            kind = label[1]
            if kind == "牵头" or (kind in ("责任", "主责", "实施") and not has_lead_label):
                label_role = "lead"
            else:
                label_role = "partner"
            last = i + 1 == len(labels)
            _read_run(text[label.end() : end], reading, known, mode, label_role, cut and last)
    else:
        _read_run(text, reading, known, mode, role, cut)
    _distribute_prefix(reading.departments, known)
    for dept in reading.departments:
        dept["source"] = source
    return reading


def _read_run(text, reading: UnitReading, known, mode, role, cut) -> None:
    clauses = [c for c in split_top(text, ",;\n") if c.strip(" 。")]
    pending: list[tuple[str, bool]] = []  # (name, joined as partner)

    def flush(run_role: str) -> None:
        for name, joined in pending:
            _add(reading, name, "partner" if joined else run_role, known)
        pending.clear()

    for index, clause in enumerate(clauses):
        pieces = [p for p in split_top(clause.strip(" 。"), "、") if p.strip()]
        joining = False  # after 会同 every name of the list up to its role words is a partner
        for piece in pieces:
            piece = _ROLE_HEAD.sub("", piece.strip())
            tail = _ROLE_TAIL.search(piece)
            words = tail[0] if tail else ""
            piece = piece[: tail.start()] if tail else piece
            joined = _PARTNER_JOIN.split(piece)
            reading.stated = reading.stated or len(joined) > 1
            for j, name in enumerate(joined):
                for part in _spaced_names(name.strip(), known):
                    if part:
                        pending.append((part, joining or j > 0))
            joining = joining or len(joined) > 1
            if words:
                reading.stated = True
                flush(_role_of(words, reading, role))
                joining = False
        if mode == "comma":
            flush("lead" if index == 0 else "partner")
        elif role and pending:
            flush(role)
    flush(role or "lead")
    if mode == "first":
        for i, dept in enumerate(reading.departments):
            dept["role"] = "lead" if i == 0 else "partner"
    if cut and reading.invalid and reading.invalid[-1] == _last_piece(text):
        reading.invalid.pop()  # cut off mid-word: the names complete before the cut stay


def _spaced_names(name: str, known) -> list[str]:
    """Names a PDF's table cell separates by spaces only (市发改委 市财政局)."""
    parts = name.split()
    if len(parts) > 1 and all(is_unit_name(p, known) or is_collective(p) for p in parts):
        return parts
    return [name]


def _last_piece(text: str) -> str:
    pieces = [p for p in re.split(r"[、,;]", text) if p.strip()]
    return _ROLE_HEAD.sub("", pieces[-1].strip()) if pieces else ""


def _role_of(words: str, reading: UnitReading, column_role: str) -> str:
    if re.search("配合|协助|协办|参与", words):
        return "partner"
    if "按职责" in words or "按照职责" in words:
        has_lead = any(d["role"] == "lead" for d in reading.departments)
        return "partner" if has_lead else "lead"
    return column_role or "lead"


def _add(reading: UnitReading, name: str, role: str, known) -> None:
    name = name.strip(" .。")
    if not name:
        return
    if "等" in name and not is_collective(name[: name.index("等")]):
        head, rest = name[: name.index("等")], name[name.index("等") :]
        if is_unit_name(head, known):
            _add(reading, head, role, known)
            reading.collectives.append(rest)
            return
    if name not in known and is_collective(name):
        reading.collectives.append(name)
    elif is_unit_name(name, known):
        if all(d["name"] != name for d in reading.departments):
            reading.departments.append({"name": name, "role": role})
    else:
        reading.invalid.append(name)


def _distribute_prefix(departments: list[dict], known) -> None:
    if not departments or not (prefix := LEVEL_PREFIX.match(departments[0]["name"])):
        return
    for dept in departments[1:]:
        if dept["name"] not in known and takes_prefix(dept["name"]):
            dept["name"] = prefix[0] + dept["name"]
            dept["guess"] = True
