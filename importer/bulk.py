"""Inserting and deleting thousands of rows in one statement per table.

Django's bulk_create builds a model instance per row and compiles SQL for every field of every
object, which costs more than the database's work on a 9,000-row import. Here rows are plain
dicts: the primary keys are reserved first (one query), the values converted once per field type,
and the rows sent with one executemany() per table. Databases other than SQLite and PostgreSQL
fall back to bulk_create.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.db.models import ForeignObjectRel, deletion
from django.db.models.expressions import RawSQL
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


def one_of(values: Sequence[int | str]) -> RawSQL | list:
    """`values` for a `field__in=` lookup as one query parameter, however many there are.

    Django writes a placeholder per value and prepares each one, which for the thousands of
    numbers of an import took longer than the query itself.
    """
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(values))])
    if connection.vendor == "postgresql":
        numbers = all(isinstance(v, int) for v in values)
        sql = "SELECT unnest(%s::bigint[])" if numbers else "SELECT unnest(%s::text[])"
        return RawSQL(sql, [list(values)])  # noqa: S611 - constant SQL, values as a parameter
    return list(values)


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
        if value is None:
            return None  # what every field makes of it, without asking each
        # Timestamps are one shared value per import: convert each distinct one once.
        if isinstance(value, datetime):
            if value not in cache:
                cache[value] = field.get_db_prep_save(value, connection)
            return cache[value]
        return field.get_db_prep_save(value, connection)

    return convert


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    now: datetime | None = None,
    return_ids: bool = True,
) -> list[int]:
    """INSERT `rows` (field attname → value; missing fields get their default); return the ids
    (unless not asked to: the database then numbers the rows itself, which is quicker).

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
    if connection.vendor not in ("sqlite", "postgresql"):
        objs = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.bulk_create(objs)
        return [obj.pk for obj in objs]
    take = itemgetter(*(f.attname for f in fields))
    values = [list(take({**defaults, **row})) for row in rows]
    ids: list[int] = []
    if return_ids:
        ids = reserve_ids(model, len(rows))
        values = [[pk, *cells] for pk, cells in zip(ids, values, strict=True)]
        fields = [meta.pk, *fields]
    # Reserved ids are plain integers already.
    converted = [
        (i, _converter(f)) for i, f in enumerate(fields) if not f.primary_key and not _is_plain(f)
    ]
    for cells in values:
        for i, convert in converted:
            cells[i] = convert(cells[i])
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
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
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, values)
    return ids


def insert(objs: Sequence[models.Model], *, now: datetime | None = None) -> None:
    """INSERT model instances (all of one model) and give each its primary key.

    Fields with auto_now or auto_now_add get `now` (the current time if not given).
    """
    if not objs:
        return
    model = type(objs[0])
    now = now or timezone.now()
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


def id_ranges(ids: Sequence[int]) -> list[list[int]]:
    """Ids as [first, last] ranges of consecutive ones: [1, 2, 3, 7] → [[1, 3], [7, 7]]."""
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


def delete_rows(model: type[models.Model], ids: Sequence[int]) -> None:
    """DELETE the rows of `model` with these ids and what refers to them, by their ids.

    Django's delete() first reads every row as a model instance and then deletes in batches
    of a hundred: for the thousands of contacts an undo removes, that was most of its time.
    Here the rows that refer to them go first, one statement per kind of row (deleted, or
    their reference emptied, as each foreign key's on_delete says), then the rows themselves
    in one statement. A reference that must stop the delete (PROTECT, RESTRICT, …) leaves
    the whole delete to Django.
    """
    if not ids:
        return
    relations = [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if isinstance(f, ForeignObjectRel) and not f.concrete and (f.one_to_one or f.one_to_many)
    ]
    plain = (deletion.CASCADE, deletion.SET_NULL, deletion.DO_NOTHING)
    if connection.vendor not in ("sqlite", "postgresql") or any(
        r.on_delete not in plain for r in relations
    ):
        model._base_manager.filter(pk__in=list(ids)).delete()
        return
    for relation in relations:
        name = relation.field.name
        related = relation.related_model
        assert not isinstance(related, str)  # resolved once the apps are loaded
        referring = related._base_manager.filter(**{f"{name}__in": one_of(ids)})
        if relation.on_delete is deletion.CASCADE:
            referring.delete()
        elif relation.on_delete is deletion.SET_NULL:
            referring.update(**{name: None})
    chosen = one_of(ids)
    assert isinstance(chosen, RawSQL)  # on SQLite and PostgreSQL
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    # The names come from the model; the ids are one query parameter.
    sql = f"DELETE FROM {table} WHERE {column} IN ({chosen.sql})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, chosen.params)
