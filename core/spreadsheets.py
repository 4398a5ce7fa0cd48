"""Cells written to a CSV file that people open in a spreadsheet."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
    carriage return) is written as text, behind an apostrophe."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
