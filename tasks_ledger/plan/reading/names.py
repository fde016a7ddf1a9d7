"""What a unit's name looks like: a department, an outside body, or a collective reference.

Names end in anything a government unit ends in (…处, …委, …办, …支行, …分局, …中心) and may
hold brackets (市府办〔市大数据局〕). Collective references (各科室, 相关业务科室, 有关单位,
…等) name no one in particular: they go to `other_units`, never to departments.
"""

import re

OPENERS = "(〔【[<"
CLOSERS = ")〕】]>"

# A level written once before a list belongs to every name of it (区发展改革局、教育体育局).
LEVEL_PREFIX = re.compile(r"^(市|区|县|省|州|旗|盟|镇|乡)")
_UNIT_END = re.compile(
    r"(局|委|办|处|室|科|股|中心|支行|分行|银行|所|队|站|院|委员会|联合会|协会|学会|商会|工会"
    r"|红十字会|管委会|残联|妇联|文联|科协|工商联|侨联|部|厅|小组|报社|杂志社|社|公司|集团"
    r"|政府|街道|办事处|馆|电视台|广播电台|署|海关|大学|学校|医院|法院|检察院|团|专班)$"
)
# Words that end like a unit but are not one (政府网站, 政务大厅, 大局, 一网通办).
_NOT_UNIT_END = re.compile(
    r"(格局|大局|全局|布局|结局|当局|之处|好处|难处|出处|场所|住所|处所|网站|平台|大厅|场馆"
    r"|全部|内部|外部|主办|承办|督办|交办|协办|举办|创办|代办|帮办|包办|查办|快办|网办|马上办"
    r"|一次办|就近办|掌上办|专办|通办|本科|学科|专科|城镇|乡镇|干部|局部|细则|为中心|团队"
    r"|法治政府|数字政府|透明政府|服务型政府|阳光政府|廉洁政府|诚信政府|整体政府|有限政府)$"
)
# Sentence words: a piece holding one is text, not a name.
_SENTENCE_WORD = re.compile(
    r"(要求|应当|做好|加强|推进|开展|建立|完善|召开|实施|按照|根据|通过|及时|进一步|确保|提高"
    r"|提升|围绕|加大|深化|健全|强化|规范|推动|利用|结合|发挥|依法|的|。|:|;|\d{4}年)"
)
_COLLECTIVE = re.compile(
    r"各|有关|相关|成员单位$|^(其他|其它|所属|下属|全体|全市|全区|全县|直属|本级|乡镇|镇街|街镇"
    r"|县区|县市区|区县|市县)|等[^等]{0,6}$|^等"
)
# Brackets inside a name (市府办〔市大数据局〕, 各镇(街区)) do not decide what it is.
_INNER_BRACKETS = re.compile(r"[(〔【\[][^()〔〕【】\[\]]*[)〕】\]]")


def bare(name: str) -> str:
    return _INNER_BRACKETS.sub("", name).strip()


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE.search(bare(name)))


def is_unit_name(name: str, known=frozenset()) -> bool:
    if name in known:
        return True
    core = bare(name)
    if not 3 <= len(core) <= 30 or _SENTENCE_WORD.search(core):
        return False
    return bool(_UNIT_END.search(core)) and not _NOT_UNIT_END.search(core)


def takes_prefix(name: str) -> bool:
    """Whether a name written without its level is a department of the same government
    (教育体育局), rather than an outside body named in full (人民银行潍坊市中心支行,
    潍坊银监分局), which never takes the list's prefix."""
    core = bare(name)
    return not (
        LEVEL_PREFIX.match(core)
        or re.search(r"[市区县省州]", core)
        or re.match(r"(人民银行|中国|国家|国网|中共|共青团)", core)
        or re.search(r"(分局|支行|分行|公司|集团|银行|海关|总队|支队|大队)$", core)
    )


def split_top(text: str, separators: str) -> list[str]:
    """`text` split at any of `separators` that stands outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def brackets(text: str):
    """Yield (start, end, inner, closed) for each outermost (…) of `text`; a bracket still
    open at the end of the text (a cut-off excerpt) comes last with closed False."""
    depth, start = 0, None
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                yield start, i + 1, text[start + 1 : i], True
    if depth and start is not None:
        yield start, len(text), text[start + 1 :], False
