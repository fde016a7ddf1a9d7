"""Serving the public pages to crowds: a page cache keyed on the public edition, and the
HTTP validators (ETag, Last-Modified) and Cache-Control on every answer.

The edition (publishing.models.PublicEdition) moves on in the same transaction as every
publish and withdrawal, so the next request after a withdrawal builds a new key: the
withdrawn text is gone at once, in every server process, whatever the cache backend. What
changes without a publication (an entry accepted moves a public status) shows within
PAGE_SECONDS, the life of a cached page.

The pages are rendered without the request: no context processor runs, nothing reads the
session or the user, so no cookie is set and no `Vary: Cookie` is added, and any shared
cache in front may keep them.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from tasks_ledger.public.selectors import current_edition

PAGE_SECONDS = 60
PUBLIC_LANGUAGE = "zh-hans"


def public_page(view):
    """Wrap a view that answers GET with (status, content_type, body bytes) from public data
    only. The answer is cached per edition and path and served with validators."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        number, changed_at = current_edition()
        # The time too: a database restored from a backup (or a test's rolled back) counts
        # from a lower number again, and must not meet the pages of its first life.
        stamp = changed_at.timestamp() if changed_at else 0
        # The host too: the feeds and sitemap hold absolute links.
        key = f"public:{number}:{stamp}:{request.get_host()}{request.path}"
        cached = cache.get(key)
        if cached is None:
            # One language for everyone: the pages say lang="zh-CN" and one copy serves all.
            with translation.override(PUBLIC_LANGUAGE):
                status, content_type, body = view(request, *args, **kwargs)
            etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
            cached = (status, content_type, body, etag)
            cache.set(key, cached, PAGE_SECONDS)
        status, content_type, body, etag = cached
        last_modified = int(stamp) or None  # HTTP dates have whole seconds
        response = HttpResponse(body, status=status, content_type=content_type)
        if status == 200:
            response["ETag"] = etag
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
            # ETag first: get_conditional_response prefers If-None-Match when both are sent,
            # so a status that changed without a new edition still gets a fresh page.
            conditional = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
            if conditional is not response:
                response = conditional
        patch_cache_control(response, public=True, max_age=PAGE_SECONDS)
        return response

    return wrapper
