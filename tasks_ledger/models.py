"""Django finds the app's models here; each lives in the package of its concern."""

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task
from tasks_ledger.reviews.models import Finding, ReviewRound

__all__ = [
    "Assignment",
    "Deadline",
    "Evidence",
    "Finding",
    "LedgerEntry",
    "Plan",
    "ReviewRound",
    "Section",
    "Task",
]
