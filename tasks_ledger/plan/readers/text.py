"""Plain-text plan documents (.txt) in whatever encoding the office saved them.

The encoding is read from a byte-order mark when there is one, else the text is tried as
UTF-8, else charset-normalizer detects it (GB18030/GBK, UTF-16 without a mark, ...); it is
never assumed. A file that decodes to NUL bytes or control characters is binary, not text.
Tables flattened to text are read back as tables by the parser's `document_from_text`,
so a .txt and the same table in a .docx are read by one piece of code.
"""

import codecs
import re

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from tasks_ledger.plan.document import Document
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.reading import document_from_text

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its mark starts with UTF-16's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# GB2312 and GBK are subsets of GB18030; decoding with the superset loses nothing.
GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz"}
# Control characters other than tab, line and page breaks do not occur in text.
BINARY_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, *, name: str) -> str:
    for mark, encoding in BOMS:
        if data.startswith(mark):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise PlanFormatError(
                    name, _("the file starts as %(enc)s text but is not") % {"enc": encoding}
                ) from None
            return _checked(text.lstrip("\ufeff"), name=name)
    try:
        return _checked(data.decode("utf-8"), name=name)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise PlanFormatError(name, _("the file is not text in any encoding recognized"))
    if best.encoding.replace("_", "").lower() in GB_FAMILY:
        text = data.decode("gb18030", errors="replace")
    else:
        text = str(best)
    return _checked(text, name=name)


def _checked(text: str, *, name: str) -> str:
    if "\x00" in text:
        raise PlanFormatError(name, _("the file holds NUL bytes: it is not a text file"))
    if len(BINARY_RE.findall(text)) > max(2, len(text) // 1000):
        raise PlanFormatError(name, _("the file holds binary data: it is not a text file"))
    return text


def read_text(data: bytes, *, name: str) -> Document:
    return document_from_text(decode_text(data, name=name), name=name)
