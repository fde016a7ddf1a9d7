"""Admin: the administrator's holiday calendar, with its history."""

from django.contrib import admin

from disclosure.history_admin import HistoryAdmin
from tasks_ledger.calendar.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(HistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]
