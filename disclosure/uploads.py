"""The checks every uploaded or imported file passes before anything parses it.

One home for the rules that keep a hostile or broken file from costing memory, time or a
traceback: a size limit read from the file's size before its bytes are read; for zip
containers (.docx, .xlsx, .zip and the like) the total uncompressed size and the
compression ratio, taken from the zip's central directory before any parser opens it (a
zip bomb of 2 MB can inflate to gigabytes); XML parts with a document type declaration
refused (entity expansion tricks need one; OOXML never has one); JSON nesting bounded.
Each refusal is an UnsafeFile whose message names the file and the reason; callers turn it
into their own error (a plan import's PlanFormatError, an evidence upload's form error).
"""

import io
import json
import zipfile
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _

# Zip containers: their members' sizes are checked before a parser sees them.
ZIP_SUFFIXES = {".docx", ".xlsx", ".zip", ".ofd"}
# Members smaller than this may compress at any ratio: a run of blank cells or spaces in a
# small part is ordinary and cannot exhaust anything.
RATIO_FLOOR_BYTES = 1024 * 1024
# Far more members than any office file has; many tiny members are a bomb of another shape.
MAX_MEMBERS = 10_000
# A plan JSON is about a dozen levels deep (plan, sections, a task, its sub-tasks).
MAX_JSON_DEPTH = 64


class UnsafeFile(ValueError):
    """A file refused before parsing; the message names the file and the reason."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


def check_size(*, name: str, size: int, limit: int | None = None) -> None:
    """Refuse a file over the import limit, from its size alone (before reading it)."""
    limit = settings.IMPORT_MAX_BYTES if limit is None else limit
    if size > limit:
        raise UnsafeFile(
            name,
            _("the file is larger than the limit of %(mb)s MB") % {"mb": _megabytes(limit)},
        )
    if size == 0:
        raise UnsafeFile(name, _("the file is empty"))


def check_zip_container(*, name: str, file: BinaryIO) -> None:
    """Refuse a zip whose directory promises too much data or too high a ratio.

    Only the central directory is read. Its declared sizes can be trusted as bounds: Python's
    zipfile, which openpyxl and python-docx read through, never inflates a member past its
    declared size.
    """
    position = file.tell()
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnsafeFile(name, _("the file is damaged or not a zip container")) from None
    finally:
        file.seek(position)
    if len(members) > MAX_MEMBERS:
        raise UnsafeFile(name, _("the file holds too many parts (%(n)s)") % {"n": len(members)})
    total = sum(member.file_size for member in members)
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise UnsafeFile(
            name,
            _("uncompressed, the file would take %(size)s MB, more than the limit of %(mb)s MB")
            % {
                "size": _megabytes(total),
                "mb": _megabytes(settings.IMPORT_MAX_UNCOMPRESSED_BYTES),
            },
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > settings.IMPORT_MAX_ZIP_RATIO:
            raise UnsafeFile(
                name,
                _("the part %(part)s is compressed %(ratio)s to 1, more than %(max)s to 1")
                % {
                    "part": member.filename,
                    "ratio": int(ratio),
                    "max": settings.IMPORT_MAX_ZIP_RATIO,
                },
            )


def check_office_xml(*, name: str, file: BinaryIO) -> None:
    """Refuse an office file (already size-checked) whose XML parts declare a DTD.

    Entity tricks (billion laughs, external entities) need a document type declaration;
    defusedxml refuses one, and only each part's prolog is read: the parse stops at the
    first element.
    """
    position = file.tell()
    try:
        with zipfile.ZipFile(file) as archive:
            for member in archive.infolist():
                if not member.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(member) as part:
                    try:
                        next(iterparse(part, events=("start",), forbid_dtd=True), None)
                    except DefusedXmlException:
                        raise UnsafeFile(
                            name,
                            _("the part %(part)s declares XML entities, which are refused")
                            % {"part": member.filename},
                        ) from None
                    except Exception:  # expat's ParseError and zlib's errors alike
                        raise UnsafeFile(
                            name,
                            _("the part %(part)s is not well-formed XML")
                            % {"part": member.filename},
                        ) from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise UnsafeFile(name, _("the file is damaged or not a zip container")) from None
    finally:
        file.seek(position)


def check_import(*, name: str, data: bytes) -> None:
    """Every check an imported file gets before its reader opens it."""
    check_size(name=name, size=len(data))
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if f".{suffix}" in ZIP_SUFFIXES:
        check_zip_container(name=name, file=io.BytesIO(data))
        check_office_xml(name=name, file=io.BytesIO(data))


def load_json(*, name: str, text: str):
    """json.loads with the nesting bounded and no NUL characters in any string."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnsafeFile(name, _("the JSON is nested too deeply")) from None
    # Walked with a stack, not recursion: a deep document must not break the walk itself.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise UnsafeFile(
                name,
                _("the JSON is nested more than %(max)s levels deep") % {"max": MAX_JSON_DEPTH},
            )
        if isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and "\x00" in item:
            raise UnsafeFile(name, _("the JSON holds a NUL character"))
    return value


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.2f}"
