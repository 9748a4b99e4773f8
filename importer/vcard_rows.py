"""One card → its values by Kontor's column keys, and the note's further lines.

The rules of what goes where are in `importer.vcards`' documentation; what has no field left
is collected under a heading ("Weitere Telefonnummern: …") in the language of the headers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contacts_app.vcard import guess_profile
from core.values import SALUTATIONS

from .vcard_reading import Card, Property

# What the note says of what it adds, translated once per file (not once per card).
WORDS = {
    "anniversary": _("Anniversary"),
    "assistant": _("Assistant"),
    "birthday": _("Birthday"),
    "categories": _("Categories"),
    "date": _("Date"),
    "department": _("Department"),
    "further_addresses": _("Further addresses"),
    "further_e_mail_addresses": _("Further e-mail addresses"),
    "further_phone_numbers": _("Further phone numbers"),
    "further_web_addresses": _("Further web addresses"),
    "gender": _("Gender"),
    "language": _("Language"),
    "manager": _("Manager"),
    "messengers": _("Messengers"),
    "name": _("Name"),
    "name_suffix": _("Name suffix"),
    "nickname": _("Nickname"),
    "position": _("Position"),
    "region": _("Region"),
    "related_names": _("Related names"),
    "spouse": _("Spouse"),
    "fax": _("fax"),
    "home": _("home"),
    "main": _("main number"),
    "mobile": _("mobile"),
    "other": _("other"),
    "pager": _("pager"),
    "work": _("work"),
}
# The contact file's columns a card fills, in the order of the table's headers; a key the
# contact target has no column for (a tags column, not there yet) is left out of the table.
KEYS = (
    *("company_name", "salutation", "title", "first_name", "last_name"),
    *("billing_supplement", "billing_street", "billing_postal_code", "billing_city"),
    "billing_country",
    *("phone_business", "phone_other", "phone_mobile", "phone_fax"),
    *("email_business", "email_other"),
    *("profile_website", "profile_blog", "profile_twitter", "profile_skype"),
    *("profile_linkedin", "profile_xing"),
    *("person1_salutation", "person1_first_name", "person1_last_name", "person1_position"),
    *("person1_email", "person1_phone", "person1_extension", "person1_mobile"),
    "tags",
    "note",
)
TAGS_KEY = "tags"

# Google gives every contact the category "myContacts" (its list of all contacts).
SYSTEM_CATEGORIES = frozenset({"myContacts"})
TYPE_WORDS = {"WORK": "work", "HOME": "home", "CELL": "mobile", "FAX": "fax", "PAGER": "pager"}
# Apple's own labels (`_$!<Work>!$_`), in the words of the note; others are the user's own.
APPLE_LABELS = {
    **{"Work": "work", "Home": "home", "Other": "other", "Main": "main", "Pager": "pager"},
    **{"Mobile": "mobile", "iPhone": "mobile", "HomeFAX": "fax", "WorkFAX": "fax"},
}
MOBILE_TYPES = frozenset({"CELL", "IPHONE", "MOBILE"})
# Properties that say nothing about the contact (or that Kontor reads with another line).
TECHNICAL = frozenset(
    {
        *("BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "KIND", "LABEL", "MAILER"),
        *("X-ADDRESSBOOKSERVER-KIND", "X-ADDRESSBOOKSERVER-MEMBER", "MEMBER"),
        *("SORT-STRING", "CLASS", "SOURCE", "NAME", "PROFILE", "TZ", "GEO", "CLIENTPIDMAP"),
        *("X-ABSHOWAS", "X-ABLABEL", "X-ABADR", "X-ABUID", "X-ABPERSON", "X-WAB-GENDER"),
        *("X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "X-MS-CARDPICTURE"),
        *("X-MS-IMADDRESS", "X-IMAGETYPE", "X-IMAGEHASH", "X-ANDROID-CUSTOM"),
    }
)
IM_PROPERTIES = {
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-TWITTER": "twitter",
    "X-LINKEDIN": "linkedin",
    "X-XING": "xing",
}


class CardRow:
    """One card's values by column key; `extras` collects the note's further lines."""

    def __init__(self, card: Card, words: dict[str, str], *, tags: bool = False) -> None:
        self.card, self.words, self.tags = card, words, tags
        self.cells: dict[str, str] = {}
        self.extras: dict[str, list[str]] = {}
        self.labels = card.labels()

    def put(self, keys: tuple[str, ...], value: str, extra: str, label: str = "") -> None:
        """`value` into the first free of `keys`, else into the note under `extra`."""
        for key in keys:
            if key in KEYS and not self.cells.get(key):
                self.cells[key] = value
                return
        self.add_to_note(extra, f"{value} ({label})" if label else value)

    def add_to_note(self, heading: str, value: str) -> None:
        if value:
            self.extras.setdefault(heading, []).append(value)

    def values(self) -> dict[str, str]:
        card = self.card
        family, given, additional, prefix, suffix = _name_parts(card)
        organization = card.first("ORG")
        org_parts = [p for p in organization.parts if p] if organization else []
        formatted = card.first("FN")
        formatted_name = formatted.plain if formatted else ""
        if not (family or given) and formatted_name and not org_parts:
            given, _sep, family = formatted_name.rpartition(" ")
        first = " ".join(part for part in (given, additional) if part)
        show_as = card.first("X-ABSHOWAS")
        kind = card.first("KIND")
        company = bool(org_parts) or bool(
            (show_as and show_as.plain.upper() == "COMPANY")
            or (kind and kind.plain.lower() == "org")
        )
        with_person = company and bool(family or given)
        if company:
            self.cells["company_name"] = org_parts[0] if org_parts else formatted_name
            if len(org_parts) > 1:
                self.add_to_note(self.words["department"], ", ".join(org_parts[1:]))
        if with_person:
            self.cells.update(
                person1_salutation=prefix,
                person1_first_name=first,
                person1_last_name=family or given,
            )
            if not family:
                self.cells["person1_first_name"] = ""
        elif not company:
            salutation, title = _salutation_and_title(prefix)
            self.cells.update(
                salutation=salutation, title=title, first_name=first, last_name=family
            )
        elif prefix or family or given:
            self.add_to_note(self.words["name"], " ".join(p for p in (prefix, given, family) if p))
        if suffix:
            self.add_to_note(self.words["name_suffix"], suffix)
        self._positions(with_person)
        self._emails(with_person)
        self._phones(with_person)
        self._addresses(company, with_person)
        self._profiles()
        self._rest()
        self.cells["note"] = self._note()
        return self.cells

    def _positions(self, with_person: bool) -> None:
        positions = [p.plain for p in (*self.card.all("TITLE"), *self.card.all("ROLE")) if p.plain]
        if with_person and positions:
            self.cells["person1_position"] = ", ".join(positions)
        else:
            for position in positions:
                self.add_to_note(self.words["position"], position)

    def _label(self, prop: Property) -> str:
        words = self.words
        if prop.group in self.labels:
            label = self.labels[prop.group]
            return words[APPLE_LABELS[label]] if label in APPLE_LABELS else label
        return ", ".join(words[TYPE_WORDS[t]] for t in sorted(prop.types) if t in TYPE_WORDS)

    def _emails(self, with_person: bool) -> None:
        emails = sorted(self.card.all("EMAIL"), key=lambda p: "PREF" not in p.types)
        heading = self.words["further_e_mail_addresses"]
        for index, prop in enumerate(emails):
            value = prop.plain
            if not value:
                continue
            if with_person and index == 0:
                self.cells["person1_email"] = value
                continue
            if with_person and "HOME" in prop.types:
                # The contact person's private address is none of the company's.
                self.add_to_note(heading, f"{value} ({self._label(prop)})")
                continue
            self.put(("email_business", "email_other"), value, heading, self._label(prop))

    def _phones(self, with_person: bool) -> None:
        phones = sorted(self.card.all("TEL"), key=lambda p: "PREF" not in p.types)
        heading = self.words["further_phone_numbers"]
        for prop in phones:
            number, _sep, extension = prop.plain.removeprefix("tel:").partition(";ext=")
            number = number.strip()
            if not number:
                continue
            types = prop.types
            label = self._label(prop)
            if types & MOBILE_TYPES:
                keys: tuple[str, ...] = ("phone_mobile", "phone_other")
                if with_person:
                    keys = ("person1_mobile", "phone_mobile", "phone_other")
            elif "FAX" in types:
                keys = ("phone_fax",)
            elif with_person and not types & {"WORK", "MAIN"}:
                keys = ("person1_phone", "phone_business", "phone_other")
            else:
                keys = ("phone_business", "phone_other")
                if with_person:
                    keys = ("phone_business", "person1_phone", "phone_other")
            if extension and keys[0] == "person1_phone" and not self.cells.get("person1_phone"):
                self.cells["person1_extension"] = extension.strip()
            elif extension:
                number = f"{number}-{extension.strip()}"
            self.put(keys, number, heading, label)

    def _addresses(self, company: bool, with_person: bool) -> None:
        addresses = [p for p in self.card.all("ADR") if any(p.parts)]
        if not addresses:
            return
        wanted = "WORK" if company else "HOME"

        def rank(prop: Property) -> tuple[bool, bool]:
            return (wanted not in prop.types, "PREF" not in prop.types)

        chosen = min(addresses, key=rank)
        box, extended, street, city, region, code, country = (chosen.parts + [""] * 7)[:7]
        self.cells.update(
            billing_supplement=", ".join(p for p in (extended, box) if p),
            billing_street=street,
            billing_postal_code=code,
            billing_city=city,
            billing_country=country,
        )
        if region:
            self.add_to_note(self.words["region"], region)
        for prop in addresses:
            if prop is not chosen:
                label = self._label(prop)
                text = _one_line_address(prop.parts)
                self.add_to_note(
                    self.words["further_addresses"], f"{text} ({label})" if label else text
                )

    def _profiles(self) -> None:
        heading = self.words["further_web_addresses"]
        for prop in self.card.all("URL"):
            url = prop.plain
            if url:
                kind, value = guess_profile(url)
                self.put((f"profile_{kind}",), value, heading, self._label(prop))
        for prop in self.card.all("X-SOCIALPROFILE"):
            service = _service(prop) or ""
            value = prop.plain
            user = (prop.params.get("X-USER") or [""])[0]
            if service in ("twitter", "x") and user:
                value = "@" + user.lstrip("@")
            kind = "twitter" if service == "x" else service
            if not value:
                continue
            if f"profile_{kind}" not in KEYS:
                kind, value = guess_profile(value)
            self.put((f"profile_{kind}",), value, heading, service)
        for prop in self.card.all("IMPP"):
            self._messenger(prop, _service(prop), prop.plain)
        for name, kind in IM_PROPERTIES.items():
            for prop in self.card.all(name):
                self._messenger(prop, kind, prop.plain)

    def _messenger(self, prop: Property, service: str | None, value: str) -> None:
        scheme, sep, rest = value.partition(":")
        if sep and scheme.lower() in ("skype", "x-apple", "xmpp", "aim", "msnim", "ymsgr"):
            service = service or scheme.lower()
            value = rest.split("?")[0]
        if not value:
            return
        if service and f"profile_{service}" in KEYS:
            self.put((f"profile_{service}",), value, self.words["messengers"], service)
        else:
            self.add_to_note(self.words["messengers"], f"{value} ({service})" if service else value)

    def _rest(self) -> None:
        dated = {
            "BDAY": self.words["birthday"],
            "ANNIVERSARY": self.words["anniversary"],
            "X-ANNIVERSARY": self.words["anniversary"],
            "X-ABDATE": self.words["date"],
            "NICKNAME": self.words["nickname"],
            "GENDER": self.words["gender"],
            "X-ABRELATEDNAMES": self.words["related_names"],
            "RELATED": self.words["related_names"],
            "X-ASSISTANT": self.words["assistant"],
            "X-MANAGER": self.words["manager"],
            "X-SPOUSE": self.words["spouse"],
            "LANG": self.words["language"],
        }
        handled = {"N", "FN", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "ADR", "URL", "NOTE"}
        handled |= {"X-SOCIALPROFILE", "IMPP", "CATEGORIES", *IM_PROPERTIES}
        for prop in self.card.properties:
            name = prop.name
            if name in handled or name in TECHNICAL or name.startswith("X-MS-OL-"):
                continue
            value = prop.text if name in ("NICKNAME", "LANG") else prop.plain
            if not value:
                continue
            if name in dated:
                label = self.labels.get(prop.group, "") if prop.group else ""
                self.add_to_note(dated[name], f"{value} ({label})" if label else value)
            else:
                self.add_to_note(name.title(), value)
        categories = [
            item
            for prop in self.card.all("CATEGORIES")
            for item in prop.items
            if item not in SYSTEM_CATEGORIES
        ]
        if categories and self.tags:
            self.cells[TAGS_KEY] = ", ".join(categories)
        elif categories:
            self.add_to_note(self.words["categories"], ", ".join(categories))

    def _note(self) -> str:
        notes = [p.plain for p in self.card.all("NOTE") if p.plain]
        for heading, values in self.extras.items():
            notes.append(f"{heading}: {'; '.join(values)}")
        return "\n".join(notes)


def _name_parts(card: Card) -> list[str]:
    name = card.first("N")
    parts = name.parts if name else []
    return (parts + [""] * 5)[:5]


def _salutation_and_title(prefix: str) -> tuple[str, str]:
    """ "Herr Dr." → ("Herr", "Dr."): the words Kontor knows as a salutation, and the rest."""
    words = prefix.split()
    salutation = [w for w in words if w.casefold() in SALUTATIONS]
    title = [w for w in words if w.casefold() not in SALUTATIONS]
    return " ".join(salutation), " ".join(title)


def _service(prop: Property) -> str | None:
    for key in ("X-SERVICE-TYPE", "SERVICE-TYPE"):
        if prop.params.get(key):
            return prop.params[key][0].strip().lower() or None
    types = prop.types - {"PREF", "WORK", "HOME", "OTHER"}
    return next(iter(sorted(types)), "").lower() or None


def _one_line_address(parts: list[str]) -> str:
    box, extended, street, city, region, code, country = (parts + [""] * 7)[:7]
    place = " ".join(p for p in (code, city) if p)
    return ", ".join(p for p in (box, extended, street, place, region, country) if p)
