"""Writes to the ledger: one function per action, each atomic, each checking who may do it
and raising the domain errors (tasks_ledger/errors.py) that the browser's pages and the API
answer with 403/404/409/400.

Concurrency: every change of an entry first *claims* the row with a conditional
``UPDATE ledger_entry SET version = version + 1 WHERE id = … AND version = … AND state IN …``
and looks at the row count. On PostgreSQL (READ COMMITTED) a second writer's UPDATE waits
for the first one's row lock, then re-checks its WHERE clause against the committed row,
finds the version moved on and updates nothing; on SQLite the statement runs under the
database's single write lock. Either way exactly one of two writers holding the same
version wins, without SELECT ... FOR UPDATE (which SQLite ignores, so a read-then-compare
would race there). The winner, still holding the row (lock) inside the transaction, then
saves the entry with the ordinary ``save()``: that is what makes django-simple-history write
one historical record per change, with the acting user (``_history_user``), which a bare
queryset ``update()`` would not.
"""

import contextlib
import logging

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.access import department_of, is_head, is_office
from disclosure.storage import STORE_ERRORS, delete_stored, delete_stored_on_commit
from tasks_ledger import errors
from tasks_ledger.errors import NotAllowed
from tasks_ledger.ledger import events
from tasks_ledger.ledger.evidence_files import evidence_file_check
from tasks_ledger.ledger.models import EDITABLE_STATES, Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment

ENTRY_FIELDS = ("happened_on", "summary", "status", "problems", "next_steps")

logger = logging.getLogger(__name__)


# The ledger's names in the domain errors' family (tasks_ledger/errors.py), which maps
# each to its answer in the browser and in the API.
class TaskNotAssigned(errors.Invalid):
    """The user's department is not assigned to the task: bad input naming `task`."""

    def __init__(self, message: str):
        super().__init__({"task": [message]}, code="not_assigned")


class EntryLocked(errors.Locked):
    """The entry's state does not allow this any more (submitted, accepted); `current` is
    the entry as stored, None when it no longer exists."""


class EntryConflict(errors.Conflict):
    """Someone saved the entry since the writer read it; `current` is the stored entry."""


class EntryInvalid(errors.Invalid):
    """Bad input: `errors` maps field names to messages."""


VERSION_INVALID = gettext_lazy("The version must be a whole number of at least 1.")


def version_from(value) -> int | None:
    """The version a writer read, as a browser form or an API call sends it: missing means
    no check; anything but a whole number of at least 1 is refused, naming `version`."""
    if value in (None, ""):
        return None
    try:
        version = int(value)
    except (TypeError, ValueError):
        version = 0
    if version < 1:
        raise EntryInvalid({"version": [str(VERSION_INVALID)]})
    return version


def _require_writer(*, by, entry_department, entry: LedgerEntry | None = None) -> None:
    own = department_of(by)
    if own is None or own.pk != entry_department.pk:
        raise NotAllowed(_("Only the department's own staff may change its ledger."), current=entry)


def _clean_entry_data(data: dict, *, partial: bool) -> dict:
    """The entry fields of `data`, checked; EntryInvalid names each bad field."""
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name in ENTRY_FIELDS:
        if name not in data:
            continue
        field = LedgerEntry._meta.get_field(name)
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        try:
            cleaned[name] = field.clean(value if value is not None else "", None)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if not partial:
        for name in ("happened_on", "summary"):
            if name not in data and name not in errors:
                errors[name] = [_("This field is required.")]
    if errors:
        raise EntryInvalid(errors)
    return cleaned


def ledger_entry_create(*, task, department, by, data: dict) -> LedgerEntry:
    """A new draft of `department`'s ledger for `task`, written by `by`."""
    _require_writer(by=by, entry_department=department)
    if not Assignment.objects.filter(task=task, department=department).exists():
        raise TaskNotAssigned(_("Your department is not assigned to this task."))
    fields = _clean_entry_data(data, partial=False)
    entry = LedgerEntry(task=task, department=department, author=by, **fields)
    entry._history_user = by
    entry.save()
    return entry


ROW_COLUMNS = [f.attname for f in LedgerEntry._meta.concrete_fields if not f.is_relation]


def _claim(*, entry: LedgerEntry, states, version: int | None = None) -> None:
    """Take the entry for one change (see the module docstring): bump its version if it is
    still in `states` (and at `version`, when given), else raise EntryLocked/EntryConflict.
    Must run inside a transaction; on success `entry` is refreshed to the claimed row."""
    rows = LedgerEntry.objects.filter(pk=entry.pk, state__in=states)
    if version is not None:
        rows = rows.filter(version=version)
    if rows.update(version=F("version") + 1) == 0:
        current = LedgerEntry.objects.select_related("author").filter(pk=entry.pk).first()
        if current is None:
            raise EntryLocked(_("This entry no longer exists."))
        if current.state not in states:
            raise EntryLocked(
                _("This entry is %(state)s and can no longer be changed that way.")
                % {"state": current.get_state_display()},
                current=current,
            )
        raise EntryConflict(
            _("Someone else saved this entry after you opened it."), current=current
        )
    # The row's own columns only: its task, department and author are set when it is
    # created and never change, so what the caller loaded with it stays loaded (the API
    # answers with them).
    entry.refresh_from_db(fields=ROW_COLUMNS)


