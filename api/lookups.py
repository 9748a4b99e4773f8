"""lexoffice's text filters: case-insensitive, `%` for any text and `_` for one character.

`Matches(F("field"), pattern)` is a filter expression (SQL LIKE). Case is ignored for every
letter, umlauts too: PostgreSQL's ILIKE does that itself. SQLite's LIKE ignores the case of
ASCII letters only, which is exact for a pattern of ASCII letters (a letter such as "Ü" in the
data can only meet a wildcard). For a pattern with other letters both sides are lowered by
`kontor_lower` (a Python function added to every SQLite connection) — after a plain LIKE with
those letters as `_` has let through the few candidates, so that Python runs for those alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class Matches(Lookup):
    lookup_name = "kontor_matches"

    def __init__(self, lhs: Any, rhs: Any) -> None:
        # A backslash is LIKE's escape character: one typed by the client is taken literally.
        if isinstance(rhs, str):
            rhs = rhs.replace("\\", "\\\\")
        super().__init__(lhs, rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *rhs_params]
        if connection.vendor == "postgresql":
            return f"{lhs}::text ILIKE {rhs}", params
        pattern = str(self.rhs.value if hasattr(self.rhs, "value") else self.rhs)
        if pattern.isascii():
            return f"{lhs} LIKE {rhs} ESCAPE '\\'", params
        coarse = "".join(c if c.isascii() else "_" for c in pattern)
        return (
            f"({lhs} LIKE %s ESCAPE '\\' AND kontor_lower({lhs}) LIKE kontor_lower({rhs}) "
            "ESCAPE '\\')",
            [*lhs_params, coarse, *lhs_params, *rhs_params],
        )


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def add_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("kontor_lower", 1, _lower, deterministic=True)
