"""Reads of the public pages. Only what is public leaves this module: the plan's own text
once it is published, and the copies of texts and evidence a confidentiality review passed
(never a proposal's own text, an entry, a name or a comment).

The public status of a task is derived from ACCEPTED entries only (the office's word, not a
department's draft or submission) and the task's ongoing flag:
  未开始 (not started)  no accepted entry;
  已完成 (done)         every assigned department's latest accepted entry says done
                        (a task with no assigned department: its latest accepted entry);
  持续推进 (ongoing)    an ongoing task with an accepted entry (it is never done);
  推进中 (in progress)  otherwise.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Exists, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Task
from tasks_ledger.publishing.models import ConfidentialityReview, PublicationProposal, PublicEdition

# The ongoing flag (持续推进, 长期坚持) comes with the plan reader's work; until a Task has it,
# no task is ongoing.
_HAS_ONGOING = any(f.name == "ongoing" for f in Task._meta.get_fields())

NOT_STARTED, IN_PROGRESS, DONE, ONGOING = "not_started", "in_progress", "done", "ongoing"
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    DONE: _("Completed"),
    ONGOING: _("Ongoing"),
}


def current_edition() -> tuple[int, object]:
    """(number, changed_at) of what the public sees: one primary-key read."""
    row = PublicEdition.objects.filter(pk=1).values_list("number", "changed_at").first()
    return row or (0, None)


def published_plans():
    return (
        Plan.objects.filter(publication__isnull=False)
        .select_related("publication")
        .order_by("-year")
    )


def published_plan(year: int | None = None) -> Plan | None:
    plans = published_plans()
    return plans.filter(year=year).first() if year is not None else plans.first()


def passed_reviews():
    """Reviews whose text is public now: passed, not withdrawn nor replaced, of a published
    plan, newest first."""
    return (
        ConfidentialityReview.objects.filter(
            decision=ConfidentialityReview.Decision.PASSED,
            proposal__state=PublicationProposal.State.PASSED,
            proposal__task__plan__publication__isnull=False,
        )
        .select_related("proposal__task__section", "proposal__task__parent__section")
        .select_related("proposal__task__plan")
        .order_by("-decided_at", "-id")
    )


@dataclass
class PublicTask:
    task: Task
    code: str
    leads: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    status: str = NOT_STARTED
    texts: list = field(default_factory=list)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class Rate:
    name: str
    done: int = 0
    total: int = 0
    order: tuple = ()

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _task_status(*, ongoing: bool, any_accepted: bool, assignment_statuses: list) -> str:
    if not any_accepted:
        return NOT_STARTED
    if ongoing:
        return ONGOING
    if all(s == LedgerEntry.Status.DONE for s in assignment_statuses):
        return DONE
    return IN_PROGRESS


def plan_page(plan: Plan) -> dict:
    """Everything /public/<year>/ shows, in five queries whatever the plan's size: the
    tasks with their deadlines, the assignments with their latest accepted status, the
    passed texts. Statuses and rates are put together in Python from those rows, which the
    page lists in full anyway."""
    accepted = LedgerEntry.objects.filter(state=LedgerEntry.State.ACCEPTED)
    tasks = list(
        Task.objects.filter(plan=plan)
        .with_code()
        .annotate(any_accepted=Exists(accepted.filter(task=OuterRef("pk"))))
        .annotate(
            latest_accepted=Subquery(
                accepted.filter(task=OuterRef("pk"))
                .order_by("-happened_on", "-id")
                .values("status")[:1],
                output_field=CharField(),
            )
        )
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.order_by("order", "id")))
        .order_by("section__order", "parent__order", "order", "id")
    )
    assignments = list(
        Assignment.objects.filter(task__plan=plan)
        .select_related("department")
        .annotate(
            latest_accepted=Subquery(
                accepted.filter(task=OuterRef("task"), department=OuterRef("department"))
                .order_by("-happened_on", "-id")
                .values("status")[:1],
                output_field=CharField(),
            )
        )
        .order_by("task", "order", "id")
    )
    texts = list(passed_reviews().filter(proposal__task__plan=plan).order_by("decided_at", "id"))

    by_task = {}
    for task in tasks:
        by_task[task.pk] = PublicTask(
            task=task, code=task.code, deadlines=[d.text for d in task.deadlines.all()]
        )
    statuses = {task.pk: [] for task in tasks}
    for a in assignments:
        row = by_task[a.task_id]
        (row.leads if a.role == Assignment.Role.LEAD else row.partners).append(a.department.name)
        statuses[a.task_id].append(a.latest_accepted)
    for review in texts:
        by_task[review.proposal.task_id].texts.append(review)

    sections, section_rates = [], {}
    for task in tasks:
        row = by_task[task.pk]
        ongoing = bool(getattr(task, "ongoing", False)) if _HAS_ONGOING else False
        row.status = _task_status(
            ongoing=ongoing,
            any_accepted=task.any_accepted,
            assignment_statuses=statuses[task.pk] or [task.latest_accepted],
        )
        if not sections or sections[-1]["section"].pk != task.section_id:
            sections.append({"section": task.section, "tasks": []})
            section_rates[task.section_id] = Rate(name=str(task.section))
        sections[-1]["tasks"].append(row)
        # Ongoing work is never done: it is left out of completion rates.
        if not ongoing:
            rate = section_rates[task.section_id]
            rate.total += 1
            rate.done += row.status == DONE

    department_rates = {}
    for a in assignments:
        task = by_task[a.task_id].task
        if _HAS_ONGOING and getattr(task, "ongoing", False):
            continue
        rate = department_rates.setdefault(
            a.department_id,
            Rate(name=a.department.name, order=(a.department.order, a.department.code)),
        )
        rate.total += 1
        rate.done += a.latest_accepted == LedgerEntry.Status.DONE
    for section in sections:
        section["rate"] = section_rates[section["section"].pk]

    return {
        "plan": plan,
        "sections": sections,
        "department_rates": sorted(department_rates.values(), key=lambda r: r.order),
        "texts_by_date": sorted(texts, key=lambda r: (r.decided_at, r.pk), reverse=True),
        "counts": [
            (key, label, sum(1 for t in by_task.values() if t.status == key))
            for key, label in STATUS_LABELS.items()
        ],
        "total": len(tasks),
    }
