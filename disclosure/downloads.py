"""The one rule for naming a file we send: the Content-Disposition header.

Chinese file names reach every browser through RFC 6266/5987's `filename*=UTF-8''…`; the
plain `filename="…"` beside it is an ASCII fallback for the few clients that read only that
one (and for logs and proxies that mangle non-ASCII headers)."""

import re
from urllib.parse import quote

NOT_PORTABLE = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(name: str, *, fallback: str, inline: bool = False) -> str:
    """`attachment` (or `inline`) with `name` in UTF-8 and `fallback` in plain ASCII."""
    ascii_name = NOT_PORTABLE.sub("_", fallback).strip("_") or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
