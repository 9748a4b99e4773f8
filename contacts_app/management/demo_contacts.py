"""Realistic demo contacts: German and international companies and persons, fast in bulk.

`seed_contacts()` writes with `bulk_create` in batches; the derived fields (display name, sort
key, search text) come from `services.refresh_derived_fields` and the numbers from
`services.allocate_numbers`, so seeded contacts look exactly like typed-in ones. SQLite's search
index is kept by triggers, PostgreSQL's is an ordinary index, so neither needs a separate step.
The same seed gives the same contacts, and every VAT ID, tax number, postal code and phone
number in them passes Kontor's checks (`validators`, `phones`), as a typed-in one must.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from stdnum.iso7064 import mod_11_10

from accounts.models import Organization, User
from contacts_app import services
from contacts_app.models import Contact, ContactPerson, Note, NumberSequence, WebProfile
from contacts_app.validators import TAX_NUMBER_LAYOUTS

BATCH_SIZE = 2000

FIRST_NAMES = [
    "Jürgen", "Björn", "Sören", "Jörg", "Günther", "Uwe", "Klaus", "Stefan", "Thomas", "Michael",
    "Andreas", "Matthias", "Jan", "Lukas", "Felix", "Maximilian", "Paul", "Leon", "Tobias", "Timo",
    "Sabine", "Ursula", "Monika", "Petra", "Claudia", "Anja", "Katrin", "Julia", "Lena", "Hannah",
    "Änne", "Gülay", "Małgorzata", "Zoë", "Chloé", "François", "Łukasz", "José", "Søren", "Ingrid",
    "Marco", "Giulia", "Sophie", "Emma", "Mia", "Noah", "Ali", "Ayşe", "Dmitri", "Katarzyna",
    "Erika", "Heike", "Birgit", "Renate", "Dirk", "Frank", "Ralf", "Sven", "Nils", "Jana",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Köhler", "Herrmann", "König", "Walter",
    "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Möller", "Weiß", "Jung", "Hahn", "Vogel",
    "Keller", "Günther", "Berger", "Winkler", "Roth", "Böhm", "Krämer", "Jäger", "Groß",
    "Bergmann", "Kühn", "Pfeiffer", "Schubert", "Friedrich", "Frank", "Beck", "Lorenz", "Baumann",
    "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Winter", "Kraus", "Martin", "Vogt",
    "Stein", "Otto", "Sommer", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf",
    "Schulte", "Dietrich", "Ziegler", "Kuhn", "Pohl", "Engel", "Horn", "Busch", "Thomas",
    "Voigt", "Sauer", "Arnold", "Wolff", "Schumacher", "Ernst", "Lindner", "Marx", "Kunz",
    "Dubois", "Rossi", "García", "Kowalski", "Nowak", "Jansen", "de Vries", "Andersson",
    "Novák", "Horváth", "O'Brien", "Papadopoulos", "Yılmaz", "Łukasiewicz", "Nielsen", "Bianchi",
    "Moreau", "Fernández", "Wiśniewski", "Dvořák", "Kaya", "Demir", "Petrović", "Ivanova",
]  # fmt: skip
# Surnames are long-tailed: besides the common ones, compounds like "Westerkamp" or "Lindhoff".
NAME_STEMS = [
    "Acker", "Adler", "Alten", "Amsel", "Bach", "Baum", "Birken", "Blumen", "Brück", "Dorn",
    "Eck", "Eich", "Eisen", "Falken", "Fels", "Finken", "Gold", "Grün", "Hagen", "Hain",
    "Hassel", "Heide", "Hilde", "Hoch", "Hollen", "Iser", "Kalten", "Kirch", "Klee", "Korn",
    "Kreutz", "Linden", "Löwen", "Mahl", "Mer", "Mohren", "Moos", "Nieder", "Ober", "Oster",
    "Rein", "Ried", "Rosen", "Sand", "Schön", "Sieg", "Sonnen", "Stock", "Tannen", "Ulm",
    "Vahl", "Wald", "Warten", "Wester", "Wilden", "Wittgen", "Zell", "Zwick",
]  # fmt: skip
NAME_ENDINGS = [
    "mann", "er", "berg", "hoff", "feld", "bach", "hauer", "meier", "inger", "brink", "kamp",
    "stedt", "haus", "bauer", "ler", "schmidt", "wald", "rieder", "rich", "hagen", "beck",
]  # fmt: skip
TRADES = [
    "Maschinenbau", "Elektrotechnik", "Holzbau", "Dachdeckerei", "Bäckerei", "Metzgerei",
    "Logistik", "Spedition", "Software", "Steuerberatung", "Druckerei", "Gartenbau",
    "Sanitär & Heizung", "Autohaus", "Immobilien", "Feinkost", "Getränkehandel", "Werbeagentur",
    "Büroeinrichtung", "Metallbau", "Reinigungsservice", "Zahnarztpraxis", "Architekten",
    "Versicherungsmakler", "Medizintechnik", "Kunststofftechnik", "Optik", "Blumen",
]  # fmt: skip
BRANDS = [
    "Nordlicht", "Alpenblick", "Rheintal", "Sonnenschein", "Elbufer", "Schwarzwald", "Hanse",
    "Isar", "Spreewald", "Bodensee", "Weserbergland", "Eifel", "Havel", "Zugspitze", "Allgäu",
]  # fmt: skip
GERMAN_FORMS = ["GmbH", "GmbH", "GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "OHG", "UG"]
POSITIONS = [
    "Geschäftsführung", "Einkauf", "Buchhaltung", "Vertrieb", "Inhaber", "Inhaberin",
    "Projektleitung", "Assistenz der Geschäftsführung", "Lager", "IT", "Head of Sales",
]  # fmt: skip
STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstraße", "Lindenstraße", "Kirchstraße",
    "Waldstraße", "Ringstraße", "Am Markt", "Mühlenweg", "Königsallee", "Friedrichstraße",
    "Schillerstraße", "Goethestraße", "Industriestraße", "Birkenweg", "Am Sandtorkai", "Marktplatz",
]  # fmt: skip
# city, postal code, phone area code (national, without 0)
GERMAN_CITIES = [
    ("Berlin", "10115", "30"), ("Hamburg", "20095", "40"), ("München", "80331", "89"),
    ("Köln", "50667", "221"), ("Frankfurt am Main", "60311", "69"), ("Stuttgart", "70173", "711"),
    ("Düsseldorf", "40213", "211"), ("Leipzig", "04109", "341"), ("Dortmund", "44135", "231"),
    ("Essen", "45127", "201"), ("Bremen", "28195", "421"), ("Dresden", "01067", "351"),
    ("Hannover", "30159", "511"), ("Nürnberg", "90402", "911"), ("Bonn", "53111", "228"),
    ("Münster", "48143", "251"), ("Mannheim", "68159", "621"), ("Karlsruhe", "76133", "721"),
    ("Augsburg", "86150", "821"), ("Kiel", "24103", "431"), ("Aachen", "52062", "241"),
    ("Freiburg im Breisgau", "79098", "761"), ("Lübeck", "23552", "451"),
    ("Mainz", "55116", "6131"),
    ("Erfurt", "99084", "361"), ("Rostock", "18055", "381"), ("Würzburg", "97070", "931"),
    ("Göttingen", "37073", "551"), ("Regensburg", "93047", "941"), ("Saarbrücken", "66111", "681"),
    ("Osnabrück", "49074", "541"), ("Lüneburg", "21335", "4131"), ("Tübingen", "72070", "7071"),
]  # fmt: skip
# The Land of each city, for its tax numbers' format.
CITY_LANDS = {
    "Berlin": "Berlin", "Hamburg": "Hamburg", "München": "Bayern", "Köln": "Nordrhein-Westfalen",
    "Frankfurt am Main": "Hessen", "Stuttgart": "Baden-Württemberg",
    "Düsseldorf": "Nordrhein-Westfalen", "Leipzig": "Sachsen", "Dortmund": "Nordrhein-Westfalen",
    "Essen": "Nordrhein-Westfalen", "Bremen": "Bremen", "Dresden": "Sachsen",
    "Hannover": "Niedersachsen", "Nürnberg": "Bayern", "Bonn": "Nordrhein-Westfalen",
    "Münster": "Nordrhein-Westfalen", "Mannheim": "Baden-Württemberg",
    "Karlsruhe": "Baden-Württemberg", "Augsburg": "Bayern", "Kiel": "Schleswig-Holstein",
    "Aachen": "Nordrhein-Westfalen", "Freiburg im Breisgau": "Baden-Württemberg",
    "Lübeck": "Schleswig-Holstein", "Mainz": "Rheinland-Pfalz", "Erfurt": "Thüringen",
    "Rostock": "Mecklenburg-Vorpommern", "Würzburg": "Bayern", "Göttingen": "Niedersachsen",
    "Regensburg": "Bayern", "Saarbrücken": "Saarland", "Osnabrück": "Niedersachsen",
    "Lüneburg": "Niedersachsen", "Tübingen": "Baden-Württemberg",
}  # fmt: skip
# The digit some Länder's tax numbers start with (Hessen's 0FF/BBB/UUUUP, …).
TAX_NUMBER_LEADS = {
    "Brandenburg": "0", "Hessen": "0", "Mecklenburg-Vorpommern": "0", "Saarland": "0",
    "Sachsen": "2", "Sachsen-Anhalt": "1", "Thüringen": "1",
}  # fmt: skip
# country, city, postal code, phone prefix, company form, e-mail top-level domain
FOREIGN_CITIES = [
    ("AT", "Wien", "1010", "+43 1", "GmbH", "at"), ("AT", "Graz", "8010", "+43 316", "GmbH", "at"),
    ("CH", "Zürich", "8001", "+41 44", "AG", "ch"), ("CH", "Basel", "4051", "+41 61", "AG", "ch"),
    ("FR", "Paris", "75001", "+33 1", "SARL", "fr"), ("FR", "Lyon", "69001", "+33 4", "SAS", "fr"),
    ("NL", "Amsterdam", "1012 AB", "+31 20", "B.V.", "nl"),
    ("BE", "Bruxelles", "1000", "+32 2", "SA", "be"),
    ("PL", "Kraków", "31-000", "+48 12", "Sp. z o.o.", "pl"),
    ("CZ", "Praha", "110 00", "+420 2", "s.r.o.", "cz"),
    ("IT", "Milano", "20121", "+39 02", "S.r.l.", "it"),
    ("ES", "Madrid", "28001", "+34 91", "S.L.", "es"),
    ("DK", "København", "1050", "+45 33", "ApS", "dk"),
    ("GB", "London", "SW1A 1AA", "+44 20", "Ltd", "co.uk"),
]  # fmt: skip
# How many digits follow each foreign prefix, the first of them 2 to 8: the lengths the
# countries' numbering plans have for these areas. London's are from the range the regulator
# keeps for fiction (020 7946 0xxx).
SUBSCRIBER_DIGITS = {
    "+43 1": 7, "+43 316": 6, "+41 44": 7, "+41 61": 7, "+33 1": 8, "+33 4": 8, "+31 20": 7,
    "+32 2": 7, "+48 12": 7, "+420 2": 8, "+39 02": 8, "+34 91": 7, "+45 33": 6,
}  # fmt: skip
FREEMAIL = ["gmail.com", "web.de", "gmx.de", "t-online.de", "posteo.de", "outlook.com"]
NOTES = [
    "Möchte Angebote nur per E-Mail.",
    "Rückruf vereinbart – bitte vormittags anrufen.",
    "Zahlt zuverlässig, Skonto wird genutzt.",
    "Messekontakt: Interesse an der neuen Produktlinie.",
    "Prefers calls in the morning.",
    "Rahmenvertrag läuft Ende des Jahres aus.",
    "Lieferadresse abweichend: Tor 3, Anlieferung nur bis 14 Uhr.",
    "Weihnachtskarte schicken.",
    "Ansprechpartner wechselt im Sommer in Elternzeit.",
    "Asked for a quote in English.",
]
SALUTATIONS = {"female": "Frau", "male": "Herr"}
FEMALE = {
    "Sabine", "Ursula", "Monika", "Petra", "Claudia", "Anja", "Katrin", "Julia", "Lena", "Hannah",
    "Änne", "Gülay", "Małgorzata", "Zoë", "Chloé", "Ingrid", "Giulia", "Sophie", "Emma", "Mia",
    "Ayşe", "Katarzyna", "Erika", "Heike", "Birgit", "Renate", "Jana",
}  # fmt: skip


UMLAUTS: dict[str, str | int | None] = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def ascii_slug(text: str, separator: str = "") -> str:
    """ "Müller & Söhne" → "muellersoehne": how such names end up in e-mail addresses."""
    text = text.lower().translate(str.maketrans(UMLAUTS))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(c for c in word if c.isalnum()) for word in text.split()]
    return separator.join(w for w in words if w)


@dataclass
class DemoContact:
    contact: Contact
    persons: list[ContactPerson] = field(default_factory=list)
    profiles: list[WebProfile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class DemoContactMaker:
    """Makes one plausible contact after another from a seeded random generator."""

    def __init__(self, organization: Organization, seed: int) -> None:
        self.organization = organization
        self.rng = random.Random(seed)
        self.serial = 0

    def make(self) -> DemoContact:
        self.serial += 1
        rng = self.rng
        demo = self._company() if rng.random() < 0.7 else self._person()
        contact = demo.contact
        # 60 % customers, 32 % suppliers, 8 % both.
        role = rng.random()
        contact.is_customer = role < 0.68
        contact.is_supplier = role >= 0.60
        contact.archived = rng.random() < 0.03
        if rng.random() < 0.25:
            demo.notes = rng.sample(NOTES, rng.randint(1, 2))
        return demo

    def _place(self, contact: Contact, foreign: bool) -> tuple[str, str, str]:
        """Fill the address; returns the phone prefix, e-mail top-level domain, company form."""
        rng = self.rng
        if foreign:
            country, city, postal_code, prefix, form, tld = rng.choice(FOREIGN_CITIES)
        else:
            city, postal_code, area = rng.choice(GERMAN_CITIES)
            country, tld, form = "DE", "de", rng.choice(GERMAN_FORMS)
            prefix = rng.choice([f"+49 {area}", f"0{area}"])
        contact.billing_street = f"{rng.choice(STREETS)} {rng.randint(1, 180)}"
        contact.billing_postal_code = postal_code
        contact.billing_city = city
        contact.billing_country = country
        return prefix, tld, form

    def _phone(self, prefix: str) -> str:
        rng = self.rng
        if prefix == "+44 20":
            number = f"79460{rng.randint(0, 999):03d}"
        elif prefix in SUBSCRIBER_DIGITS:
            digits = SUBSCRIBER_DIGITS[prefix]
            number = str(rng.randint(2 * 10 ** (digits - 1), 9 * 10 ** (digits - 1) - 1))
        else:
            # German numbers: the plan has subscriber numbers of 6 to 8 digits in every area.
            number = str(rng.randint(100000, 99999999))
        style = rng.random()
        if style < 0.4:
            return f"{prefix} {number}"
        if style < 0.7:
            return f"{prefix} {number[:3]} {number[3:]}"
        if prefix.startswith("0"):
            return f"{prefix}/{number}"
        return f"{prefix}-{number}"

    def _mobile(self, contact: Contact) -> str:
        """A German mobile number; with +49 for a contact abroad, where 0… would be a local one."""
        rng = self.rng
        network = rng.choice(["151", "152", "160", "170", "171", "172", "176", "177"])
        # 015x numbers have 8 digits after the network's code, the older ones 7 or 8.
        low = 10000000 if network.startswith("15") else 1000000
        prefix = rng.choice(["0", "+49 "]) if contact.billing_country == "DE" else "+49 "
        return prefix + f"{network} {rng.randint(low, 99999999)}"

    def _vat_id(self) -> str:
        digits = str(self.rng.randint(10000000, 99999999))
        return f"DE{digits}{mod_11_10.calc_check_digit(digits)}"

    def _tax_number(self, land: str) -> str:
        """A number in the Land's written form, as `validators.validate_tax_number` stores it."""
        layout = TAX_NUMBER_LAYOUTS[land][0]
        lead = TAX_NUMBER_LEADS.get(land, "")
        free = sum(layout) - len(lead)
        digits = lead + f"{self.rng.randrange(10**free):0{free}d}"
        groups, start = [], 0
        for length in layout:
            groups.append(digits[start : start + length])
            start += length
        return "/".join(groups)

    def _last_name(self) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(LAST_NAMES)
        return self.rng.choice(NAME_STEMS) + self.rng.choice(NAME_ENDINGS)

    def _name(self) -> tuple[str, str, str]:
        first = self.rng.choice(FIRST_NAMES)
        gender = "female" if first in FEMALE else "male"
        return SALUTATIONS[gender], first, self._last_name()

    def _company(self) -> DemoContact:
        rng = self.rng
        foreign = rng.random() < 0.15
        contact = Contact(organization=self.organization, kind=Contact.Kind.COMPANY)
        prefix, tld, form = self._place(contact, foreign)
        style = rng.random()
        if style < 0.4:
            name = f"{self._last_name()} {rng.choice(TRADES)} {form}"
        elif style < 0.7:
            name = f"{rng.choice(BRANDS)} {rng.choice(TRADES)} {form}"
        else:
            name = f"{self._last_name()} & {self._last_name()} {form}"
        # Real address books have look-alikes; the serial keeps domains apart.
        contact.company_name = name
        domain = f"{ascii_slug(name.rsplit(' ', 1)[0], '-')[:40]}-{self.serial}.{tld}"
        contact.email_business = f"{rng.choice(['info', 'kontakt', 'office', 'hallo'])}@{domain}"
        if rng.random() < 0.3:
            contact.email_office = f"rechnungen@{domain}"
        contact.phone_business = self._phone(prefix)
        if rng.random() < 0.3:
            contact.phone_fax = self._phone(prefix)
        if not foreign and rng.random() < 0.6:
            contact.vat_id = self._vat_id()
        if not foreign and rng.random() < 0.5:
            contact.tax_number = self._tax_number(CITY_LANDS[contact.billing_city])
        demo = DemoContact(contact)
        for index in range(rng.choice([1, 1, 2, 2, 3])):
            salutation, first, last = self._name()
            demo.persons.append(
                ContactPerson(
                    salutation=salutation,
                    title=rng.choice(["", "", "", "", "Dr."]),
                    first_name=first,
                    last_name=last,
                    position=rng.choice(POSITIONS),
                    email=f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}",
                    phone=contact.phone_business,
                    phone_extension=str(rng.randint(10, 399)) if rng.random() < 0.7 else "",
                    mobile=self._mobile(contact) if rng.random() < 0.4 else "",
                    is_primary=index == 0,
                )
            )
        if rng.random() < 0.7:
            demo.profiles.append(WebProfile(kind="website", value=f"https://www.{domain}"))
        if rng.random() < 0.2:
            slug = ascii_slug(name, "-")
            kind = rng.choice(["linkedin", "xing"])
            url = {
                "linkedin": f"https://www.linkedin.com/company/{slug}",
                "xing": f"https://www.xing.com/pages/{slug}",
            }[kind]
            demo.profiles.append(WebProfile(kind=kind, value=url))
        return demo

    def _person(self) -> DemoContact:
        rng = self.rng
        contact = Contact(organization=self.organization, kind=Contact.Kind.PERSON)
        prefix, _tld, _form = self._place(contact, rng.random() < 0.1)
        contact.salutation, contact.first_name, contact.last_name = self._name()
        contact.title = rng.choice(["", "", "", "", "", "Dr.", "Prof."])
        local = f"{ascii_slug(contact.first_name)}.{ascii_slug(contact.last_name)}{self.serial}"
        contact.email_private = f"{local}@{rng.choice(FREEMAIL)}"
        if rng.random() < 0.7:
            contact.phone_mobile = self._mobile(contact)
        if rng.random() < 0.5:
            contact.phone_private = self._phone(prefix)
        demo = DemoContact(contact)
        if rng.random() < 0.1:
            handle = ascii_slug(contact.first_name + contact.last_name)[:15]
            demo.profiles.append(WebProfile(kind="twitter", value=f"@{handle}"))
        return demo


