"""The clocks' panel on other concerns' pages.

The task page belongs to the ledger, which sits below the clocks: it cannot import them.
Its template asks for the panel with `{% task_clocks task %}` instead, so the clocks fill
their own part of the page and the ledger's view knows nothing of them.
"""

from django import template
from django.utils import timezone

from tasks_ledger.clocks.selectors import task_clock_context

register = template.Library()


@register.inclusion_tag("clocks/_task_events.html", takes_context=True)
def task_clocks(context, task):
    """A task's events and statutory clocks, as the signed-in user may see them."""
    return task_clock_context(task=task, user=context["request"].user, now=timezone.now())
