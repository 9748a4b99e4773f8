"""Instant search over contacts.

Every contact carries `search_text`: its names, numbers, e-mail addresses, phone numbers (also as
bare digits) and city, and the same of its contact persons, folded to lower case without
diacritics, with German umlauts also spelled out ("müller" is stored as "muller" and "mueller").
A query is folded the same way and every word of it must occur somewhere. The list's search
asks for each word at the start of a word ("mü" finds "Bäckerei Müller", not "Lemuel"), so
that typing one more letter never finds more: a word of the search text starts after a space
(the text starts with one) or after a character that is neither letter nor digit, which
`build_search_text` writes out as a word of its own ("lena" of "anna-lena", "example.de" of
"zoe@example.de"). A query word that starts with such a character ("@example", ".ch") or has
only digits (a phone number, a customer number) may stand anywhere.

On SQLite an FTS5 table with the trigram tokenizer indexes `search_text`, so a substring query
does not scan the table; on PostgreSQL pg_trgm GIN indexes do the same for LIKE, one for each of
16 parts of the organizations (organization id modulo 16), so that a search reads the index
entries of its own organization rather than those of every other one. Both are created by
`ensure_search_index()` after every migrate.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import reduce
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BigIntegerField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Mod

# The folding rules live in core (products fold alike); contacts code may name them from here.
from core.folding import UMLAUTS, fold, fold_variants  # noqa: F401

if TYPE_CHECKING:
    from accounts.models import Organization

FTS_TABLE = "contacts_contact_fts"
# Its parts: contacts_contact_live_trgm_0 … _15, each leaving out the trash like every index the
# list uses (see Contact.Meta.indexes).
PG_INDEX = "contacts_contact_live_trgm"
EARLIER_PG_INDEX = "contacts_contact_search_trgm"  # before the trash, with its parts
PG_INDEX_PARTS = 16
TRIGRAM = 3  # the shortest term the trigram index can look up
FEW_MATCHES = 300
PHONE_QUERY = re.compile(r"^\+?[\d\s()/.\-]*$")
NON_DIGITS = re.compile(r"\D+")
DACH_CODES = {"49", "43", "41"}
# The country codes of the countries whose national numbers ("0351 …") the search also knows
# in their international form ("0049 351 …"): those where a national number's leading 0 is
# the trunk prefix that the country code replaces.
COUNTRY_CODES = {"DE": "49", "AT": "43", "CH": "41"}


def phone_digits(value: str) -> str:
    return NON_DIGITS.sub("", value)


def phone_key(value: str, digits: str | None = None) -> str:
    """The digits to look for: "+49 (0)89 12-34" and "0049 89 1234" both become "089 1234"'s.

    International numbers lose their "+" or "00"; German, Austrian and Swiss ones are written
    nationally ("0" instead of the country code), so either way of writing finds the other.
    `digits` may give `phone_digits(value)` where it is known already.
    """
    value = value.strip()
    if digits is None or "(0)" in value:
        value = value.replace("(0)", "")
        digits = phone_digits(value)
    if not value.startswith(("+", "00")):
        return digits
    international = digits[2:] if digits.startswith("00") else digits
    if international[:2] in DACH_CODES:
        return "0" + international[2:]
    return international


def phone_search_forms(value: str, country: object = "DE") -> list[str]:
    """A phone number as written, as digits, in the form `phone_key` gives it (national for
    German, Austrian and Swiss numbers), and internationally with "00" in front ("+49 351 …"
    and, for a contact in `country`, "0351 …" are also "0049351…"), which is what a query
    typed with "+" or "00" looks for (`query_terms`)."""
    digits = phone_digits(value)
    key = phone_key(value, digits)
    written = value.lower()
    forms = [written, digits] if key in (digits, written) else [written, digits, key]
    international = international_digits(value, key, country)
    if international:
        forms.append("00" + international)
    return forms


def international_digits(value: str, key: str, country: object) -> str:
    """The number's digits after "+" or "00": from how it was written, or, for a national
    number ("0…") of a contact in a country of COUNTRY_CODES, that country's code and the
    digits after its leading 0. "" if neither tells."""
    value = value.strip()
    if value.startswith("+"):
        return phone_digits(value.replace("(0)", ""))
    if value.startswith("00"):
        return ""  # its digits are the international form already
    code = COUNTRY_CODES.get((str(country or "") or "DE").upper())  # a code or a Country
    if code and key.startswith("0") and len(key) > 1:
        return code + key[1:]
    return ""


def build_search_text(
    *,
    names: Iterable[str | None],
    numbers: Iterable[int | None],
    emails: Iterable[str | None],
    phones: Iterable[str | None],
    places: Iterable[str | None],
    keywords: Iterable[str | None] = (),
    country: object = "DE",
) -> str:
    """The search text of a contact (`country`: its billing country, for its phone numbers)."""
    parts: list[str] = []
    parts += [fold_variants(n) for n in names if n]
    parts += [str(n) for n in numbers if n]
    parts += [fold(e) for e in emails if e]
    for phone in phones:
        if phone:
            parts += phone_search_forms(phone, country)
    parts += [fold_variants(p) for p in places if p]
    parts += [fold_variants(k) for k in keywords if k]
    inner = inner_words(" ".join(parts))
    if inner:
        parts.append(" ".join(dict.fromkeys(inner)))
    # Contact persons often share the company's number; every form once keeps the index small.
    return " " + " | ".join(dict.fromkeys(parts)) if parts else ""


# Where a word starts inside a word (after a character that is neither letter nor digit), and
# the rest of that word: found in one pass over the text, overlapping ("mueller.de", "de"). The
# character before is matched rather than looked behind for: the same matches, found sooner.
INNER_WORD = re.compile(r"(?:[^\w\s]|_)(?=([^\W_]\S*))")


def inner_words(text: str) -> list[str]:
    """The words that start inside the words of `text`, after a character that is neither
    letter nor digit: "anna-lena" → ["lena"], "j.weiss@mueller.de" → ["weiss@mueller.de",
    "mueller.de", "de"]."""
    return INNER_WORD.findall(text)


def is_anchored(term: str) -> bool:
    """Whether the list's search wants `term` at the start of a word (see the module's text)."""
    return term[:1].isalnum() and not term.isdigit()


def search_patterns(query: str, *, at_word_start: bool = False) -> list[str]:
    """What `search_text` must contain for `query`: each term, after a space if it must start
    a word."""
    terms = query_terms(query)
    if not at_word_start:
        return terms
    return [f" {t}" if is_anchored(t) else t for t in terms]


def text_matches(query: str, search_text: str) -> bool:
    """Whether a text built by `build_search_text` matches the list's search for `query` (the
    database's rule, in Python: used to tell why a contact was found)."""
    return all(p in search_text for p in search_patterns(query, at_word_start=True))


