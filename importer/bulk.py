"""Inserting thousands of rows in one statement per table.

Django's bulk_create builds a model instance per row and compiles SQL for every field of every
object, which costs more than the database's work on a 9,000-row import. Here rows are plain
dicts: the primary keys are reserved first (one query), the values converted once per field type,
and the rows sent with one executemany() per table. Databases other than SQLite and PostgreSQL
fall back to bulk_create.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Fields whose Python values the database drivers take as they are.
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
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


def _is_plain(field: models.Field) -> bool:
    if isinstance(field, models.ForeignKey):
        return True
    # Subclasses of the text fields (e-mail, slug, country codes) store strings unchanged too.
    return isinstance(field, models.CharField | models.TextField) or type(field) in PLAIN_FIELDS


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """Python value → what the database driver takes, as `field.get_db_prep_save` would."""
    cache: dict[datetime, Any] = {}

    def convert(value: Any) -> Any:
        # Timestamps are one shared value per import: convert each distinct one once.
        if isinstance(value, datetime):
            if value not in cache:
                cache[value] = field.get_db_prep_save(value, connection)
            return cache[value]
        return field.get_db_prep_save(value, connection)

    return convert


def insert_rows(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, now: datetime | None = None
) -> list[int]:
    """INSERT `rows` (field attname → value; missing fields get their default); return the ids.

    Fields with auto_now or auto_now_add get `now` (the current time if not given).
    """
    if not rows:
        return []
    meta = model._meta
    now = now or timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        elif field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif field.empty_strings_allowed:
            defaults[field.attname] = ""
    ids = reserve_ids(model, len(rows)) if connection.vendor in ("sqlite", "postgresql") else []
    if not ids:
        objs = [model(**{**defaults, **row}) for row in rows]
        model.objects.bulk_create(objs)
        return [obj.pk for obj in objs]
    take = itemgetter(*(f.attname for f in fields))
    converted = [(i, _converter(f)) for i, f in enumerate(fields, start=1) if not _is_plain(f)]
    values = []
    for pk, row in zip(ids, rows, strict=True):
        cells = [pk, *take({**defaults, **row})]
        for i, convert in converted:
            cells[i] = convert(cells[i])
        values.append(cells)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams all rows in one statement; executemany would send one INSERT each.
            # Django's wrapper turns the driver's errors into its own (IntegrityError, …), as
            # for every other query.
            sql = f"COPY {quote(meta.db_table)} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for cells in values:
                    copy.write_row(cells)
        else:
            placeholders = ", ".join(["%s"] * (len(fields) + 1))
            sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, values)
    return ids


def insert(objs: Sequence[models.Model]) -> None:
    """INSERT model instances (all of one model) and give each its primary key."""
    if not objs:
        return
    model = type(objs[0])
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    attnames = [f.attname for f in fields]
    ids = insert_rows(model, [{n: getattr(obj, n) for n in attnames} for obj in objs], now=now)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
