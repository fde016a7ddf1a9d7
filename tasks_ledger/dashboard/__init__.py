"""The bureau office's dashboard: figures, the task × department matrix, "as of" a date."""
