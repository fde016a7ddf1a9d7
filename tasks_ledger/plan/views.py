from django.shortcuts import render

from departments.access import role_required
from tasks_ledger.plan.models import Plan
from tasks_ledger.plan.selectors import plan_outline


@role_required
def plan_overview(request):
    """The current plan as its sections and tasks, with who leads and the deadlines."""
    plan = Plan.objects.current()
    sections = plan_outline(plan=plan) if plan else []
    return render(request, "plan/overview.html", {"plan": plan, "sections": sections})
