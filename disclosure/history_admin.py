"""The admin's history pages as people read them: a choice's label, not its code
(`returned → submitted` read 已退回 → 已报送), times in the site's time zone rather than
the stored UTC, and who changed it by name. Every model admin with history derives from
`HistoryAdmin`."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from departments.people import with_names


def readable(field, value):
    """A stored value as the pages show it."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


class ReadableHistory(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return readable(field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    # What each row's description (its model's __str__) reads, named by a model admin:
    # joined to the history rows instead of read one query a row.
    history_related: tuple = ()

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Who made each change is shown by name (the template's `person`): their
        # membership comes with them, not one query a row.
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return queryset.select_related(with_names("history_user"), *self.history_related)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        # The page's one pass over its rows. A row's description is the object as it stood
        # (`history_object`, built anew on every read, with none of the row's relations):
        # built once here with the relations the rows were read with.
        joined = {name.split("__")[0] for name in self.history_related}
        for record in historical_records:
            stood = record.history_object
            for name in joined & record._state.fields_cache.keys():
                stood._state.fields_cache[name] = record._state.fields_cache[name]
            record.history_object = stood
        super().set_history_delta_changes(request, historical_records, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)