def query_terms(query: str) -> list[str]:
    """The words of a query as they must appear in `search_text`."""
    query = query.strip()[:100]
    if not query:
        return []
    if PHONE_QUERY.match(query):
        term = phone_term(query)
        if term:
            return [term]
    # % and _ are LIKE wildcards and | separates fields in search_text; quotation marks are
    # no part of what is looked for: treat them all as spaces.
    cleaned = re.sub(r"[%_|\\\"“”„«»]", " ", fold(query))
    return [t for t in cleaned.split() if t]


def phone_term(query: str) -> str:
    """What a query of digits (and the signs phone numbers are written with) looks for: its
    digits, anywhere. Typed with "+" or "00" in front, the number's international form
    ("+49 351" and "0049 351" both look for "0049351"), which every German, Austrian and Swiss
    number carries, however it was written (`phone_search_forms`). So each digit typed narrows
    what is found, "+" being "00". "" for a query without digits or "+"."""
    query = query.strip()
    if query.startswith("+"):
        return "00" + phone_digits(query.replace("(0)", ""))
    if query.startswith("00"):
        return phone_digits(query.replace("(0)", ""))
    return phone_digits(query)


def fts_match(terms: list[str]) -> str:
    """An FTS5 query for the terms the trigram index can find: each a quoted phrase, all AND-ed.

    A trigram phrase matches where the term occurs as a substring, like LIKE '%term%', but from
    the index alone; LIKE makes SQLite read every candidate row's text again to check it. A
    term's leading space is part of its phrase: two letters at the start of a word are a
    trigram too.
    """
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms if len(t) >= TRIGRAM)


def filter_by_query(
    queryset: QuerySet,
    query: str,
    *,
    matches: list[int] | None = None,
    organization: Organization | None = None,
    at_word_start: bool = False,
) -> QuerySet:
    """The contacts of `queryset` whose search text contains every word of `query`; with
    `at_word_start`, as the list's search asks for them (see the module's text).

    `matches` are the ids `matching_ids()` already had the full-text index find for `query`
    (asked the same way); `organization` is the one `queryset` is limited to, if it is: on
    PostgreSQL the search then reads only that organization's part of the index.
    """
    terms = search_patterns(query, at_word_start=at_word_start)
    if connection.vendor == "sqlite":
        if matches is not None:
            # One parameter however many ids: nothing to compile per id, nothing to run twice.
            queryset = queryset.filter(
                id__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(matches)])
            )
        elif match := fts_match(terms):
            queryset = queryset.filter(
                id__in=RawSQL(  # noqa: S611 - constant SQL, the terms are a parameter
                    "SELECT rowid FROM contacts_contact_fts WHERE contacts_contact_fts MATCH %s",
                    [match],
                )
            )
        # Shorter terms have no trigram: they are checked on the rows found so far.
        terms = [t for t in terms if len(t) < TRIGRAM]
    elif connection.vendor == "postgresql" and terms:
        queryset = _in_index_part(queryset, organization)
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def _in_index_part(queryset: QuerySet, organization: Organization | None) -> QuerySet:
    """The condition of the organization's index part, which lets PostgreSQL use that index.

    It adds nothing the organization's own condition does not already say. Without an
    organization, every part is asked (one condition per part, OR-ed, so each finds its index).
    """
    queryset = queryset.alias(
        search_part=Mod("organization_id", Value(PG_INDEX_PARTS), output_field=BigIntegerField())
    )
    if organization is not None:
        return queryset.filter(search_part=organization.pk % PG_INDEX_PARTS)
    return queryset.filter(
        reduce(operator.or_, (Q(search_part=part) for part in range(PG_INDEX_PARTS)))
    )


