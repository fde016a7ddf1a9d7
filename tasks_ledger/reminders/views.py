"""The inbox: a signed-in user's reminders, newest first; mark one or all as read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.access import role_required
from disclosure.redirects import redirect_to_next
from tasks_ledger.reminders import services
from tasks_ledger.reminders.selectors import notifications_for

PAGE_SIZE = 50


@role_required
def inbox(request):
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reminders/inbox.html", {"page": page})


@role_required
@require_POST
def notification_read(request, pk):
    # Scoped to the user: someone else's message is a 404, not a 403.
    notification = get_object_or_404(notifications_for(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect_to_next(request, "reminders:inbox")


@role_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d messages marked as read.") % {"count": count})
    return redirect("reminders:inbox")