def ledger_entry_update(*, entry: LedgerEntry, by, version: int, data: dict) -> LedgerEntry:
    """Save `data` over `entry` if nobody saved it since `version` was read."""
    _require_writer(by=by, entry_department=entry.department, entry=entry)
    if entry.state not in EDITABLE_STATES:
        raise EntryLocked(_("A submitted or accepted entry cannot be edited."), current=entry)
    fields = _clean_entry_data(data, partial=True)
    with transaction.atomic():
        _claim(entry=entry, states=EDITABLE_STATES, version=version)
        for name, value in fields.items():
            setattr(entry, name, value)
        entry._history_user = by
        entry.save()
    return entry


def ledger_entry_submit(*, entry: LedgerEntry, by, version: int | None = None) -> LedgerEntry:
    """The department puts its name to the entry: the head does, or staff where the
    department allows it. A returned entry is resubmitted the same way."""
    _require_writer(by=by, entry_department=entry.department, entry=entry)
    if not (is_head(by) or entry.department.staff_may_submit):
        raise NotAllowed(
            _("Only the department head submits this department's entries."), current=entry
        )
    with transaction.atomic():
        _claim(entry=entry, states=EDITABLE_STATES, version=version)
        entry.state = LedgerEntry.State.SUBMITTED
        entry.submitted_at = timezone.now()
        entry._history_user = by
        entry.save()
        events.entry_event_announce(entry=entry, event=events.SUBMITTED, by=by)
    return entry


# The sequences the browser's form and the API both run, said once: each one transaction,
# so that refused evidence or a refused submit leaves nothing half-made.


def ledger_entry_record(
    *, task, department, by, data: dict, evidence=(), submit: bool = False
) -> LedgerEntry:
    """Record work done: a new draft of `department`'s ledger for `task`, each item of
    `evidence` attached (the keyword arguments of `evidence_add`), and submitted at once
    when `submit`."""
    with _files_removed_on_failure() as stored, transaction.atomic():
        entry = ledger_entry_create(task=task, department=department, by=by, data=data)
        _attach(entry=entry, by=by, evidence=evidence, stored=stored)
        if submit:
            ledger_entry_submit(entry=entry, by=by)
    return entry


def ledger_entry_revise(
    *,
    entry: LedgerEntry,
    by,
    version: int,
    data: dict,
    evidence=(),
    replace_evidence: bool = False,
    submit: bool = False,
) -> LedgerEntry:
    """Correct a draft or returned entry: `data` saved over it if nobody saved it since
    `version`, `evidence` attached (with `replace_evidence`, in place of its links and
    document numbers; files are kept), and submitted when `submit`."""
    with _files_removed_on_failure() as stored, transaction.atomic():
        ledger_entry_update(entry=entry, by=by, version=version, data=data)
        if replace_evidence:
            for item in entry.evidence.exclude(kind=Evidence.Kind.FILE):
                evidence_remove(evidence=item, by=by)
        _attach(entry=entry, by=by, evidence=evidence, stored=stored)
        if submit:
            ledger_entry_submit(entry=entry, by=by)
    return entry


def _attach(*, entry: LedgerEntry, by, evidence, stored: list[str]) -> None:
    """Attach each item of `evidence`; the names of the files stored go into `stored`."""
    for index, item in enumerate(evidence):
        try:
            added = evidence_add(entry=entry, by=by, **item)
        except EntryInvalid as exc:
            # The error names the field inside the item it is about ("evidence.0.url").
            raise EntryInvalid(exc.within(f"evidence.{index}.").errors) from exc
        if added.file:
            stored.append(added.file.name)


