"""Reads the API needs beyond what the browser's selectors give: tasks with their light.

A task's `status` in the API is decided here:
- for department staff and heads, on a task assigned to their department, the light of
  their own department's assignment (what they must act on);
- otherwise (the bureau office, or a task led by others) the worst light across the
  task's departments, in `Light.ORDER` (overdue, due soon, blocked, not filed, awaiting
  confirmation, on track, done): one
  late department makes the task late for the office;
- null for a task assigned to no department.
"""

import datetime

from django.db.models import (
    CharField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce

from departments.access import department_of
from tasks_ledger.ledger.status import urgency_case, with_status
from tasks_ledger.plan.models import Assignment, Task
from tasks_ledger.plan.selectors import who_and_when


def task_list(*, user, today: datetime.date):
    """Every task, with `status` annotated in the database and its assignments and
    deadlines ready to prefetch: four queries for a page whatever the plan's size (the
    count, the tasks, their assignments with departments, their deadlines)."""
    per_task = Assignment.objects.filter(task=OuterRef("pk"))
    worst = Subquery(
        with_status(per_task, today=today)
        .annotate(rank=urgency_case(today))
        .order_by("rank")
        .values("light")[:1],
        output_field=CharField(),
    )
    department = department_of(user)
    if department is not None:
        own = Subquery(
            with_status(per_task.filter(department=department), today=today).values("light")[:1],
            output_field=CharField(),
        )
        status = Coalesce(own, worst)
    else:
        status = worst
    return (
        Task.objects.with_code()
        .annotate(status=status)
        .prefetch_related(*who_and_when())
        .order_by("plan__year", "section__order", "order", "id")
    )
