"""Copying a year's plan to another year, with what the reviews and the reminders keep
about it (round task weights, reminder lead times): above the concerns it copies."""
