"""Admin for ledger entries and their evidence, with history."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from departments.people import person_column, with_names
from disclosure.history_admin import HistoryAdmin
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import code_related


@admin.display(description=_("stored file"))
def stored_file(evidence: Evidence):
    """The file through the app's access-checked download: never the store's own address (a
    signed S3 URL works for anyone who holds it). Files are attached only through the
    entry form or the API, which check them, so the admin does not take uploads."""
    if not evidence.file:
        return "—"
    url = reverse("ledger:evidence-download", args=[evidence.pk])
    return format_html('<a href="{}">{}</a>', url, evidence.filename or evidence.file.name)


# Stacked, not tabular: six columns of inputs (a long link among them) made the entry's page
# scroll sideways even on a desktop.
class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    fields = ["kind", "url", "doc_number", stored_file, "filename", "note"]
    readonly_fields = [stored_file]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(HistoryAdmin):
    list_display = [
        "task",
        "department",
        "happened_on",
        "status",
        "state",
        person_column(LedgerEntry, "author"),
        "updated_at",
    ]
    list_filter = ["state", "status", "department", "task__plan"]
    search_fields = ["summary", "problems", "next_steps", "task__title"]
    date_hierarchy = "happened_on"
    list_select_related = [*code_related("task"), "department", with_names("author")]
    raw_id_fields = ["task", "author"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [EvidenceInline]
    history_related = (*code_related("task"), "department")


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    list_display = ["entry", "kind", "url", "doc_number", "filename"]
    list_filter = ["kind"]
    search_fields = ["url", "doc_number", "filename", "note"]
    raw_id_fields = ["entry"]
    exclude = ["file"]
    readonly_fields = [stored_file]
