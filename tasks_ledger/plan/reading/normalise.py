"""One form of punctuation for every plan text, chosen once before anything is read.

Documents are issued with fullwidth punctuation (（ ）， ： ；), pasted and stored copies often
carry ASCII, and one text may mix both. Everything downstream reads the ASCII form the seed
plan is written in, so each pattern is written once. 。、“” stay as they are: they have no
ASCII twin in these texts.
"""

import re

_FULLWIDTH = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "，": ",",
        "：": ":",
        "；": ";",
        "．": ".",
        "｜": "|",
        "\u3000": " ",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        "～": "~",
        "－": "-",
        **{chr(0xFF10 + i): str(i) for i in range(10)},
    }
)
# Leftovers of a page's layout before a heading: "? ?二、", "■ (一)", "· 1.".
_STRAY_LEAD = re.compile(r"^[^\w(〔【《“\"]+")
_STRAY_TAIL = re.compile(r"[*#|\s]+$")
# A cited title: dates and years inside it belong to the cited document, not to this plan.
_CITATION = re.compile(r"《[^《》]*》")


# 【牵头单位】市发改委 is written 牵头单位:市发改委 elsewhere: one form for the labels.
_BOXED_LABEL = re.compile(
    r"【\s*((?:牵头|责任|主责|配合|协办|协助|参与|实施)(?:单位|部门|科室|处室|主体)"
    r"|完成时限|时限要求|完成时间|时间节点|完成期限)\s*】\s*:?"
)


def normalise(text: str) -> str:
    """The text with ASCII ( ) , : ; and digits, Unix line ends and no BOM."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULLWIDTH)
    return _BOXED_LABEL.sub(r"\1:", text)


def strip_stray(line: str) -> str:
    return _STRAY_TAIL.sub("", _STRAY_LEAD.sub("", line.strip()))


def blank_citations(text: str) -> str:
    """`text` with every 《…》 title blanked out, positions kept (for searches that must not
    read the words of a cited document)."""
    return _CITATION.sub(lambda m: " " * len(m[0]), text)
