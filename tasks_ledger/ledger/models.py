"""The 工作台账: what a department did on a task, with evidence, and its workflow state."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from departments.models import Department
from tasks_ledger.plan.models import Assignment, Task, code_related


class EntryState(models.TextChoices):
    """The workflow: draft → submitted → accepted, or returned (to be corrected and
    submitted again). Review rounds' consolidations follow the same one."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


# The workflow's groups of states, named once for every concern (and the index below).
# Still the department's to change:
EDITABLE_STATES = (EntryState.DRAFT, EntryState.RETURNED)
# Put its name to by the department: every reader sees it, and it counts towards the
# status lights, the figures and the review rounds.
COUNTED_STATES = (EntryState.SUBMITTED, EntryState.ACCEPTED)


class InWorkflow:
    """What the pages ask of a row with a `state` of EntryState (an entry, a review round's
    consolidation): the templates cannot name the states themselves."""

    @property
    def is_returned(self) -> bool:
        return self.state == EntryState.RETURNED

    @property
    def is_awaiting_review(self) -> bool:
        return self.state == EntryState.SUBMITTED

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class LedgerEntryQuerySet(models.QuerySet):
    def with_related(self):
        """With what an entry's lists show loaded: its task's code and `with_people`."""
        return self.with_people().select_related(*code_related("task"))

    def with_people(self):
        """With its department and its author's name (the API names the task by id)."""
        return self.select_related("department", "author__membership")

    def with_evidence_count(self):
        """`evidence_count` on each entry, counted by a subquery per entry read. A
        `Count("evidence")` joins and groups every entry the filter matches before the
        page's LIMIT applies: the review queue's 50 rows cost a sort of all 8,000 waiting."""
        per_entry = Evidence.objects.filter(entry=OuterRef("pk")).values("entry")
        counts = Subquery(per_entry.annotate(n=Count("*")).values("n"))
        return self.annotate(evidence_count=Coalesce(counts, 0))


