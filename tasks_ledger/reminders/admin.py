"""Admin for reminders: lead times per plan, what was sent, the inbox messages, urges."""

from django.contrib import admin

from tasks_ledger.reminders.models import Notification, ReminderSettings, SentReminder, Urge


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["plan", "days_before", "workdays_before", "overdue_every_days"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The record of what went out, read-only: a row added or edited by hand would stand
    for a reminder never sent and block the real one (its key is unique). Deleting a row
    stays possible: it lets that reminder go again on its next run."""

    list_display = ["on", "kind", "target", "recipient", "sent_at", "emailed_at"]
    list_filter = ["kind", "on"]
    search_fields = ["target", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "read_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "delivery", "task"]


@admin.register(Urge)
class UrgeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task", "department", "by"]
    list_select_related = ["task__section", "task__parent__section", "department", "by"]
    raw_id_fields = ["task", "by"]
