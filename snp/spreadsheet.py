"""Cells of every CSV and XLSX export, neutralised against formula injection.

A patient named `=HYPERLINK("http://…")` must stay a name when a coordinator opens the export in
Excel or LibreOffice: any text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
prefixed with an apostrophe (OWASP's advice), which spreadsheets show as text. Numbers, dates
and booleans are left as they are (a negative number is a number, not a formula).
"""

from __future__ import annotations

from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """The value to write in an export cell: text that a spreadsheet would read as a formula
    gets a leading apostrophe; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
