"""Text that a spreadsheet would run as a formula: escaped in every CSV Kontor writes, taken
back on import, so that an exported file imports as the text it holds.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice
("formula injection"). Kontor writes such a cell with an apostrophe in front, which spreadsheets
read as "this is text" and do not show. The import takes that one apostrophe off again. So that
a text which itself starts with apostrophes and then one of those characters survives too, such
a text gets one more apostrophe on export: the import always takes off exactly one.

A tab in front, the other common escape, needs no rule of its own: the import strips the spaces
and tabs around every cell.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What an import takes as text that looks like a formula (after stripping the cell, a tab or
# carriage return cannot start it any more).
FORMULA_STARTS = ("=", "+", "-", "@")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(value: str) -> str:
    """A value as a cell: an apostrophe in front of text a spreadsheet would run."""
    if value.startswith(FORMULA_TRIGGERS) or _ESCAPED.match(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """What `escape_formula` added, taken off again on import."""
    return value[1:] if _ESCAPED.match(value) else value


def shield_cell(raw: str) -> str:
    """A cell as it was read from a file, written back for a spreadsheet (the rows with errors):
    escaped only when it would run as it is. An escaped cell stays as it was, so that uploading
    the file again reads what the first upload read."""
    stripped = raw.strip()
    if stripped.startswith(FORMULA_STARTS):
        return "'" + stripped
    # The import strips the cell anyway; a spreadsheet would not.
    return stripped if raw.startswith(("\t", "\r")) else raw
