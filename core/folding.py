"""Text folded for comparing and searching: lower case, without accents, umlauts also spelled out.

Contacts' and products' search text, sort names and look-alike checks all fold text here, so
"Müller" finds "muller" and "mueller" wherever Kontor compares names.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
FOLD_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"}
)


def fold(text: str) -> str:
    """Lower case, ß as ss, and letters without their accents: "Müller" → "muller"."""
    if text.isascii():  # most names, every e-mail address: nothing to take apart
        return text.lower()
    return _fold_unicode(text)


@lru_cache(maxsize=16384)
def _fold_unicode(text: str) -> str:
    # Names and cities repeat: an import of thousands of rows folds "München" many times.
    text = text.lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Letters that do not decompose (ł, ø, đ, æ, ı) get their usual Latin stand-ins; lower case
    # again, as styled letters (𝐇, Ｈ) only become plain capitals by decomposing.
    return stripped.translate(FOLD_LETTERS).lower()


def fold_variants(text: str) -> str:
    """The folded text, plus the spelled-out umlaut form when it differs."""
    if text.isascii():
        return text.lower()
    return _fold_variants_unicode(text)


@lru_cache(maxsize=16384)
def _fold_variants_unicode(text: str) -> str:
    folded = fold(text)
    spelled = fold(text.lower().translate(UMLAUTS))
    return folded if spelled == folded else f"{folded} {spelled}"
