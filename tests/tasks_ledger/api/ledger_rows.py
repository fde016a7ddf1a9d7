"""What the ledger holds, for the API's write tests to compare before and after a write."""

from tasks_ledger.ledger.models import Evidence, LedgerEntry

URL = "/api/ledger-entries/"
NEW = {"happened_on": "2016-07-01", "summary": "公开权力清单调整情况", "status": "in_progress"}


def entry_rows():
    """What the ledger holds, to compare before and after a refused write."""
    return sorted(
        LedgerEntry.objects.values_list(
            "id", "task_id", "department_id", "summary", "status", "state", "version"
        )
    )


def evidence_rows():
    return sorted(Evidence.objects.values_list("entry_id", "kind", "url", "doc_number", "note"))
