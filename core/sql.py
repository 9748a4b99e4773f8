"""Query parameters for long lists of values."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.db.models.expressions import RawSQL


def one_param(values: Sequence[int]) -> RawSQL | list[int]:
    """Ids for a `field__in=` lookup as one query parameter, however many there are.

    Django writes a placeholder per value, which SQLite (32,766) and PostgreSQL (65,535) limit:
    a bulk action on every contact that matches may name 100,000. One parameter also spares
    compiling and sending a placeholder per id.
    """
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(values))])
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(values)])
    return list(values)
