"""The header's 待办 counts (todo.py), kept in the cache so that a page's frame costs the
session and the user reads only; forgotten at once on every change that alters them.

Every page of a signed-in person shows the counts, and counting them is most of what the
empty frame costs (a query of four subqueries, against two primary-key reads). They change
far less often than pages are read, so each person's counts are kept in Django's cache
(Redis in production: every worker and host sees the same entries) and tagged with the
*generations* they were counted under:

  - ``plans``: any plan saved or deleted (which plan is current);
  - ``user:<pk>``: that person's inbox messages (new, read, deleted) and membership;
  - ``department:<pk>``: that department's entries (created, saved, deleted), for its people;
  - ``review``: any entry saved or deleted, for the office's 待审核.

A generation is a random token, replaced on each change (never incremented: a counter
evicted and started again could repeat an old value and bring back old counts). Counts are
used only while every generation they were counted under is still current, and the tokens
are read before counting, so counts from before a change are tagged with the generation
the change replaced: they are never used once the change is visible.

A change replaces its generations twice: at once, so that the same transaction (and a test,
which never commits) reads afresh; and after commit, because another worker may have counted
from the not yet committed database in between and tagged that with the new token.

What changes the counts is caught in one place: the model signals connected in
`RemindersConfig.ready()` (save and delete of entries, messages, plans, memberships, through
any path: the services, the admin, a cascade); the writes that go round `save()`
(`QuerySet.update`, `bulk_create`) call `todo_forget` themselves.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from departments.access import department_of, is_office, role_of
from tasks_ledger.reminders.todo import todo_counts

# A safety net only (nothing relies on it): counts left by a write that bypassed both the
# signals and todo_forget are gone after this long.
COUNTS_SECONDS = 600
PREFIX = "todo"


def _generation_keys(*, user_pk, department_pk, office: bool) -> list[str]:
    keys = [f"{PREFIX}:plans", f"{PREFIX}:user:{user_pk}"]
    if department_pk is not None:
        keys.append(f"{PREFIX}:department:{department_pk}")
    if office:
        keys.append(f"{PREFIX}:review")
    return keys


def todo_counts_cached(*, user) -> dict[str, int | None]:
    """`todo_counts(user=user)`, from the cache when nothing that alters them changed since.
    One cache round trip when the counts are kept, none of the database's."""
    if not user.is_authenticated:
        return todo_counts(user=user)
    department = department_of(user)
    department_pk = department.pk if department is not None else None
    keys = _generation_keys(user_pk=user.pk, department_pk=department_pk, office=is_office(user))
    # The role, department and year are in the key: a new role or a new year (which plan is
    # current) finds no counts of the old.
    counts_key = (
        f"{PREFIX}:counts:{user.pk}:{role_of(user)}:{department_pk}:{timezone.localdate().year}"
    )
    kept = cache.get_many([*keys, counts_key])
    generations = tuple(kept.get(key) for key in keys)
    if None in generations:
        # A generation not known yet (or evicted): start it (unless another worker just
        # did) and read back the tokens that won, before counting.
        for key in keys:
            if key not in kept:
                cache.add(key, secrets.token_hex(8), timeout=None)
        generations = tuple(cache.get_many(keys).get(key) for key in keys)
        if None in generations:  # gone again at once (a full cache): count, keep nothing
            return todo_counts(user=user)
    stored = kept.get(counts_key)
    if stored is not None and stored[0] == generations:
        return stored[1]
    counts = todo_counts(user=user)
    cache.set(counts_key, (generations, counts), timeout=COUNTS_SECONDS)
    return counts


def todo_forget(*, users=(), departments=(), plans: bool = False, review: bool = False) -> None:
    """Forget the counts that `users` (pks), `departments` (pks), the plans or the review
    queue changed: now and again after the surrounding transaction commits."""
    keys = [f"{PREFIX}:user:{pk}" for pk in users]
    keys += [f"{PREFIX}:department:{pk}" for pk in departments if pk is not None]
    if plans:
        keys.append(f"{PREFIX}:plans")
    if review:
        keys.append(f"{PREFIX}:review")
    if not keys:
        return

    def replace():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    replace()
    transaction.on_commit(replace)


# --- the signals (connected in RemindersConfig.ready) ---------------------------------------


def entry_changed(sender, instance, **kwargs):
    todo_forget(departments=[instance.department_id], review=True)


def notification_changed(sender, instance, **kwargs):
    todo_forget(users=[instance.recipient_id])


def membership_changed(sender, instance, **kwargs):
    todo_forget(users=[instance.user_id])


def plan_changed(sender, instance, **kwargs):
    todo_forget(plans=True)
