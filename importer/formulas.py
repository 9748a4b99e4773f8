"""Spreadsheet formula injection: what an export escapes and an import takes back."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running the cell as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def unescape_formula(value: str) -> str:
    """What `escape_formula` added, taken off again on import."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value
