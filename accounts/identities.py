"""One canonical form of an e-mail address, so that an identity is compared by equality.

Comparing addresses "without regard to case" in the database is not safe: PostgreSQL's
`UPPER('ı')` is `I`, so `alıce@a.test` matched `alice@a.test`, and an invitation for
`admin@vıctim.test` could take over `admin@victim.test`. Instead every address that names an
account or an invitation is brought to one form in Python and stored beside the address as
typed; logins, sign-ups, invitations, password resets and the login limits look it up with `=`.

The form: Unicode NFKC (full-width letters, the Kelvin sign, the long s and composed accents
become their plain letters), the local part case-folded, the domain IDNA-encoded and lower-cased
(`bücher.test` and `xn--bcher-kva.test` are one domain). Letters that are not the same letter
(dotless ı, Cyrillic а) stay different, so such an address is another identity altogether.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 254


def canonical_email(address: str) -> str:
    """The canonical form of `address` (which need not be valid: the result is only a key)."""
    address = unicodedata.normalize("NFKC", address.strip())
    local, at, domain = address.rpartition("@")
    if not at:
        return unicodedata.normalize("NFKC", address.casefold())
    # Case folding can produce sequences NFKC composes again (e.g. "İ" → "i̇").
    local = unicodedata.normalize("NFKC", local.casefold())
    return f"{local}@{canonical_domain(domain)}"


def tidy_email(address: str) -> str:
    """The address as typed, only tidied (NFKC, no surrounding space): where mail is sent."""
    return unicodedata.normalize("NFKC", address.strip())


def canonical_domain(domain: str) -> str:
    domain = domain.strip().rstrip(".")
    try:
        # Python's codec is IDNA 2003: nameprep maps case and compatibility characters too.
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        # Not a domain that can exist (empty label, too long): keep a stable, folded key.
        return unicodedata.normalize("NFKC", domain.casefold())