def matching_ids(query: str, *, at_word_start: bool = False) -> list[int] | None:
    """The ids of the contacts (of every organization) the full-text index finds for `query`.

    None without a full-text index (PostgreSQL) or when no word of the query is long enough
    for it. The list page asks the index once and hands the ids to both of its queries (the
    count and the page) instead of having each of them ask again.
    """
    match = fts_match(search_patterns(query, at_word_start=at_word_start))
    if connection.vendor != "sqlite" or not match:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM contacts_contact_fts WHERE contacts_contact_fts MATCH %s", [match]
        )
        return [row[0] for row in cursor.fetchall()]


def are_few(matches: list[int] | None) -> bool:
    """Whether to sort the matches themselves rather than walk the sort index looking for them.

    SQLite's query planner cannot know how many rows the full-text index will find; with few,
    reading and sorting them is quicker than walking the name index past most of the
    organization, with many it is the other way round.
    """
    return matches is not None and len(matches) <= FEW_MATCHES


class Unindexed(Func):
    """The same value, but the query planner may not use an index for it.

    `+column` on SQLite, `COALESCE(column, column)` on PostgreSQL (which keeps its type).
    """

    template = "+%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        expression = self.get_source_expressions()[0]
        sql, params = compiler.compile(expression)
        return f"COALESCE({sql}, {sql})", [*params, *params]


def ensure_search_index(using: str = "default") -> None:
    """Create the full-text index and what keeps it current, if missing (idempotent)."""
    from django.db import connections

    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            _ensure_sqlite_fts(cursor)
        elif conn.vendor == "postgresql":
            for statement in _postgres_index_sql():
                cursor.execute(statement)


def _postgres_index_sql() -> list[str]:
    """The pg_trgm extension, an index per part of the organizations, and the statistics.

    With one index over every organization, a search read the entries of all of them: 5–30 ms
    a query at 1,000,000 contacts, however small its own organization. The statistics
    tell the planner that the part follows from the organization, so that it does not take the
    part's condition for a further filter and misjudge how many contacts a search finds.
    """
    part = f"mod(organization_id, {PG_INDEX_PARTS})"
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"DROP INDEX IF EXISTS {EARLIER_PG_INDEX}",  # the one index of earlier versions
        *(f"DROP INDEX IF EXISTS {EARLIER_PG_INDEX}_{n}" for n in range(PG_INDEX_PARTS)),
        *(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX}_{n} ON contacts_contact "
            f"USING gin (search_text gin_trgm_ops) WHERE {part} = {n} AND deleted_at IS NULL"
            for n in range(PG_INDEX_PARTS)
        ),
        "CREATE STATISTICS IF NOT EXISTS contacts_contact_search_part (dependencies) "
        f"ON organization_id, ({part}) FROM contacts_contact",
    ]


SQLITE_INDEX_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS contacts_contact_fts USING fts5(search_text, "
    "content='contacts_contact', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS contacts_contact_fts_ai AFTER INSERT ON contacts_contact "
    "BEGIN INSERT INTO contacts_contact_fts(rowid, search_text) "
    "VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS contacts_contact_fts_ad AFTER DELETE ON contacts_contact "
    "BEGIN INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS contacts_contact_fts_au AFTER UPDATE OF search_text "
    "ON contacts_contact BEGIN "
    "INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO contacts_contact_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO contacts_contact_fts(contacts_contact_fts) VALUES ('rebuild')",
]


def _ensure_sqlite_fts(cursor) -> None:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
        [f"{FTS_TABLE}%"],
    )
    existing = {row[0] for row in cursor.fetchall()}
    wanted = {FTS_TABLE, f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"}
    if wanted <= existing:
        return
    # Django rebuilds a SQLite table to alter it, which drops its triggers: recreate them all
    # and rebuild the index from the contacts table.
    for statement in SQLITE_INDEX_SQL:
        cursor.execute(statement)


@contextmanager
def indexed_in_bulk() -> Iterator[None]:
    """Index the contacts inserted inside the block in one statement at its end.

    SQLite's insert trigger indexes one row at a time, which takes most of a large import's
    time; all new rows at once is several times faster. The trigger is dropped for the block
    and created again after it, inside the caller's transaction: the write lock keeps everyone
    else's inserts out meanwhile, and a rollback brings the trigger back by itself. New rows
    are those with an id above the highest one before the block. Elsewhere (PostgreSQL keeps
    its index current itself) this does nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexed_in_bulk() must run inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai")
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM contacts_contact")
        (highest,) = cursor.fetchone()
    try:
        yield
    except BaseException:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_INDEX_SQL[1])
        raise
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, search_text) "  # noqa: S608 - constant names
            "SELECT id, search_text FROM contacts_contact WHERE id > %s",
            [highest],
        )
        cursor.execute(SQLITE_INDEX_SQL[1])