class HistoryInterval(models.Model):
    """What the ledger's history rows add to django-simple-history's: when each row stopped
    being the entry's latest (the next row's history_date; empty while it is the latest),
    kept by a database trigger (ledger/rollups.py). "As of" a moment is then a plain
    range condition on indexed columns (ledger/history.py), not a search for each row's
    successor."""

    history_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class LedgerHistory(HistoricalRecords):
    """The entries' history, indexed for the reads "as of" a day (ledger/history.py): a
    task × department's rows by time (the dashboard's lights, the review rounds), and
    counted rows by the day of the work (the weekly chart)."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = [
            models.Index(
                fields=["task", "department", "history_date"], name="history_pair_by_time"
            ),
            models.Index(fields=["happened_on", "history_date"], name="history_by_day"),
            # An entry's rows in order: history_until's trigger probes it (ledger/rollups.py).
            models.Index(fields=["id", "history_date", "history_id"], name="history_entry_by_time"),
            # A task × department's rows by the day of the work, with every column the reads
            # "as of" a day test (ledger/asof.py): its latest counted entry a backwards walk
            # of this index alone, its last filing, change and weekly counts ranges of it
            # (without the other columns SQLite read the table: 2 s a field at 200,000
            # entries instead of 26 ms).
            models.Index(
                fields=[
                    "task",
                    "department",
                    "happened_on",
                    "id",
                    "history_date",
                    "history_until",
                    "state",
                    "history_type",
                    "submitted_at",
                    "updated_at",
                ],
                name="history_pair_by_day",
            ),
        ]
        return options


class LedgerEntry(InWorkflow, models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    # Defined above the model, so that Meta's constraints and the index can name its
    # groups of states; LedgerEntry.State is the name the code uses.
    State = EntryState

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="entries", verbose_name=_("task")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="entries", verbose_name=_("department")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("author"),
    )
    happened_on = models.DateField(_("date of the work"))
    summary = models.TextField(_("what was done"))
    status = models.CharField(
        _("progress"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    state = models.CharField(
        _("workflow state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Optimistic locking: every write sends the version it read and bumps it by one.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    history = LedgerHistory(bases=[HistoryInterval])
    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="ledger_entry_version_positive", condition=Q(version__gte=1)
            ),
            models.CheckConstraint(
                name="ledger_entry_submitted_has_time",
                condition=Q(state=EntryState.DRAFT) | Q(submitted_at__isnull=False),
            ),
        ]
        indexes = [
            # The latest entry per task × department, for status lights and the dashboard.
            models.Index(
                fields=["task", "department", "-happened_on"], name="entry_latest_per_assignment"
            ),
            # A task page's pager: what its reader may see, counted from this index alone.
            models.Index(fields=["task", "department", "state"], name="entry_by_task_and_state"),
            # A department's own ledger, newest first.
            models.Index(fields=["department", "-updated_at"], name="entry_by_department"),
            # The dashboard's weekly chart (dashboard/selectors.weekly_counts): counted
            # entries only, in the order the query groups them, every column it reads in
            # it: a range of days is a scan of this index alone, counting as it goes.
            models.Index(
                fields=["happened_on", "department", "task", "state"],
                condition=Q(state__in=list(COUNTED_STATES)),
                name="entry_counted_by_day",
            ),
            # The rollups' triggers (ledger/rollups.py) recompute a pair after each write: its
            # latest counted entry, last filing and last change, each one index probe.
            models.Index(
                fields=["task", "department", "happened_on", "id"],
                condition=Q(state__in=["submitted", "accepted"]),
                name="entry_counted_latest",
            ),
            models.Index(
                fields=["task", "department", "submitted_at"],
                condition=Q(state__in=["submitted", "accepted"]),
                name="entry_counted_filed",
            ),
            models.Index(
                fields=["task", "department", "updated_at"],
                condition=~Q(state="draft"),
                name="entry_shown_changed",
            ),
            # The header's 待办 (reminders/todo.py): a department's drafts and returned
            # entries, counted from this index alone. By the department's index it read
            # every entry of the department (0.2–0.5 s at 1,000,000 entries).
            models.Index(
                fields=["department", "state", "task"],
                condition=Q(state__in=["draft", "returned"]),
                name="entry_waiting",
            ),
            # The ledger page's latest entry per task × department (selectors.department_tasks),
            # newest change first: walked backwards to the first the reader may see.
            models.Index(
                fields=["task", "department", "updated_at", "id"], name="entry_latest_changed"
            ),
            # The office's review queue (selectors.awaiting_review), the longest waiting
            # first: a page reads 50 entries in this order instead of sorting all waiting.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(state="submitted"),
                name="entry_awaiting_review",
            ),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.department} · {self.happened_on}"


class LedgerRollup(models.Model):
    """What the dashboard needs of one task × department's ledger, kept by the database's
    triggers on every write of an entry (tasks_ledger/ledger/rollups.py): the latest
    counted entry's progress, state and day of work, the last filing (submission) of a
    counted entry and the last change of an entry that is not a draft. One row per pair
    that has entries; the fields are empty when none counts."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    # The assignment of the same task and department, if any: no column of its own, a join
    # for `status.with_status`, whose rule then reads columns, not subqueries repeated in
    # each of its conditions (assignment__rollup__…: a LEFT JOIN on the unique pair).
    assignment = models.ForeignObject(
        Assignment,
        from_fields=["task", "department"],
        to_fields=["task", "department"],
        on_delete=models.DO_NOTHING,
        related_name="rollup",
        null=True,
    )
    # NULL, not "", when no entry counts: what the SQL that computes them gives, and what
    # the status light's rule reads as "nothing filed".
    latest_status = models.CharField(  # noqa: DJ001
        max_length=12, null=True, choices=LedgerEntry.Status.choices
    )
    latest_state = models.CharField(  # noqa: DJ001
        max_length=10, null=True, choices=LedgerEntry.State.choices
    )
    latest_on = models.DateField(null=True)
    last_filed_at = models.DateTimeField(null=True)
    last_change = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("ledger rollup")
        verbose_name_plural = _("ledger rollups")
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="rollup_one_per_pair")
        ]

    def __str__(self):
        return f"{self.task_id} · {self.department_id}"


