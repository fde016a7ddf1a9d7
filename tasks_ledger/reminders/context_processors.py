"""The unread count of the header badge, on every page of a signed-in user."""

from django.utils.functional import SimpleLazyObject

from tasks_ledger.reminders.selectors import notifications_unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # Lazy: the count query runs only on pages that show the badge.
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
