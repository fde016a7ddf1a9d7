"""The plan text reader's old home: the reading now lives in tasks_ledger.plan.reading."""

from tasks_ledger.plan.reading import (
    PlanTextError,
    deadlines_in,
    document_from_text,
    parse_plan_document,
    parse_plan_text,
)

__all__ = [
    "PlanTextError",
    "deadlines_in",
    "document_from_text",
    "parse_plan_document",
    "parse_plan_text",
]
