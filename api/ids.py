"""The API's ids: Kontor's own ids, written as UUIDs.

Integrations written for lexoffice often read ids as UUIDs (Java's UUID, .NET's Guid), so a
record's id is a UUID of version 8 (RFC 9562's layout for an application's own data): "kontor"
in its first 48 bits, the kind of record in the next 12, the record's id in the last 62. The
id is neither secret nor random: another organization's record is answered 404 whatever its id.
Plain ids (`12345`) are understood too, for scripts that take them from Kontor's pages.
"""

from __future__ import annotations

import uuid

KONTOR = 0x6B6F6E746F72  # "kontor"
ORGANIZATION, CONTACT, ARTICLE = 0, 1, 2
_ID_BITS = (1 << 62) - 1


def to_uuid(kind: int, pk: int) -> str:
    """The UUID of record `pk` of `kind` (written out directly: a page has hundreds)."""
    low = f"{(0b10 << 62) | (pk & _ID_BITS):016x}"
    return f"6b6f6e74-6f72-8{kind:03x}-{low[:4]}-{low[4:]}"


def from_uuid(kind: int, text: str) -> int | None:
    """The id `text` names for records of `kind`, or None if it names none."""
    if text.isdigit():
        return int(text) if 0 < len(text) <= 18 else None
    try:
        value = uuid.UUID(text).int
    except ValueError:
        return None
    if value >> 80 != KONTOR or (value >> 76) & 0xF != 0x8 or (value >> 64) & 0xFFF != kind:
        return None
    pk = value & _ID_BITS
    return pk or None
