"""Inserting thousands of rows in one statement per table.

Django's bulk_create compiles SQL for every field of every object, which costs more than the
database's work on a 9,000-row import. Here the primary keys are reserved first (one query),
the values converted once per field type, and the rows sent with one executemany() per table.
Databases other than SQLite and PostgreSQL fall back to bulk_create.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.SlugField,
)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys nobody else will get (call inside the writing transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The transaction holds SQLite's write lock, so no one can take these meanwhile.
            # The table name comes from the model, never from input.
            quoted = connection.ops.quote_name(table)
            query = "SELECT MAX(n) FROM (SELECT seq AS n FROM sqlite_sequence WHERE name = %s "
            query += f"UNION ALL SELECT MAX(id) FROM {quoted})"  # noqa: S608
            cursor.execute(query, [table])
            start = (cursor.fetchone()[0] or 0) + 1
            return list(range(start, start + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if type(field) in PLAIN_FIELDS or isinstance(field, models.ForeignKey):
        return lambda value: value
    cache: dict[int, Any] = {}

    def convert(value: Any) -> Any:
        # Timestamps are one shared object per import: convert each distinct object once.
        key = id(value)
        if isinstance(value, timezone.datetime):
            if key not in cache:
                cache[key] = field.get_db_prep_save(value, connection)
            return cache[key]
        return field.get_db_prep_save(value, connection)

    return convert


def insert(objs: Sequence[models.Model]) -> None:
    """INSERT `objs` (all of one model) and give each its primary key."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor not in ("sqlite", "postgresql"):
        model.objects.bulk_create(objs)
        return
    meta = model._meta
    now = timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    converters = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    rows = [
        (
            obj.pk,
            *[conv(getattr(obj, name)) for conv, name in zip(converters, attnames, strict=True)],
        )
        for obj in objs
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields)])
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
