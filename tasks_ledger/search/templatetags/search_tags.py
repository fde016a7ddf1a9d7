"""`{{ text|highlight:q }}`: the text escaped, each occurrence of q (any case) in <mark>."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, q):
    text = str(text or "")
    if not q:
        return escape(text)
    # Split on the raw text first, then escape each piece: escaping first would let a query
    # like "amp" match inside "&amp;" and cut an entity in two.
    pieces = re.split(f"({re.escape(q)})", text, flags=re.IGNORECASE)
    return mark_safe(
        "".join(
            f"<mark>{escape(piece)}</mark>" if i % 2 else escape(piece)
            for i, piece in enumerate(pieces)
        )
    )
