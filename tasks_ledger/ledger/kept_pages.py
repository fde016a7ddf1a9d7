"""The office's two busiest pages — the dashboard and the review queue — kept rendered until
anything they show changes.

The office opens them far more often than the ledger changes in a way they show, and
building them is their own Python (the dashboard's lights, figures and template: about four
times the empty frame; the queue's counts per department and its rows), whatever the
ledger's size. So a page's body (all of it but the frame) is kept in Django's cache — Redis
in production, shared by every worker and host — under a key made of the page, the plan, the
day, the language and the query string, and tagged with the *generation* it was built under:
a random token, replaced on every save or delete of what these pages read. A body is used
only while its generation is still the current one, so filters and "as of" stay exact: a
change is seen on the next request.

What replaces the generation (`forget`, connected in `TasksLedgerConfig.ready()`): entries
and their evidence, assignments, tasks, sections, deadlines, plans, departments, memberships
(the queue names each entry's author) and holidays, through any path that sends Django's
signals (the services, the admin, the import, a cascade). An entry that is a draft never
submitted is left out: neither page shows one (the dashboard counts, lists and dates only
entries that were submitted; the queue lists those submitted), so a department typing its
drafts does not throw away the office's pages. Writes that go round the signals call
`forget` themselves (the demo's bulk seeding, the rollups' rebuild).

As in reminders/todo_cache.py, the generation is replaced twice: at once (the same
transaction, and a test, read afresh) and after commit (another worker may have built a
body from the database as it stood before the commit, and tagged it with the new token).

The bodies hold forms (the urges, the queue's accept and return); their CSRF token is a
placeholder in what is kept, replaced by the requester's own token on the way out, so no
one's token is served to anyone else. Nothing else in a body may depend on who asks: both
pages are the office's, the same for each of its members.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone, translation

GENERATION_KEY = "office-pages:generation"
# A safety net, and the bound on what a kept body says of time ("waiting 3 hours" in the
# queue): a body left by a write that bypassed both the signals and `forget`, or made in
# another process while each process keeps its own cache (no REDIS_URL: `make run` and a
# command such as import_plan beside it), is gone after this long. Rebuilding a page once a
# minute costs nothing that matters.
BODY_SECONDS = 60
# What a kept body carries where the requester's CSRF token goes: letters only, so that no
# escaping changes it on its way into the HTML.
CSRF_PLACEHOLDER = "keptpagecsrfplaceholder"


def kept_body(request, *, page: str, plan, build) -> tuple[str, object]:
    """The body of `page` for `plan` as `request` asks for it (its query string), and what
    `build` returned beside it: from the cache when nothing it shows changed, else
    `build(csrf_token=..., today=...)`, which renders it and returns (html, extra)."""
    today = timezone.localdate()
    query = request.META.get("QUERY_STRING", "")
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    body_key = f"kept:{page}:{plan.pk}:{today}:{translation.get_language()}:{digest}"
    kept = cache.get_many([GENERATION_KEY, body_key])
    generation = kept.get(GENERATION_KEY)
    if generation is None:
        # Not known yet (or evicted): start it, unless another worker just did, and read back
        # the token that won, before building.
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    stored = kept.get(body_key)
    if stored is not None and generation is not None and stored[0] == generation:
        _generation, body, extra = stored
    else:
        body, extra = build(csrf_token=CSRF_PLACEHOLDER, today=today)
        if generation is not None:
            cache.set(body_key, (generation, body, extra), timeout=BODY_SECONDS)
    return body.replace(CSRF_PLACEHOLDER, get_token(request)), extra


def forget() -> None:
    """Forget every kept body: now, and again after the surrounding transaction commits."""

    def replace():
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)

    replace()
    transaction.on_commit(replace)


# --- the signals (connected in TasksLedgerConfig.ready) -------------------------------------


def changed(sender, instance=None, **kwargs):
    """Any save or delete of what the kept pages read."""
    forget()


def entry_changed(sender, instance, **kwargs):
    """An entry saved or deleted: forgotten unless it is a draft never submitted, which
    neither page shows (the dashboard reads only counted entries and, for the recent
    activity and "changed since", those not drafts; the queue, submitted ones)."""
    if instance.state == instance.State.DRAFT and instance.submitted_at is None:
        return
    forget()
