"""The dashboard's rendered body, kept until anything it shows changes.

The office opens the dashboard far more often than the ledger changes in a way the
dashboard shows, and building it is the page's own Python (the lights, the figures, the
template: about four times the empty frame), whatever the ledger's size. So the body (all
of the page but the frame) is kept in Django's cache — Redis in production, shared by every
worker and host — under a key made of the plan, the day, the language and the query string,
and tagged with the *generation* it was built under: a random token, replaced on every save
or delete of what the dashboard reads. A body is used only while its generation is still
the current one, so filters and "as of" stay exact: a change is seen on the next request.

What replaces the generation (`dashboard_forget`, connected in `TasksLedgerConfig.ready()`):
entries and their evidence, assignments, tasks, sections, deadlines, plans, departments and
holidays, through any path that sends Django's signals (the services, the admin, the
import, a cascade). An entry that is a draft never submitted is left out: the dashboard
counts, lists and dates only entries that were submitted, so a department typing its
drafts does not throw away the office's page. Writes that go round the signals call
`dashboard_forget` themselves (the demo's bulk seeding, the rollups' rebuild).

As in reminders/todo_cache.py, the generation is replaced twice: at once (the same
transaction, and a test, read afresh) and after commit (another worker may have built a
body from the database as it stood before the commit, and tagged it with the new token).

The body holds the urge forms; their CSRF token is a placeholder in what is kept, replaced
by the requester's own token on the way out, so no one's token is served to anyone else.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation

from tasks_ledger.dashboard import selectors

GENERATION_KEY = "dashboard:generation"
# A safety net only: a body left by a write that bypassed both the signals and
# dashboard_forget, or made in another process while each process keeps its own cache (no
# REDIS_URL: `make run` and a command such as import_plan beside it), is gone after this
# long. Rebuilding a page once a minute costs nothing that matters.
BODY_SECONDS = 60
# What the kept body carries where the requester's CSRF token goes: letters only, so that
# no escaping changes it on its way into the HTML.
CSRF_PLACEHOLDER = "dashboardcsrfplaceholder"
BODY_TEMPLATE = "dashboard/_body.html"


def dashboard_body(request, *, plan) -> tuple[str, object]:
    """The dashboard's body for `plan` as `request` asks for it (its query string), and the
    "as of" day it shows (None for today): from the cache when nothing it shows changed."""
    today = timezone.localdate()
    query = request.META.get("QUERY_STRING", "")
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    body_key = f"dashboard:body:{plan.pk}:{today}:{translation.get_language()}:{digest}"
    kept = cache.get_many([GENERATION_KEY, body_key])
    generation = kept.get(GENERATION_KEY)
    if generation is None:
        # Not known yet (or evicted): start it, unless another worker just did, and read back
        # the token that won, before building.
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    stored = kept.get(body_key)
    if stored is not None and generation is not None and stored[0] == generation:
        _generation, body, as_of = stored
    else:
        data = selectors.dashboard(plan=plan, params=request.GET, today=today)
        body = get_template(BODY_TEMPLATE).render(
            {"plan": plan, "data": data, "request": request, "csrf_token": CSRF_PLACEHOLDER}
        )
        as_of = data.as_of
        if generation is not None:
            cache.set(body_key, (generation, body, as_of), timeout=BODY_SECONDS)
    return body.replace(CSRF_PLACEHOLDER, get_token(request)), as_of


def dashboard_forget() -> None:
    """Forget every kept body: now, and again after the surrounding transaction commits."""

    def replace():
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)

    replace()
    transaction.on_commit(replace)


# --- the signals (connected in TasksLedgerConfig.ready) -------------------------------------


def changed(sender, instance=None, **kwargs):
    """Any save or delete of what the dashboard reads."""
    dashboard_forget()


def entry_changed(sender, instance, **kwargs):
    """An entry saved or deleted: forgotten unless it is a draft never submitted, which the
    dashboard does not show (it reads only counted entries and, for the recent activity and
    "changed since", those not drafts)."""
    if instance.state == instance.State.DRAFT and instance.submitted_at is None:
        return
    dashboard_forget()
