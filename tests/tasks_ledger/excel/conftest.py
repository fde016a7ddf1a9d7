"""The export is checked on the dashboard tests' hand-built plan."""

from tests.tasks_ledger.dashboard.conftest import now, personas, small_plan  # noqa: F401
