"""Small template helpers for the ledger pages: status lights and workflow states."""

from django import template
from django.utils.html import format_html

from tasks_ledger.ledger import previews
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import Light

register = template.Library()
STATES = dict(LedgerEntry.State.choices)


@register.simple_tag
def light_badge(light):
    return format_html(
        '<span class="light light-{}"><span class="light-dot"></span>{}</span>',
        light,
        Light.LABELS.get(light, light),
    )


@register.simple_tag
def state_badge(state):
    return format_html('<span class="state state-{}">{}</span>', state, STATES.get(state, state))


@register.filter
def abs_int(value):
    return abs(int(value))


@register.filter
def preview_kind(evidence):
    """ "image" or "pdf" when the page may show the evidence file, else None."""
    return previews.preview_kind(evidence)
