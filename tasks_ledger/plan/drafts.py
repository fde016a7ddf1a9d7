"""Writes to import drafts: a plan read in the browser, corrected, then committed.

The draft holds the plan JSON as read; each correction rewrites it and is checked against
the plan JSON's rules before it is kept, so a draft is always a plan the importer takes
(save for its year, which the importer asks for when the document did not say).
"""

import copy
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.services import department_alias_set
from tasks_ledger.plan.models import ImportDraft
from tasks_ledger.plan.plan_json import PlanFormatError, validate_plan
from tasks_ledger.plan.reading import deadlines_in
from tasks_ledger.plan.services import plan_import

# A draft nobody has touched for this long is abandoned and discarded.
DRAFT_LIFETIME = datetime.timedelta(days=1)


def validate_draft(data: dict) -> None:
    """validate_plan, except that a draft may lack its year until it is committed, and a
    date deadline its date (年底前 in a plan of no year, words no reading dated): the
    preview marks those, and the clerk gives them before committing."""
    if not isinstance(data, dict):
        validate_plan(data)  # refused, naming what a plan must be
    data = copy.deepcopy(data)
    if data.get("year") is None:
        # Any valid year stands in: the rest of the plan is checked the same way.
        data["year"] = 2000
    for deadline in _date_deadlines(data):
        if deadline.get("due") is None:
            deadline["due"] = "2000-01-01"
    validate_plan(data)


def _date_deadlines(data: dict):
    """Every date deadline of plan JSON that may still lack its date, in any task."""

    def walk(tasks):
        for task in tasks if isinstance(tasks, list) else []:
            if not isinstance(task, dict):
                continue
            for deadline in task.get("deadlines") or []:
                if isinstance(deadline, dict) and deadline.get("kind") == "date":
                    yield deadline
            yield from walk(task.get("tasks"))

    sections = data.get("sections")
    for section in sections if isinstance(sections, list) else []:
        if isinstance(section, dict):
            yield from walk(section.get("tasks"))


def plan_with_year(data: dict, year: int) -> dict:
    """A copy of `data` for `year`: the date deadlines read without a year (due null, as
    the reader gives them when the document names no year) get their dates in it, read
    from their words the way the plan text is read."""
    data = copy.deepcopy(data)
    data["year"] = year
    for deadline in _date_deadlines(data):
        if deadline.get("due") is None and isinstance(deadline.get("text"), str):
            dates = [d["due"] for d in deadlines_in(deadline["text"], year) if d["kind"] == "date"]
            deadline["due"] = dates[0] if dates else None
    return data


def import_draft_create(*, owner, file_name: str, data: dict) -> ImportDraft:
    validate_draft(data)
    import_drafts_discard_stale()
    return ImportDraft.objects.create(owner=owner, file_name=file_name[:255], data=data)


def import_drafts_discard_stale(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for a day; return how many. Safe to run twice."""
    cutoff = (now or timezone.now()) - DRAFT_LIFETIME
    deleted, _by_model = ImportDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


def import_draft_set_year(*, draft: ImportDraft, year: int) -> ImportDraft:
    data = plan_with_year(draft.data, year)
    validate_plan_year(data)
    return _save(draft, data)


def validate_plan_year(data: dict) -> None:
    year = data.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise PlanFormatError("year", _("must be a year such as 2016"))


def import_draft_correct_task(
    *,
    draft: ImportDraft,
    path: tuple[int, ...],
    number: str,
    title: str,
    ongoing: bool,
    units: list[dict],
    deadlines: list[dict],
) -> ImportDraft:
    """Replace what the preview lets a clerk correct on one task (path: section index,
    then task indexes). A fact corrected by hand is no longer a guess."""
    data = copy.deepcopy(draft.data)
    task = task_at(data, path)
    task["number"] = number.strip()
    task["title"] = title.strip()
    if ongoing:
        task["ongoing"] = True
    else:
        task.pop("ongoing", None)
    task["departments"] = [_corrected(unit, task.get("departments", [])) for unit in units]
    task["deadlines"] = [_corrected(item, task.get("deadlines", [])) for item in deadlines]
    validate_draft(data)
    return _save(draft, data)


def import_draft_map_unit(*, draft: ImportDraft, name: str, department, by) -> ImportDraft:
    """Read the unit `name` as `department`, in this draft and every later import."""
    department_alias_set(name=name, department=department, by=by)
    # The draft's text stays as written; touching it keeps the draft alive.
    return _save(draft, draft.data)


@transaction.atomic
def import_draft_commit(*, draft: ImportDraft, by, allow_removals: bool):
    """Import the draft's plan (atomic, history recording `by`) and discard the draft."""
    validate_plan_year(draft.data)
    result = plan_import(data=draft.data, by=by, allow_removals=allow_removals)
    draft.delete()
    return result


def task_at(data: dict, path: tuple[int, ...]) -> dict:
    """The task at `path` in plan JSON; PlanFormatError when there is none (a stale form)."""
    try:
        node = data["sections"][path[0]]
        for index in path[1:]:
            node = node["tasks"][index]
    except (IndexError, KeyError, TypeError):
        raise PlanFormatError("", _("That task is no longer in the draft.")) from None
    if len(path) < 2:
        raise PlanFormatError("", _("That task is no longer in the draft."))
    return node


def _corrected(item: dict, before: list[dict]) -> dict:
    """A corrected unit or deadline: what the form gave, keeping where the unchanged fact
    was read from; a changed one drops its guess mark and its source."""
    same = next((old for old in before if _facts(old) == _facts(item)), None)
    if same is not None:
        return {**item, **{k: same[k] for k in ("source", "guess") if k in same}}
    return item


def _facts(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("source", "guess")}


def _save(draft: ImportDraft, data: dict) -> ImportDraft:
    draft.data = data
    draft.save(update_fields=["data", "updated_at"])
    return draft
