"""Whether two contacts are probably the same, and why: one matcher for the duplicates page and
for the look-alike warning when a contact is saved.

A contact is described by a `MatchProfile`: its keys brought to one form (e-mail addresses in
lower case, the VAT ID without spaces, phone numbers as the digits `search.phone_key` gives, so
"+49 89 123456" and "089/123456" are one number) and its name folded (lower case, accents gone,
umlauts spelled out: "Müller" and "Mueller" are both "mueller"), legal forms set apart
("GmbH" and "GmbH & Co. KG" name the same business) and its words also sorted (a person
entered as "Müller Thomas" is "Thomas Müller").

Two contacts are probably the same (`pair_reasons`) when

- they have the same VAT ID;
- they share an e-mail address (their own or a contact person's) or a phone number, unless
  everything else sets them apart (names nothing alike at different addresses: an accountant's
  address given for two clients, a switchboard);
- they are of one kind and their names are very similar (`names_alike`: at most
  `MAX_NAME_EDITS` letters apart and at least `NAME_SIMILARITY` % alike, rapidfuzz's Indel
  measure) with the same postal code or city, and nothing tells them apart: not different
  streets or house numbers, not two legal forms of which neither contains the other ("GmbH"
  and "KG"), not two VAT IDs. Namesakes — "Meyer" and "Meier", "Kraus" and "Krause" — are as
  close as a typo, so it is the address that decides. When one of them has no place at all,
  only the very same name counts, legal form included.

Two different VAT IDs always mean two businesses. Nothing here reads the database:
`duplicates.py` feeds it a whole organization, the look-alike warning
(`selectors.similar_contacts`) a typed contact and a few candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel

from accounts.identities import canonical_email
from core.folding import UMLAUTS, fold

from .models import Contact
from .search import phone_key

# Names count as one where the place agrees when they are at most this many letters apart (a
# letter typed wrong counts two: one out, one in) and at least this similar (0–100), so that a
# long word in common ("Reinigungsservice") does not make two different names alike.
MAX_NAME_EDITS = 3
NAME_SIMILARITY = 85
# Contacts sharing an address or number but with names less alike than this, at different
# addresses, are set apart.
NAMES_UNLIKE = 60
# Street names at least this similar are one street ("Hauptstr." and "Hauptstraße" are equal
# anyway once abbreviated alike).
STREET_SIMILARITY = 80
# The shortest phone number (in digits) that says something: shorter ones are extensions.
PHONE_MIN_DIGITS = 6

# Words of legal forms and joiners, left aside when names are compared (written without dots:
# "e.K." is "ek", "Sp. z o.o." is "sp z oo").
LEGAL_FORM_WORDS = frozenset(
    [
        *("gmbh", "mbh", "ggmbh", "gesmbh", "ag", "kg", "kgaa", "co", "ohg", "ug"),
        *("haftungsbeschraenkt", "ek", "ev", "eg", "gbr", "se", "partg", "partgmbb"),
        *("ltd", "limited", "llc", "inc", "plc", "corp", "sarl", "sas", "sa", "srl", "spa"),
        *("bv", "nv", "sp", "z", "oo", "sro", "as", "aps", "ab", "oy"),
    ]
)
JOINING_WORDS = frozenset(["und", "and", "et"])
_NOT_A_LETTER = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\d+")


class Reason:
    """Why two contacts are taken for one: a code and the value they share."""

    EMAIL = "email"
    VAT_ID = "vat_id"
    PHONE = "phone"
    NAME_AND_POSTAL_CODE = "name_postal_code"
    NAME_AND_CITY = "name_city"
    SAME_NAME = "same_name"


@dataclass(slots=True)
class MatchProfile:
    """What the matcher compares of one contact (`profile_of` makes it)."""

    pk: int
    kind: str
    name: str  # every word of the name, legal form included
    core: str  # the name's words without legal form, sorted
    core_as_written: str  # the same words in their order
    legal_form: frozenset[str]
    prefixes: tuple[str, ...]  # the first letters of each of those words (blocking keys)
    postal_code: str  # "DE 80331", with the country
    city: str
    street: str  # the street's letters, abbreviated alike
    house_number: str
    vat_id: str
    emails: frozenset[str]
    phones: dict[str, str]  # phone key → the number as typed
    sort_name: str = ""


@lru_cache(maxsize=65536)
def name_words(text: str) -> tuple[str, ...]:
    """The words of a name folded for comparing: "Müller & Söhne e.K." → mueller, soehne, ek."""
    if not text:
        return ()
    spelled = fold(text.lower().translate(UMLAUTS))
    spelled = spelled.replace(".", "").replace("'", "").replace("’", "")
    return tuple(w for w in _NOT_A_LETTER.split(spelled) if w)


@lru_cache(maxsize=4096)
def is_legal_form(word: str) -> bool:
    """A word of a legal form, also mistyped by a letter ("GbmH", "GmbbH")."""
    if word in LEGAL_FORM_WORDS:
        return True
    return 3 <= len(word) <= 6 and OSA.distance(word, "gmbh", score_cutoff=1) <= 1


@lru_cache(maxsize=65536)
def _street_key(street: str) -> tuple[str, str]:
    words = name_words(street)
    # "Hauptstr. 5" and "Hauptstraße 5" alike: the letters, "straße" abbreviated, and the number.
    letters = _DIGITS.sub("", "".join(words)).replace("strasse", "str")
    number = _DIGITS.search(" ".join(words))
    return letters, number.group() if number else ""


def profile_of(
    values: Mapping[str, Any], *, pk: int = 0, person_emails: Iterable[str] = ()
) -> MatchProfile:
    """The profile of a contact given as field values (a model's fields, a form's data)."""
    get = values.get
    return profile_from_row(
        (
            pk,
            *(str(get(name) or "") for name in PROFILE_FIELDS[1:]),
        ),
        person_emails,
    )


# The values a profile is made of, in the order `profile_from_row` takes them.
PROFILE_FIELDS = (
    "id",
    "kind",
    "company_name",
    "first_name",
    "last_name",
    "billing_street",
    "billing_postal_code",
    "billing_city",
    "billing_country",
    "vat_id",
    "sort_name",
    *Contact.EMAIL_FIELDS,
    *Contact.PHONE_FIELDS,
)
_EMAILS = slice(11, 15)
_PHONES = slice(15, 21)


def profile_from_row(row: Sequence[Any], person_emails: Iterable[str] = ()) -> MatchProfile:
    """The profile of a contact from its values in the order of PROFILE_FIELDS (a database row:
    the duplicate finder makes 100,000 of them at a time)."""
    pk, kind, company, first, last, street, postal_code, city, country, vat_id, sort_name = row[:11]
    if kind == "person":
        name = _name_parts(f"{first or ''} {last or ''}", False)
    else:
        kind = "company"
        name = _name_parts(company or "", True)
    if postal_code:
        postal_code = f"{country or ''} {''.join(postal_code.split()).upper()}"
    emails = frozenset(
        e.strip().lower() if e.isascii() else _email_key(e)
        for e in (*row[_EMAILS], *person_emails)
        if e and not e.isspace()
    )
    phones: dict[str, str] = {}
    for typed in row[_PHONES]:
        if typed:
            typed = typed.strip()
            key = phone_key(typed)
            if len(key) >= PHONE_MIN_DIGITS and key not in phones:
                phones[key] = typed
    return MatchProfile(
        pk,
        kind,
        *name,
        postal_code or "",
        _city_key(city) if city else "",
        *(_street_key(street) if street else ("", "")),
        "".join(vat_id.split()).upper() if vat_id else "",
        emails,
        phones,
        sort_name or "",
    )


@lru_cache(maxsize=65536)
def _name_parts(text: str, company: bool) -> tuple[str, str, str, frozenset[str], tuple[str, ...]]:
    """name, core, core as written, legal form and blocking prefixes of a name (see the fields
    of MatchProfile). Names repeat (first and last names, chains' branches): kept once each."""
    words = name_words(text)
    if company:
        core_words = [w for w in words if not is_legal_form(w) and w not in JOINING_WORDS]
        legal_form = frozenset(w for w in words if is_legal_form(w))
    else:
        core_words, legal_form = list(words), frozenset()
    return (
        " ".join(words),
        " ".join(sorted(core_words)),
        " ".join(core_words),
        legal_form,
        tuple(dict.fromkeys(w[:4] for w in core_words)),
    )


@lru_cache(maxsize=16384)
def _city_key(city: str) -> str:
    return " ".join(name_words(city))


def _email_key(address: str) -> str:
    address = address.strip()
    return address.lower() if address.isascii() else canonical_email(address)


def names_alike(a: MatchProfile, b: MatchProfile) -> bool:
    """Whether the names are one, but for a typo or a spelling: their words sorted or as written."""
    if not a.core or not b.core:
        return False
    if a.core == b.core:
        return True
    for first, second in ((a.core, b.core), (a.core_as_written, b.core_as_written)):
        edits = Indel.distance(first, second, score_cutoff=MAX_NAME_EDITS)
        if edits <= MAX_NAME_EDITS and fuzz.ratio(first, second) >= NAME_SIMILARITY:
            return True
    return False


def pair_reasons(a: MatchProfile, b: MatchProfile) -> list[tuple[str, str]]:
    """Why `a` and `b` are probably one contact: (reason, the value they share) pairs, or []."""
    if a.vat_id and b.vat_id and a.vat_id != b.vat_id:
        return []  # two VAT IDs: two businesses, however alike the rest
    reasons: list[tuple[str, str]] = []
    if a.vat_id and a.vat_id == b.vat_id:
        reasons.append((Reason.VAT_ID, a.vat_id))
    shared_emails = a.emails & b.emails
    shared_phones = [typed for key, typed in a.phones.items() if key in b.phones]
    if (shared_emails or shared_phones) and not _set_apart(a, b):
        reasons += [(Reason.EMAIL, e) for e in sorted(shared_emails)]
        reasons += [(Reason.PHONE, typed) for typed in shared_phones]
    if a.kind == b.kind and (name := _name_reason(a, b)):
        reasons.append(name)
    return reasons


def _name_reason(a: MatchProfile, b: MatchProfile) -> tuple[str, str] | None:
    if not (a.postal_code or a.city) or not (b.postal_code or b.city):
        # Nothing to confirm the name by: only the very same name counts.
        return (Reason.SAME_NAME, "") if a.name and a.name == b.name else None
    same_postal_code = bool(a.postal_code) and a.postal_code == b.postal_code
    same_city = bool(a.city) and a.city == b.city
    if not (same_postal_code or same_city) or _streets_differ(a, b):
        return None
    if _legal_forms_differ(a, b) or not names_alike(a, b):
        return None
    if same_postal_code:
        return Reason.NAME_AND_POSTAL_CODE, a.postal_code.split(" ", 1)[-1]
    return Reason.NAME_AND_CITY, a.city


def _set_apart(a: MatchProfile, b: MatchProfile) -> bool:
    """Names nothing alike, at addresses known to differ."""
    if fuzz.ratio(a.core, b.core) >= NAMES_UNLIKE:
        return False
    if _streets_differ(a, b):
        return True
    if (a.postal_code or a.city) and (b.postal_code or b.city):
        same_postal_code = bool(a.postal_code) and a.postal_code == b.postal_code
        return not same_postal_code and a.city != b.city
    return False


def _legal_forms_differ(a: MatchProfile, b: MatchProfile) -> bool:
    """Two legal forms of which neither contains the other ("GmbH" and "KG", not "GmbH" and
    "GmbH & Co. KG"); a mistyped form counts as "GmbH"."""
    if not (a.legal_form and b.legal_form):
        return False
    first, second = _forms(a.legal_form), _forms(b.legal_form)
    return not (first <= second or second <= first)


def _forms(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w if w in LEGAL_FORM_WORDS else "gmbh" for w in words)


def _streets_differ(a: MatchProfile, b: MatchProfile) -> bool:
    if not (a.street and b.street):
        return False
    if a.house_number and b.house_number and a.house_number != b.house_number:
        return True
    return a.street != b.street and fuzz.ratio(a.street, b.street) < STREET_SIMILARITY
