"""Admin for reminders: lead times per plan, what was sent, the inbox messages, urges."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from departments.people import person_column, with_names
from tasks_ledger.plan.models import code_related
from tasks_ledger.reminders.models import (
    KIND_LABELS,
    Notification,
    ReminderSettings,
    RobotChannel,
    RobotMessage,
    SentReminder,
    Urge,
)


class KindFilter(admin.SimpleListFilter):
    """The kinds by their names (催办, 法定时限), not their codes (urge, clock_event)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(KIND_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class KindLabel:
    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return KIND_LABELS.get(obj.kind, obj.kind)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["plan", "days_before", "workdays_before", "overdue_every_days"]


@admin.register(SentReminder)
class SentReminderAdmin(KindLabel, admin.ModelAdmin):
    """The record of what went out, read-only: a row added or edited by hand would stand
    for a reminder never sent and block the real one (its key is unique). Deleting a row
    stays possible: it lets that reminder go again on its next run."""

    # The message's subject says what the reminder was about; its target ("urge:12:3") is a
    # key for the uniqueness rule, searchable and shown on the row's own page.
    list_display = [
        "on",
        "kind_label",
        "subject",
        person_column(SentReminder, "recipient"),
        "sent_at",
        "emailed_at",
    ]
    list_filter = [KindFilter, "on"]
    search_fields = ["target", "recipient__username"]
    list_select_related = [with_names("recipient"), "notification"]
    raw_id_fields = ["recipient"]

    @admin.display(description=_("subject"))
    def subject(self, sent):
        notification = getattr(sent, "notification", None)
        return notification.subject if notification else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(KindLabel, admin.ModelAdmin):
    list_display = [
        "created_at",
        person_column(Notification, "recipient"),
        "kind_label",
        "subject",
        "read_at",
    ]
    list_filter = [KindFilter]
    search_fields = ["subject", "recipient__username"]
    list_select_related = [with_names("recipient")]
    raw_id_fields = ["recipient", "delivery", "task"]


@admin.register(Urge)
class UrgeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task", "department", person_column(Urge, "by")]
    list_select_related = [*code_related("task"), "department", with_names("by")]
    raw_id_fields = ["task", "by"]


@admin.register(RobotChannel)
class RobotChannelAdmin(admin.ModelAdmin):
    """A department's 钉钉 / 企业微信 group robot: its webhook and, for 钉钉, the secret."""

    list_display = ["department", "kind", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["department"]


@admin.register(RobotMessage)
class RobotMessageAdmin(admin.ModelAdmin):
    """What went to the robots, read-only (a row made by hand would stand for a message
    never posted); deleting one lets it be posted again."""

    list_display = ["created_at", "channel", "key", "sent_at", "last_error"]
    list_select_related = ["channel__department"]
    search_fields = ["key", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
