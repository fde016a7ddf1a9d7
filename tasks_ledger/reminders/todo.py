"""Each person's 待办: what waits for them, counted for the header and the landing page.

  - 待报送 (to submit): the department's drafts in the current plan, for its head;
  - 被退回 (returned): the department's returned entries in the current plan, for its people;
  - 待审核 (awaiting review): the current plan's submitted entries, for the bureau office;
  - 未读 (unread): the person's unread inbox messages, for everyone.

One query whatever the data's size: every count is a scalar subquery on the user's own row,
and the current plan is a subquery too (the rule of PlanQuerySet.current, in SQL), so the
header costs every page one round trip, as the unread badge alone did before.
"""

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from departments.access import department_of, is_head, is_office
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan
from tasks_ledger.reminders.models import Notification

KEYS = ("to_submit", "returned", "to_review", "unread")


def _count(queryset):
    """`queryset`'s row count as an expression: a constant grouping key leaves no GROUP BY,
    so the subquery always answers one row (0 when nothing matches)."""
    counted = (
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def _current_plan_id():
    this_year = timezone.localdate().year
    return Subquery(
        Plan.objects.filter(status=Plan.Status.ACTIVE)
        .order_by(Case(When(year=this_year, then=Value(0)), default=Value(1)), "-year")
        .values("pk")[:1]
    )


def todo_counts(*, user) -> dict[str, int | None]:
    """The four counts of `user`'s 待办; a count that is not this user's business is None
    (a department does not review, the office has no drafts), so pages leave it out."""
    counts: dict[str, int | None] = dict.fromkeys(KEYS)
    if not user.is_authenticated:
        return counts
    department = department_of(user)
    in_plan = Q(task__plan=_current_plan_id())
    wanted = {"unread": _count(Notification.objects.filter(recipient=user, read_at__isnull=True))}
    if department is not None:
        own = LedgerEntry.objects.filter(in_plan, department=department)
        wanted["returned"] = _count(own.filter(state=LedgerEntry.State.RETURNED))
        if is_head(user):
            wanted["to_submit"] = _count(own.filter(state=LedgerEntry.State.DRAFT))
    if is_office(user):
        wanted["to_review"] = _count(
            LedgerEntry.objects.filter(in_plan, state=LedgerEntry.State.SUBMITTED)
        )
    row = get_user_model().objects.filter(pk=user.pk).annotate(**wanted).values(*wanted).first()
    counts.update(row or dict.fromkeys(wanted, 0))
    return counts