@contextlib.contextmanager
def _files_removed_on_failure():
    """Files stored for a write that then fails as a whole (a later file refused, the
    submit refused) leave the store with it: their rows were rolled back, so nothing would
    ever name them. Wraps the transaction, so it runs after the rollback."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            delete_stored(name)
        raise


def _require_office(by, entry: LedgerEntry) -> None:
    if not is_office(by):
        raise NotAllowed(_("Only the bureau office accepts or returns entries."), current=entry)


def ledger_entry_accept(*, entry: LedgerEntry, by, version: int | None = None) -> LedgerEntry:
    """The office accepts a submitted entry; it is locked from then on."""
    _require_office(by, entry)
    with transaction.atomic():
        _claim(entry=entry, states=(LedgerEntry.State.SUBMITTED,), version=version)
        entry.state = LedgerEntry.State.ACCEPTED
        entry.return_reason = ""
        entry._history_user = by
        entry.save()
        events.entry_event_announce(entry=entry, event=events.ACCEPTED, by=by)
    return entry


def ledger_entry_return(
    *, entry: LedgerEntry, by, reason: str, version: int | None = None
) -> LedgerEntry:
    """The office sends a submitted entry back to its department, saying why."""
    _require_office(by, entry)
    reason = (reason or "").strip()
    if not reason:
        raise EntryInvalid({"reason": [_("Say why the entry is returned.")]})
    with transaction.atomic():
        _claim(entry=entry, states=(LedgerEntry.State.SUBMITTED,), version=version)
        entry.state = LedgerEntry.State.RETURNED
        entry.return_reason = reason
        entry._history_user = by
        entry.save()
        events.entry_event_announce(entry=entry, event=events.RETURNED, by=by)
    return entry


def _check_length(name: str, value: str) -> None:
    """Refuse text longer than the evidence's column allows, naming the field."""
    try:
        Evidence._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        raise EntryInvalid({name: error.messages}) from None


def evidence_add(
    *, entry: LedgerEntry, by, kind: str, url: str = "", doc_number: str = "", file=None, note=""
) -> Evidence:
    """Attach a link, a document number (文号) or a file to an entry still being written."""
    _require_writer(by=by, entry_department=entry.department, entry=entry)
    url, doc_number, note = (url or "").strip(), (doc_number or "").strip(), (note or "").strip()
    # Too long is refused, naming the field, as the API refuses it; never cut short.
    _check_length("note", note)
    evidence = Evidence(entry=entry, kind=kind, note=note)
    if kind == Evidence.Kind.LINK:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise EntryInvalid(
                {"url": [_("Enter a full web address (http:// or https://).")]}
            ) from None
        if len(url) > 1000:
            raise EntryInvalid({"url": [_("The link is too long.")]})
        evidence.url = url
    elif kind == Evidence.Kind.DOC_NUMBER:
        if not doc_number:
            raise EntryInvalid({"doc_number": [_("Enter the document number.")]})
        _check_length("doc_number", doc_number)
        evidence.doc_number = doc_number
    elif kind == Evidence.Kind.FILE:
        if file is None:
            raise EntryInvalid({"file": [_("Choose a file.")]})
        try:
            evidence.filename = evidence_file_check(file)
        except errors.Invalid as exc:
            raise EntryInvalid(exc.errors) from None
        _store_file(evidence, file)
    else:
        raise EntryInvalid({"kind": [_("Unknown kind of evidence.")]})
    try:
        with transaction.atomic():
            _hold_for_evidence(entry)
            evidence._history_user = by
            evidence.save()
    except Exception:
        if evidence.file:
            # Refused (the entry was submitted meanwhile) or failed: no row names the file.
            delete_stored(evidence.file.name)
        raise
    return evidence


def _store_file(evidence: Evidence, file) -> None:
    """The file goes to the store before the transaction: no row lock is held while it
    uploads, and a store that fails leaves no row behind. (Should a caller's own transaction
    roll back later, the file stays in the store with no row naming it: a random name
    nobody can reach, not a row that names a missing file.)"""
    try:
        evidence.file.save(file.name, file, save=False)
    except STORE_ERRORS:
        logger.warning("The file store refused %s", evidence.filename, exc_info=True)
        message = _(
            "%(name)s was not saved: the file store cannot be reached just now. Try again later."
        )
        raise EntryInvalid(
            {"file": [message % {"name": evidence.filename}]}, code="store_unavailable"
        ) from None


def evidence_remove(*, evidence: Evidence, by) -> None:
    """Take a piece of evidence off an entry still being written.

    Its file leaves the store (once the removal commits) when no submitted version of the
    entry held it: added since the entry was last submitted, nobody outside the department
    saw it, and its history keeps only the name. A file the entry held when it was
    submitted stays in the store: the history shows it as part of what the department put
    its name to and the office reviewed, and that record is kept whole."""
    entry = evidence.entry
    _require_writer(by=by, entry_department=entry.department, entry=entry)
    with transaction.atomic():
        _hold_for_evidence(entry)
        evidence._history_user = by
        evidence.delete()
        submitted = entry.submitted_at is not None and evidence.created_at <= entry.submitted_at
        if evidence.file and not submitted:
            delete_stored_on_commit(evidence.file.name)


def _hold_for_evidence(entry: LedgerEntry) -> None:
    """The one lock of an evidence change (added or removed), inside its transaction: claim
    the entry without moving its version. Evidence goes beside the text, so someone editing
    the text meanwhile is not in conflict; but a submit that won the row first makes this
    fail, since the entry is no longer editable."""
    now = timezone.now()
    held = LedgerEntry.objects.filter(pk=entry.pk, state__in=EDITABLE_STATES).update(updated_at=now)
    if not held:
        raise EntryLocked(_("A submitted or accepted entry cannot be changed."), current=entry)
    entry.updated_at = now  # the entry in hand stays as stored (the API answers with it)
