"""Admin: events and obligations to look at."""

from django.contrib import admin
from django.db import models

from departments.people import person_column, with_names
from tasks_ledger.clocks import services
from tasks_ledger.clocks.forms import EventForm
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.plan.models import code_related


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0
    fields = ["department", "deadline_text", "due_at", "calendar", "fulfilled_by", "fulfilled_at"]
    # Fulfilment goes through the obligation page (its service checks the entry).
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventAdminForm(EventForm):
    # Declared, so that the admin keeps the form's own date-time input rather than putting
    # its split widget on the field.
    occurred_at = EventForm.base_fields["occurred_at"]

    class Meta(EventForm.Meta):
        fields = ["task", *EventForm.Meta.fields]

    def clean(self):
        data = super().clean()
        if data.get("task") and data.get("occurred_at"):
            try:
                services.event_check(
                    task=data["task"],
                    occurred_at=data["occurred_at"],
                    kind=data.get("kind", ""),
                    severity=data.get("severity", ""),
                )
            except services.ClockError as error:
                self.add_error(error.field, str(error))
        return data


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events are best recorded on the clock pages. One added here goes through the same
    service, so that its obligations start and its alert goes out; once recorded it is
    read-only, since its obligations' due times were computed from it."""

    form = EventAdminForm
    list_display = [
        "title",
        "kind",
        "task",
        "occurred_at",
        "department",
        person_column(Event, "recorded_by"),
    ]
    list_filter = ["kind", "severity"]
    search_fields = ["title", "doc_number"]
    list_select_related = [*code_related("task"), "department", with_names("recorded_by")]
    raw_id_fields = ["task"]
    inlines = [ObligationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            *EventAdminForm.Meta.fields,
            "department",
            "recorded_by",
            "created_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        ]

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is editable
        created = services.event_record(
            by=request.user, **{f: form.cleaned_data[f] for f in EventAdminForm.Meta.fields}
        )
        # The admin goes on with `obj` (its message, its redirect): make it the stored row.
        for field in Event._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
