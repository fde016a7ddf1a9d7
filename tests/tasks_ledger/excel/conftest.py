"""The export is checked on the dashboard tests' hand-built plan."""

from tests.tasks_ledger.dashboard.conftest import now, small_plan  # noqa: F401
