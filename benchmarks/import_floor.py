"""The floor of an import: the rows it writes, written with nothing else.

`prepared_rows` runs the import's own checks once, outside any timing, and keeps the rows it
would write (contacts with their display and search names, contact persons, web profiles,
notes, and a "created" change per contact for the history) as values the database driver takes
as they are. `write_floor` then writes them in one transaction with one bare `executemany`
(SQLite) or `COPY` (PostgreSQL) per table, and fills the search index as cheaply as the
database allows (on SQLite in one statement after the rows, as the import does; PostgreSQL
keeps its trigram index itself). No reading, no checks, nothing worked out: what no importer of
these rows can beat, so an import measured beside it gives a ratio that holds on any machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


@dataclass
class PreparedRows:
    # Per table: (model, column names, rows of values), contacts first.
    tables: list[tuple[Any, list[str], list[list[Any]]]]
    contacts: int


def prepared_rows(organization, data: bytes) -> PreparedRows:
    """The rows an import of `data` as customers into `organization` would write, ready for
    `write_floor` (the contacts' ids are filled in there)."""
    from django.db import connection
    from django.utils import timezone

    from contacts_app.models import Contact, ContactPerson, Note, WebProfile
    from contacts_app.services import derived_fields
    from history.models import Change, ChangeSet, Source
    from importer import services
    from importer.targets.contact_writing import _build

    run, parsed = services.start_import(
        organization=organization, target="customers", file_name="floor.csv", data=data, by=None
    )
    result = services.check(run, parsed, keep=False)
    services.discard(run)
    roles = {"is_customer": True, "is_supplier": False}
    built = [
        _build(row, organization=organization, roles=roles, by=None)
        for row in result.rows
        if row.status == "new"
    ]
    # Rows without a number get the free ones in order, as the import hands them out.
    taken = {contact["customer_number"] for contact, *_ in built if contact.get("customer_number")}
    free = (n for n in range(10000, 70000) if n not in taken)
    changeset = ChangeSet.objects.create(
        organization=organization, source=Source.IMPORT, label="floor", created_at=timezone.now()
    )
    rows: dict[Any, list[dict]] = {
        Contact: [],
        ContactPerson: [],
        WebProfile: [],
        Note: [],
        Change: [],
    }
    for index, (contact, persons, profiles, note, _row) in enumerate(built):
        contact.setdefault("customer_number", None)
        contact["customer_number"] = contact["customer_number"] or next(free)
        contact.update(derived_fields(contact, persons))
        rows[Contact].append(contact)
        rows[ContactPerson] += [{"contact_id": index, **p} for p in persons]
        rows[WebProfile] += [{"contact_id": index, "kind": k, "value": v} for k, v in profiles]
        if note:
            rows[Note].append({"contact_id": index, "text": note})
        rows[Change].append(
            {
                "changeset_id": changeset.pk,
                "kind": "contact",
                "object_id": index,
                "contact_id": index,
                "action": "created",
                "fields": {},
            }
        )
    tables = []
    now = timezone.now()
    for model, items in rows.items():
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        values = []
        for item in items:
            cells = []
            for field in fields:
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    value = now
                elif field.attname in item:
                    value = item[field.attname]
                elif field.has_default():
                    value = field.get_default()
                else:
                    value = None if field.null else ""
                if field.attname not in ("contact_id", "object_id"):
                    value = field.get_db_prep_save(value, connection)
                cells.append(value)
            values.append(cells)
        columns = [f.column for f in fields]
        if model is Contact:
            columns = ["id", *columns]
        tables.append((model, columns, values))
    return PreparedRows(tables=tables, contacts=len(rows[Contact]))


def write_floor(prepared: PreparedRows) -> float:
    """Write the prepared rows (once: they are written into their organization); seconds."""
    from django.db import connection, transaction

    from contacts_app.models import Contact
    from contacts_app.search import FTS_TABLE, SQLITE_INDEX_SQL

    quote = connection.ops.quote_name
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Contact._meta.db_table, prepared.contacts],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai")
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM contacts_contact")
            highest = cursor.fetchone()[0]
            ids = list(range(highest + 1, highest + 1 + prepared.contacts))
        for model, columns, values in prepared.tables:
            # The contacts' places in the list become their ids.
            refs = [columns.index(c) for c in ("contact_id", "object_id") if c in columns]
            if model is Contact:
                rows = [[pk, *cells] for pk, cells in zip(ids, values, strict=True)]
            else:
                rows = [list(cells) for cells in values]
                for cells in rows:
                    for index in refs:
                        cells[index] = ids[cells[index]]
            names = ", ".join(quote(c) for c in columns)
            table = quote(model._meta.db_table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for cells in rows:
                        copy.write_row(cells)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        if connection.vendor != "postgresql":
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, search_text) "  # noqa: S608
                "SELECT id, search_text FROM contacts_contact WHERE id > %s",
                [highest],
            )
            cursor.execute(SQLITE_INDEX_SQL[1])
    return time.perf_counter() - started
