"""A vCard file (.vcf: iPhone, Android, Google, Outlook) as a table of Kontor's own columns.

Each card becomes one row under the headers of Kontor's contact file (German or English), so
the automatic assignment takes every column and everything after it (preview, groups, error
file, history, undo) is the CSV import's. What the card says goes where Kontor has a field:

- a card with an organisation and a person's name is a company with that person as its first
  contact person (the person's job title, first e-mail address and own numbers go to the
  contact person; the business address and work numbers to the company); an organisation
  alone, or Apple's "show as company", is a company; a name alone is a person;
- e-mail addresses, numbers and addresses by their types, web addresses and social profiles
  as web profiles;
- what has no field (a third e-mail address, a fourth number, a second address, birthday,
  categories, messengers…) is appended to the note, in the language of the headers, so that
  nothing is lost. Photos are skipped and counted.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

from .reading import (
    EMPTY,
    ImportFileError,
    ParsedFile,
    Row,
    check_size,
    decode,
    detect_encoding,
    normalize_encoding,
)
from .targets.contact_columns import shared_contact_columns
from .vcard_reading import Card, read_cards
from .vcard_rows import KEYS, TAGS_KEY, WORDS, CardRow

KIND = "vcard"
# The delimiter of a vCard import's error file, and the language of its headers: German
# headers with ";" and English ones with ",", as Excel opens each.
DELIMITERS = {"de": ";", "en": ","}

BINARY_IN_CARD = gettext_lazy(
    "This vCard file contains binary data that is not text. Export the contacts again and "
    "upload the .vcf file itself."
)
ONLY_GROUPS = gettext_lazy(
    "This vCard file holds only contact groups, no contacts. Export the contacts themselves."
)


def _column_headers(language: str) -> dict[str, str]:
    columns = {column.key: column for column in shared_contact_columns()}
    return {
        key: (column.de if language == "de" else column.en)
        for key in KEYS
        if (column := columns.get(key)) is not None
    }


def language_of(delimiter: str | None) -> str:
    """The headers' language for a vCard file: the stored delimiter's, else the user's."""
    for language, known in DELIMITERS.items():
        if delimiter == known:
            return language
    return "de" if (translation.get_language() or "de").startswith("de") else "en"


def read_vcards(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> ParsedFile:
    """The cards of a .vcf file as rows under Kontor's column headers (ImportFileError if it
    cannot be read). `delimiter` chooses the headers' language (see DELIMITERS)."""
    check_size(len(data))
    if not data:
        raise ImportFileError(EMPTY, code="empty")
    try:
        chosen = normalize_encoding(encoding) if encoding else detect_encoding(data)
        text = decode(data, chosen)
    except ImportFileError as error:
        if error.code in ("binary", "spreadsheet"):
            raise ImportFileError(BINARY_IN_CARD, code="binary") from None
        raise
    read = read_cards(text, chosen)
    cards = [card for card in read if not _is_group(card)]
    if not cards:
        raise ImportFileError(ONLY_GROUPS, code="only_groups")
    language = language_of(delimiter)
    headers = _column_headers(language)
    keys = list(headers)
    rows = []
    with translation.override(language):
        words = {name: str(text) for name, text in WORDS.items()}
    tags = TAGS_KEY in headers
    for card in cards:
        values = CardRow(card, words, tags=tags).values()
        rows.append(Row(card.line, [values.get(key, "") for key in keys]))
    return ParsedFile(
        encoding=chosen,
        delimiter=DELIMITERS[language],
        headers=list(headers.values()),
        rows=rows,
        header_line=0,
        kind=KIND,
        skipped_photos=sum(card.embedded for card in cards),
        skipped_groups=len(read) - len(cards),
        producer=producer(cards),
    )


# What a PRODID says of the program that wrote the cards (looked for in it, folded to lower
# case) → the name a user knows it by. The first that fits wins.
PRODUCERS = (
    ("iphone", gettext_lazy("Apple Contacts (iPhone)")),
    ("ipad", gettext_lazy("Apple Contacts (iPad)")),
    ("mac os", gettext_lazy("Apple Contacts (Mac)")),
    ("macos", gettext_lazy("Apple Contacts (Mac)")),
    ("icloud", gettext_lazy("iCloud Contacts")),
    ("apple", gettext_lazy("Apple Contacts")),
    ("google", gettext_lazy("Google Contacts")),
    ("outlook", gettext_lazy("Outlook")),
    ("kontor", gettext_lazy("Kontor")),
)


def producer(cards: list[Card]) -> str:
    """The program the file's first card with a PRODID names, as the user knows it."""
    for card in cards:
        prodid = card.first("PRODID")
        if prodid is not None:
            written_by = prodid.plain.lower()
            return next((str(name) for key, name in PRODUCERS if key in written_by), "")
    return ""


def _is_group(card: Card) -> bool:
    """A contact group (vCard 4.0's KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND): a list of
    other cards, no contact of its own."""
    kind = card.first("KIND") or card.first("X-ADDRESSBOOKSERVER-KIND")
    return kind is not None and kind.plain.lower() == "group"
