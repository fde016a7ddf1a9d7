"""The ledger (工作台账) as an Excel workbook, streamed."""
