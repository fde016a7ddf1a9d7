"""An evidence file shown in the page: an image inline, a PDF in the browser's viewer.

The same access check as the download (`selectors.evidence_file_open`: 404 for what the
user may not see), and headers that keep the file from running as a page of the site."""

from pathlib import PurePath

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from departments.access import role_required
from disclosure.downloads import content_disposition
from tasks_ledger.ledger import selectors
from tasks_ledger.ledger.previews import POLICIES, checked_type

# Enough for every signature in evidence_files.ALLOWED_FILES.
HEAD_BYTES = 16


@role_required
@require_GET
def evidence_preview(request, pk):
    evidence, handle = selectors.evidence_file_open(user=request.user, pk=pk)
    checked = checked_type(evidence, handle.read(HEAD_BYTES))
    if checked is None:
        handle.close()
        # Not something to show: the download is the way to it.
        raise Http404("No preview for this kind of file")
    handle.seek(0)
    kind, content_type = checked
    response = FileResponse(handle, content_type=content_type)
    suffix = PurePath(evidence.file.name).suffix
    response["Content-Disposition"] = content_disposition(
        evidence.filename or f"evidence{suffix}",
        fallback=f"evidence-{evidence.pk}{suffix}",
        inline=True,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = POLICIES[kind]
    # A private file: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
