"""The public pages. Each view returns (status, content type, body) built from public data
only; `public_page` caches it per edition and adds the HTTP validators. No view reads the
request beyond its path and host, so none touches the session."""

import json
from functools import wraps

from django.conf import settings
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from disclosure.storage import open_stored
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.public import selectors
from tasks_ledger.public.caching import public_page

HTML = "text/html; charset=utf-8"
FEED_ITEMS = 50
EMBED_ITEMS = 5


def _html(template: str, context: dict, status: int = 200):
    return status, HTML, render_to_string(template, context).encode()


def _not_found():
    return _html("public/not_found.html", {"plans": list(selectors.published_plans())}, 404)


def _site_name() -> str:
    return _("Government-affairs openness: the plan's progress")


@public_page
def index(request):
    """The newest published plan, with links to the others."""
    plan = selectors.published_plan()
    if plan is None:
        return _html("public/empty.html", {"site_name": _site_name()})
    return _year_page(plan)


@public_page
def year(request, year):
    plan = selectors.published_plan(year)
    if plan is None:
        return _not_found()
    return _year_page(plan)


def _year_page(plan):
    context = selectors.plan_page(plan)
    context["plans"] = list(selectors.published_plans())
    context["site_name"] = _site_name()
    return _html("public/plan.html", context)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _task_url(request, task) -> str:
    return _absolute(request, reverse("public:year", args=[task.plan.year]) + f"#task-{task.pk}")


def _feed_items(request):
    """Passed texts and published plans, newest first: what the feeds announce."""
    items = []
    for review in selectors.passed_reviews()[:FEED_ITEMS]:
        task = review.proposal.task
        items.append(
            {
                "id": f"publication-{review.pk}",
                "title": f"{task.code} {task.title}",
                "url": _task_url(request, task),
                "text": review.text_passed,
                "date": review.decided_at,
            }
        )
    for plan in selectors.published_plans()[:FEED_ITEMS]:
        items.append(
            {
                "id": f"plan-{plan.pk}",
                "title": plan.title or str(plan.year),
                "url": _absolute(request, reverse("public:year", args=[plan.year])),
                "text": _("The plan is published."),
                "date": plan.publication.published_at,
            }
        )
    items.sort(key=lambda item: item["date"], reverse=True)
    return items[:FEED_ITEMS]


def _tag(request, item_id: str) -> str:
    # A tag URI (RFC 4151) stays the entry's id if the site moves to another path.
    return f"tag:{request.get_host().split(':')[0]},2016:{item_id}"


@public_page
def feed_atom(request):
    items = _feed_items(request)
    feed = Atom1Feed(
        title=_site_name(),
        link=_absolute(request, reverse("public:index")),
        description="",
        language="zh-CN",
        feed_url=_absolute(request, reverse("public:feed-atom")),
        feed_guid=_tag(request, "public"),
        # Atom wants an author for the feed; the issuer of the newest plan speaks for it.
        author_name=getattr(selectors.published_plan(), "issuer", "") or _site_name(),
    )
    for item in items:
        feed.add_item(
            title=item["title"],
            link=item["url"],
            description=item["text"],
            unique_id=_tag(request, item["id"]),
            pubdate=item["date"],
            updateddate=item["date"],
        )
    return 200, "application/atom+xml; charset=utf-8", feed.writeString("utf-8").encode()


@public_page
def feed_json(request):
    """JSON Feed 1.1 (jsonfeed.org), for the bureau's portal to show the latest news."""
    items = _feed_items(request)
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": str(_site_name()),
        "home_page_url": _absolute(request, reverse("public:index")),
        "feed_url": _absolute(request, reverse("public:feed-json")),
        "language": "zh-CN",
        "items": [
            {
                "id": _tag(request, item["id"]),
                "url": item["url"],
                "title": item["title"],
                "content_text": item["text"],
                "date_published": item["date"].isoformat(),
            }
            for item in items
        ],
    }
    return (
        200,
        "application/feed+json; charset=utf-8",
        json.dumps(body, ensure_ascii=False).encode(),
    )


def _framable_anywhere(view):
    """The site's policy forbids framing (frame-ancestors 'none'); the embed is public data
    with nothing to click into doing, made to sit in a portal's <iframe>, so any page may
    frame it. The view's own header wins over the site's (disclosure/middleware.py)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors *"
        )
        return response

    return wrapper


@_framable_anywhere
@xframe_options_exempt
@public_page
def embed(request):
    """A small block the bureau's portal may show in an <iframe>: the completion rate of the
    newest plan and its latest passed texts."""
    plan = selectors.published_plan()
    context = {"plan": plan, "site_name": _site_name()}
    if plan is not None:
        page = selectors.plan_page(plan)
        context.update(
            counts=page["counts"],
            total=page["total"],
            texts=page["texts_by_date"][:EMBED_ITEMS],
        )
    return _html("public/embed.html", context)


@public_page
def robots(request):
    sitemap = _absolute(request, reverse("public:sitemap"))
    body = f"User-agent: *\nAllow: /public/\nDisallow: /\nSitemap: {sitemap}\n"
    return 200, "text/plain; charset=utf-8", body.encode()


@public_page
def sitemap(request):
    plans = list(selectors.published_plans())
    context = {
        "index": _absolute(request, reverse("public:index")),
        "pages": [
            (
                _absolute(request, reverse("public:year", args=[plan.year])),
                plan.publication.published_at,
            )
            for plan in plans
        ],
    }
    return (
        200,
        "application/xml; charset=utf-8",
        render_to_string("public/sitemap.xml", context).encode(),
    )


@require_safe
def evidence_file(request, review_pk, evidence_pk):
    """A file that passed review with a public text, while that text is public. Not cached
    here (files can be large); the review's copy decides what may be served."""
    review = selectors.passed_reviews().filter(pk=review_pk).first()
    passed = {item["id"] for item in review.evidence_passed} if review else set()
    if evidence_pk not in passed:
        raise Http404
    evidence = Evidence.objects.filter(pk=evidence_pk, kind=Evidence.Kind.FILE).first()
    if evidence is None or not evidence.file:
        raise Http404
    handle = open_stored(evidence.file)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.filename or "file",
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