def _take_numbers(organization: Organization, role: str, wanted: int) -> list[int]:
    """Up to `wanted` numbers; fewer once the role's range runs out."""
    if wanted == 0:
        return []
    try:
        return services.allocate_numbers(organization=organization, role=role, count=wanted)
    except services.NumberRangeExhausted:
        sequence = NumberSequence.objects.get(organization=organization, role=role)
        left = services.NUMBER_RANGES[NumberSequence.Role(role)][1][1] - sequence.last_value
        if left <= 0:
            return []
        try:
            return services.allocate_numbers(organization=organization, role=role, count=left)
        except services.NumberRangeExhausted:
            return []


def _write_batch(organization: Organization, batch: list[DemoContact], author: User | None) -> int:
    """Write one batch; returns how many contacts lack a number because a range ran out."""
    contacts = [d.contact for d in batch]
    customers = [c for c in contacts if c.is_customer]
    suppliers = [c for c in contacts if c.is_supplier]
    numbers = _take_numbers(organization, NumberSequence.Role.CUSTOMER, len(customers))
    for contact, number in zip(customers, numbers, strict=False):
        contact.customer_number = number
    supplier_numbers = _take_numbers(organization, NumberSequence.Role.SUPPLIER, len(suppliers))
    for contact, number in zip(suppliers, supplier_numbers, strict=False):
        contact.supplier_number = number
    for demo in batch:
        demo.contact.created_by = demo.contact.updated_by = author
        services.refresh_derived_fields(demo.contact, demo.persons)
    Contact.objects.bulk_create(contacts)
    persons, profiles, notes = [], [], []
    for demo in batch:
        for person in demo.persons:
            person.contact_id = demo.contact.pk
            persons.append(person)
        for profile in demo.profiles:
            profile.contact_id = demo.contact.pk
            profiles.append(profile)
        notes += [Note(contact_id=demo.contact.pk, text=t, author=author) for t in demo.notes]
    ContactPerson.objects.bulk_create(persons)
    WebProfile.objects.bulk_create(profiles)
    Note.objects.bulk_create(notes)
    return sum(
        1
        for c in contacts
        if (c.is_customer and not c.customer_number) or (c.is_supplier and not c.supplier_number)
    )


def seed_contacts(
    organization: Organization,
    count: int,
    *,
    seed: int = 1,
    author: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `count` demo contacts to `organization`; returns how many lack a number.

    An organization has room for 60,000 customer and 30,000 supplier numbers; contacts beyond
    that are still created (a benchmark wants 100,000), just without the number of that role.
    """
    maker = DemoContactMaker(organization, seed)
    unnumbered = 0
    done = 0
    while done < count:
        size = min(BATCH_SIZE, count - done)
        batch = [maker.make() for _ in range(size)]
        with transaction.atomic():
            unnumbered += _write_batch(organization, batch, author)
        done += size
        if progress:
            progress(done)
    return unnumbered
