"""Reading a plan document (any bureau's, any year's) into plan JSON.

normalise (punctuation), text_document (plain text as paragraphs and tables), numbering and
structure (the tree), names and units (who carries a task), deadlines, year, and parser (the
entry points parse_plan_document and parse_plan_text).
"""

from tasks_ledger.plan.reading.deadlines import deadlines_in
from tasks_ledger.plan.reading.parser import PlanTextError, parse_plan_document, parse_plan_text
from tasks_ledger.plan.reading.text_document import document_from_text

__all__ = [
    "PlanTextError",
    "deadlines_in",
    "document_from_text",
    "parse_plan_document",
    "parse_plan_text",
]