class LedgerDayCount(models.Model):
    """Counted entries of one task × department by their day of work, kept by the same
    triggers: the dashboard's weekly chart reads these (at most days × pairs rows) instead
    of the entries. Days with none have no row."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Not a PositiveIntegerField: the triggers add and subtract, and a count that went
    # wrong must reach the check command (ledger_rollups --check), not fail a user's save.
    counted = models.IntegerField()

    class Meta:
        verbose_name = _("ledger day count")
        verbose_name_plural = _("ledger day counts")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department", "day"], name="daycount_one_per_pair_day"
            )
        ]
        indexes = [
            # The weekly chart: a range of days, every column it reads in the index.
            models.Index(fields=["day", "task", "department", "counted"], name="daycount_by_day")
        ]

    def __str__(self):
        return f"{self.task_id} · {self.department_id} · {self.day}: {self.counted}"


class LedgerAsOf(models.Model):
    """A `LedgerRollup` of one task × department as the ledger stood at the end of a past
    day (its history, ledger/history.py), and how many entries it then held (drafts left
    out): what the dashboard "as of" a day and the review rounds read. A cache, filled for
    a plan and day on the first read (ledger/asof.py); the history's triggers delete the
    rows a history row written, changed or removed could make wrong, so a row that exists
    is exact."""

    day = models.DateField()
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    latest_status = models.CharField(  # noqa: DJ001 - NULL as in LedgerRollup
        max_length=12, null=True, choices=LedgerEntry.Status.choices
    )
    latest_state = models.CharField(  # noqa: DJ001
        max_length=10, null=True, choices=LedgerEntry.State.choices
    )
    latest_on = models.DateField(null=True)
    last_filed_at = models.DateTimeField(null=True)
    last_change = models.DateTimeField(null=True)
    filed = models.IntegerField()
    # Counted entries by the week of their work, over the WEEKS weeks up to the day
    # (ledger/asof.py: `charted_weeks`; week_0 the oldest, the last up to the day): the
    # dashboard's weekly chart as of the day.
    week_0 = models.IntegerField()
    week_1 = models.IntegerField()
    week_2 = models.IntegerField()
    week_3 = models.IntegerField()
    week_4 = models.IntegerField()
    week_5 = models.IntegerField()
    week_6 = models.IntegerField()
    week_7 = models.IntegerField()

    class Meta:
        verbose_name = _("ledger as of a day")
        verbose_name_plural = _("ledger as of a day")
        constraints = [
            # The reads: a day's row of each pair.
            models.UniqueConstraint(
                fields=["day", "task", "department"], name="asof_one_per_day_pair"
            )
        ]
        indexes = [
            # The triggers' deletes: a pair's rows from a day on.
            models.Index(fields=["task", "department", "day"], name="asof_by_pair")
        ]

    def __str__(self):
        return f"{self.day} · {self.task_id} · {self.department_id}"


def evidence_upload_to(instance, filename):
    # A random name keeps uploads from overwriting each other or choosing their own path;
    # the original name is kept in the row for downloads.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        DOC_NUMBER = "doc_number", _("Document number (文号)")
        FILE = "file", _("File")

    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("entry")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    doc_number = models.CharField(_("document number"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(
                name="evidence_fields_match_kind",
                condition=Q(kind="link") & ~Q(url="")
                | Q(kind="doc_number") & ~Q(doc_number="")
                | Q(kind="file") & ~Q(file=""),
            ),
        ]

    def __str__(self):
        return self.url or self.doc_number or self.filename
