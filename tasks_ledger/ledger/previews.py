"""Which evidence files the browser may show in the page, and as what.

Only images (PNG, JPEG) and PDFs; never HTML, SVG or anything else a browser could run as
a page. The Content-Type comes from this table, for a kind the file's own first bytes
confirm (they were checked at upload too, but the stored file is read again here: what
is sent inline is what was checked, whatever the name says)."""

from pathlib import PurePath

from tasks_ledger.ledger.evidence_files import ALLOWED_FILES
from tasks_ledger.ledger.models import Evidence

IMAGE, PDF = "image", "pdf"
PREVIEWS = {
    ".png": (IMAGE, "image/png"),
    ".jpg": (IMAGE, "image/jpeg"),
    ".jpeg": (IMAGE, "image/jpeg"),
    ".pdf": (PDF, "application/pdf"),
}
# The responses may not become a page of this site: `sandbox` gives the document an
# opaque origin (no cookies, no same-origin requests). A PDF needs its viewer's scripts
# (Safari runs it inside the document; Chromium's viewer ignores the header) but still no
# origin of ours.
POLICIES = {IMAGE: "sandbox", PDF: "sandbox allow-scripts"}


def preview_kind(evidence: Evidence) -> str | None:
    """ "image", "pdf" or None, by the stored file's name (for the page's links)."""
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        return None
    found = PREVIEWS.get(PurePath(evidence.file.name).suffix.lower())
    return found[0] if found else None


def checked_type(evidence: Evidence, head: bytes) -> tuple[str, str] | None:
    """(kind, Content-Type) when the file's name is previewable and `head`, its first
    bytes, are what that kind starts with; else None."""
    suffix = PurePath(evidence.file.name).suffix.lower()
    if suffix not in PREVIEWS or not head.startswith(ALLOWED_FILES[suffix]):
        return None
    return PREVIEWS[suffix]
