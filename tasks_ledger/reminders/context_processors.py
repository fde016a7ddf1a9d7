"""The 待办 counts of the header (and the unread badge among them), on every page of a
signed-in user."""

from django.utils.functional import SimpleLazyObject

from tasks_ledger.reminders.todo_cache import todo_counts_cached


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # Lazy: the counts (from the cache, or one counting query) are read only on pages that
    # show the header, and once.
    todo = SimpleLazyObject(lambda: todo_counts_cached(user=user))
    return {
        "todo": todo,
        "unread_notifications": SimpleLazyObject(lambda: todo["unread"] or 0),
    }
