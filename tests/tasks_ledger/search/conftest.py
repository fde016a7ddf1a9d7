"""The ledger's small world (one task, departments A, B, C, the office, six personas)."""

from tests.tasks_ledger.ledger.conftest import _fresh_sequences, now, world  # noqa: F401
