"""Statutory clocks: deadlines that start when something happens (a policy document is
published, an emergency occurs), their obligations, fulfilment and alerts."""
