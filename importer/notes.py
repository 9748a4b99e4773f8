"""All of a contact's notes in one cell, and that cell read back as the same notes.

The notes are written oldest first, apart by a line of four dashes ("----") with an empty line
on either side. A note's own line of four or more dashes gets one more dash on export and gives
it back on import, so that no note is ever split in two. A cell from another program without
such a line is one note, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 5000  # Note.text
SEPARATOR = "\n\n----\n\n"
_SEPARATOR_LINE = re.compile(r"^----$", re.MULTILINE)
_DASH_LINE = re.compile(r"^(-{4,})$", re.MULTILINE)
_ESCAPED_DASH_LINE = re.compile(r"^-(-{4,})$", re.MULTILINE)


def join_notes(texts: Iterable[str]) -> str:
    """The notes (oldest first) as one cell."""
    return SEPARATOR.join(_DASH_LINE.sub(r"-\1", text) for text in texts)


def parse_notes(value: str) -> tuple[str, ...]:
    """A cell → its notes, oldest first; ValidationError for a note that is too long."""
    notes = []
    for part in _SEPARATOR_LINE.split(value):
        text = _ESCAPED_DASH_LINE.sub(r"\1", part.strip())
        if not text:
            continue
        if len(text) > NOTE_MAX_LENGTH:
            raise ValidationError(
                _("A note has at most %(limit)s characters, this one has %(count)s."),
                params={"limit": NOTE_MAX_LENGTH, "count": len(text)},
            )
        notes.append(text)
    return tuple(notes)
