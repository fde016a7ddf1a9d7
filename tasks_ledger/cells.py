"""The one rule for every workbook we write: text that a spreadsheet would read as a formula
(=, +, -, @, or a leading tab or carriage return) is stored as a plain string.

Every concern that writes a sheet asks it (the plan sheet, a review round's sheet, the
ledger export), so it sits at the bottom of the layers, beside the calendar, and imports
nothing of ours."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_as_text(cell):
    """Mark an openpyxl cell holding such text as a string. Set after the value: assigning
    "=…" makes openpyxl type the cell as a formula ("f")."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
    return cell
