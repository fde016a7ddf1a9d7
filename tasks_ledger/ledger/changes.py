"""An entry's history page: every change to it and its evidence, one card per save, as far
as its reader may see it (the rule of ledger/selectors.py: a department reads all of its
own, the office all but drafts, others only what stands submitted since the last return)."""

import datetime

from tasks_ledger.ledger.models import COUNTED_STATES, Evidence, LedgerEntry
from tasks_ledger.ledger.selectors import may_write_for, sees_review_notes

# Rows of one save: a clerk's one click writes the entry, each piece of evidence and maybe
# the submission as separate historical rows (each its own model, each save() its own row),
# all within one request, milliseconds apart. Rows by the same person no further apart
# than this are one card; two saves by hand are always further apart (a page round trip).
ONE_SAVE = datetime.timedelta(seconds=2)


def entry_history(*, entry: LedgerEntry, user) -> list[dict]:
    """Every change to `entry` and its evidence that `user` may read, newest first, one card
    per save: who, when, field by field what changed (simple_history's diff_against between
    consecutive readable records) and the evidence added or removed. Every historical row is
    kept; the rows of one save are shown together. Two queries: the entry's historical
    records and its evidence's.

    Its department reads everything; the office every version but drafts; other
    departments only the versions submitted or accepted since the last return, and no
    return reason (ledger/selectors.py's docstring)."""
    records = list(
        entry.history.select_related("history_user__membership").order_by(
            "history_date", "history_id"
        )
    )
    own = may_write_for(user=user, department=entry.department)
    notes = own or sees_review_notes(user=user, entry=entry)
    since = until = None
    if not own and notes:
        records = [r for r in records if r.state != LedgerEntry.State.DRAFT]
    elif not own:
        returns = [i for i, r in enumerate(records) if r.state == LedgerEntry.State.RETURNED]
        if returns:
            since = records[returns[-1]].history_date
            records = records[returns[-1] + 1 :]
        records = [r for r in records if r.state in COUNTED_STATES]
        until = records[-1].history_date if records else since
    tracked = [
        f.name
        for f in LedgerEntry._meta.get_fields()
        if getattr(f, "concrete", False)
        # Task, department and author never change after creation; the version and the
        # timestamps change every time and say nothing a reader needs.
        and f.name
        not in ("id", "version", "created_at", "updated_at", "task", "department", "author")
        and (notes or f.name != "return_reason")
    ]
    labels = {name: LedgerEntry._meta.get_field(name).verbose_name for name in tracked}
    rows = []
    previous = None
    for record in records:
        if previous is None:
            changes = [
                {"name": name, "old": "", "new": _display(record, name)}
                for name in tracked
                if getattr(record, _attname(name)) not in ("", None)
            ]
        else:
            delta = record.diff_against(previous, included_fields=tracked)
            changes = [
                {
                    "name": change.field,
                    "old": _display(previous, change.field),
                    "new": _display(record, change.field),
                }
                for change in delta.changes
            ]
        rows.append((record, changes, None))
        previous = record
    evidence_records = Evidence.history.filter(entry_id=entry.pk).select_related(
        "history_user__membership"
    )
    if since is not None:
        evidence_records = evidence_records.filter(history_date__gt=since)
    if until is not None:
        # Evidence changed after the version another department may read is not yet the
        # department's word (a correction under way after a return).
        evidence_records = evidence_records.filter(history_date__lte=until)
    rows += [(record, [], record) for record in evidence_records]
    rows.sort(key=lambda row: (row[0].history_date, row[2] is not None))
    events = []
    for record, changes, evidence in rows:
        event = events[-1] if events else None
        if (
            event is None
            or event["user"] != record.history_user
            or record.history_date - event["last"] > ONE_SAVE
        ):
            event = {
                "at": record.history_date,
                "last": record.history_date,
                "user": record.history_user,
                "created": False,
                "changed": False,
                "version": None,
                "changes": {},
                "evidence": [],
            }
            events.append(event)
        event["last"] = record.history_date
        if evidence is not None:
            event["evidence"].append(evidence)
            continue
        event["version"] = record.version
        event["created"] |= record.history_type == "+"
        event["changed"] |= record.history_type != "+"
        for change in changes:
            # A field changed twice in one save (created, then submitted): first old, last new.
            kept = event["changes"].setdefault(change["name"], dict(change))
            kept["new"] = change["new"]
    for event in events:
        event["changes"] = [
            {"field": labels[name], "old": change["old"], "new": change["new"]}
            for name, change in event["changes"].items()
            if change["old"] != change["new"]
        ]
    events.reverse()
    return events


def _attname(name: str) -> str:
    field = LedgerEntry._meta.get_field(name)
    return field.attname


def _display(record, name: str):
    """A historical value as people read it: the choice label, the user's name, the text."""
    field = LedgerEntry._meta.get_field(name)
    if field.choices:
        value = getattr(record, name)
        return str(dict(field.choices).get(value, value))
    value = getattr(record, field.attname)
    # Dates and times stay values, so the template shows them in the reader's locale and
    # time zone.
    return "" if value is None else value
