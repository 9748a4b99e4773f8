"""The search answers the same on SQLite and on PostgreSQL.

CI runs the suite twice, on SQLite (FTS5 trigram index) and on PostgreSQL (pg_trgm index). Every
query below names the exact contacts it must find, so both runs passing means both databases
agree. A pure-Python reading of the same rules, over the same data, checks many more queries.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts_app import services
from contacts_app.models import Contact
from contacts_app.search import UMLAUTS, filter_by_query, fold, phone_key, query_terms
from contacts_app.selectors import ContactFilter, contact_list

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Record:
    name: str  # the display name the list shows
    data: dict
    persons: list[dict] = field(default_factory=list)
    archived: bool = False


def company(name: str, **data) -> dict:
    return {"kind": "company", "company_name": name, **data}


def person(first: str, last: str, **data) -> dict:
    return {"kind": "person", "first_name": first, "last_name": last, **data}


SUPPLIER = {"is_customer": False, "is_supplier": True}

# Numbers are given, not allocated, so that the expectations below can name them.
BOOK = [
    Record(
        "Bäckerei Mueller OHG",
        company(
            "Bäckerei Mueller OHG",
            customer_number=10000,
            billing_street="Domstraße 4",
            billing_city="Würzburg",
            email_business="bestellung@baeckerei-mueller.de",
            phone_business="0931/55 44 33",
        ),
        [
            {
                "first_name": "Jürgen",
                "last_name": "Weiß",
                "email": "j.weiss@baeckerei-mueller.de",
                "mobile": "+49 (0)160 9876543",
            }
        ],
    ),
    Record(
        "Möller & Söhne KG",
        company(
            "Möller & Söhne KG",
            **SUPPLIER,
            supplier_number=70000,
            billing_city="Lübeck",
            email_office="office@moeller-soehne.de",
            phone_office="+49 451 70 80 90",
        ),
    ),
    Record(
        "Łukasz Wałęsa",
        person(
            "Łukasz",
            "Wałęsa",
            customer_number=10001,
            billing_city="Kraków",
            billing_country="PL",
            email_private="lukasz@example.pl",
            phone_mobile="+48 600 123 456",
        ),
    ),
    Record(
        "Zoë Müller",
        person(
            "Zoë",
            "Müller",
            is_supplier=True,
            customer_number=10002,
            supplier_number=70001,
            billing_city="Düsseldorf",
            email_private="zoe.mueller@example.de",
            phone_private="0211 123 45 67",
        ),
    ),
    Record(
        "Café de la Gare",
        company(
            "Café de la Gare",
            customer_number=10003,
            billing_city="Genève",
            billing_country="CH",
            email_business="bonjour@cafe-gare.ch",
            phone_business="+41 22 345 67 89",
        ),
        [{"first_name": "Émile", "last_name": "Dubois"}],
    ),
    Record(
        "Straßenbau Groß GmbH",
        company(
            "Straßenbau Groß GmbH",
            customer_number=10004,
            billing_city="Köln",
            email_business="info@strassenbau-gross.de",
            phone_business="0221 98765-0",
        ),
        [{"first_name": "Ole", "last_name": "Øvergaard", "phone": "0221 98765-12"}],
    ),
    Record(
        "Mueller Logistik AG",
        company(
            "Mueller Logistik AG",
            customer_number=10005,
            billing_city="Zürich",
            billing_country="CH",
            email_business="dispo@mueller-logistik.ch",
            phone_business="+41 44 555 66 77",
        ),
    ),
    Record(
        "Schröder IT-Service",
        company(
            "Schröder IT-Service",
            customer_number=10006,
            billing_city="Hamburg",
            email_business="hilfe@schroeder-it.de",
            phone_business="040 7654321",
        ),
        archived=True,
    ),
    Record(
        "Dr. Anna-Lena Schmidt",
        person(
            "Anna-Lena",
            "Schmidt",
            title="Dr.",
            customer_number=10007,
            billing_city="Frankfurt am Main",
            email_business="al.schmidt@kanzlei-schmidt.de",
            phone_business="069 / 1234-5678",
        ),
    ),
    Record(
        "Meier & Co.",
        company(
            "Meier & Co.",
            **SUPPLIER,
            supplier_number=70002,
            billing_city="Berlin",
            phone_fax="030 / 12 34 56 78",
        ),
        [
            {"first_name": "Hans", "last_name": "Maier", "email": "hans@meier-co.de"},
            {"first_name": "Ömer", "last_name": "Yılmaz", "mobile": "0152 3344556"},
        ],
    ),
    Record(
        "Quelle Versand eG",
        company(
            "Quelle Versand eG",
            customer_number=10008,
            billing_city="Fürth",
            has_shipping_address=True,
            shipping_city="Nürnberg",
            email_business="service@quelle.example",
        ),
    ),
    Record(
        "Max Mustermann",
        person(
            "Max",
            "Mustermann",
            customer_number=10009,
            billing_street="Hauptstraße 1",
            billing_city="Berlin",
            email_private="max@mustermann.example",
            phone_mobile="0170 1234567",
        ),
    ),
]
ACTIVE = {r.name for r in BOOK if not r.archived}


@pytest.fixture
def book(acme, globex):
    """Acme's address book, and look-alikes in Globex that must never show up."""
    for record in BOOK:
        contact = services.create_contact(
            organization=acme, data=record.data, persons=record.persons, by=None
        )
        if record.archived:
            services.set_archived(contact=contact, archived=True, by=None)
    for record in BOOK[1:4]:
        services.create_contact(organization=globex, data=record.data, by=None)
    assert {c.display_name for c in acme.contacts.all()} == {r.name for r in BOOK}


def found(organization, query: str, **filters) -> set[str]:
    names = [c.display_name for c in contact_list(organization, ContactFilter(query, **filters))]
    assert len(names) == len(set(names)), f"{query!r} lists a contact twice"
    return set(names)


QUERIES = [
    # Names, whichever way umlauts are typed; "müller" is not "mueller" the other way round.
    ("müller", {"Zoë Müller"}),
    ("muller", {"Zoë Müller"}),
    ("MÜLLER", {"Zoë Müller"}),
    ("mueller", {"Bäckerei Mueller OHG", "Zoë Müller", "Mueller Logistik AG"}),
    ("MUELLER", {"Bäckerei Mueller OHG", "Zoë Müller", "Mueller Logistik AG"}),
    ("möller", {"Möller & Söhne KG"}),
    ("moeller", {"Möller & Söhne KG"}),
    ("moller", {"Möller & Söhne KG"}),
    ("baeckerei", {"Bäckerei Mueller OHG"}),
    ("backerei", {"Bäckerei Mueller OHG"}),
    ("söhne", {"Möller & Söhne KG"}),
    # ß, accents and letters that do not decompose.
    ("weiß", {"Bäckerei Mueller OHG"}),
    ("WEISS", {"Bäckerei Mueller OHG"}),
    ("straße", {"Straßenbau Groß GmbH"}),  # street names are not searched
    ("gross", {"Straßenbau Groß GmbH"}),
    ("café", {"Café de la Gare"}),
    ("CAFE", {"Café de la Gare"}),
    ("émile", {"Café de la Gare"}),
    ("lukasz", {"Łukasz Wałęsa"}),
    ("Wałęsa", {"Łukasz Wałęsa"}),
    ("walesa", {"Łukasz Wałęsa"}),
    ("øvergaard", {"Straßenbau Groß GmbH"}),
    ("overgaard", {"Straßenbau Groß GmbH"}),
    ("zoë", {"Zoë Müller"}),
    ("oemer", {"Meier & Co."}),
    ("Yılmaz", {"Meier & Co."}),
    ("anna-lena", {"Dr. Anna-Lena Schmidt"}),
    ("mAx MuStErMaNn", {"Max Mustermann"}),
    # Cities, billing and shipping.
    ("würzburg", {"Bäckerei Mueller OHG"}),
    ("wuerzburg", {"Bäckerei Mueller OHG"}),
    ("düsseldorf", {"Zoë Müller"}),
    ("duesseldorf", {"Zoë Müller"}),
    ("genève", {"Café de la Gare"}),
    ("krakow", {"Łukasz Wałęsa"}),
    ("nürnberg", {"Quelle Versand eG"}),
    ("berlin", {"Meier & Co.", "Max Mustermann"}),
    ("hamburg", set()),  # archived
    ("mai", {"Dr. Anna-Lena Schmidt", "Meier & Co."}),  # Frankfurt am Main, Hans Maier
    ("ueller", set()),  # inside a word, not at its start
    ("lena", {"Dr. Anna-Lena Schmidt"}),  # a word after a hyphen
    ("mueller.de", {"Bäckerei Mueller OHG"}),  # after the hyphen of an e-mail address
    # Every word must occur somewhere.
    ("mueller zürich", {"Mueller Logistik AG"}),
    ("müller zürich", set()),
    ("mueller düsseldorf", {"Zoë Müller"}),
    ("anna lena", {"Dr. Anna-Lena Schmidt"}),
    ("hans maier", {"Meier & Co."}),
    ("köln groß", {"Straßenbau Groß GmbH"}),
    ("bäckerei hamburg", set()),
    # One or two letters: a word that starts so, wherever it is (name, city, e-mail, person).
    ("q", {"Quelle Versand eG"}),
    ("x", set()),
    ("mu", {"Bäckerei Mueller OHG", "Zoë Müller", "Mueller Logistik AG", "Max Mustermann"}),
    ("MÜ", {"Bäckerei Mueller OHG", "Zoë Müller", "Mueller Logistik AG", "Max Mustermann"}),
    ("sc", {"Dr. Anna-Lena Schmidt"}),  # Schröder IT-Service is archived
    ("zo", {"Zoë Müller"}),  # a first name
    ("ju", {"Bäckerei Mueller OHG"}),  # a contact person's
    ("ß", set()),
    ("89", {"Café de la Gare"}),  # digits anywhere: +41 22 345 67 89
    ("mü gare", set()),
    ("ja", set()),
    # Customer and supplier numbers.
    ("10002", {"Zoë Müller"}),
    ("70001", {"Zoë Müller"}),
    ("10006", set()),  # archived
    (
        "1000",
        {
            "Bäckerei Mueller OHG",
            "Łukasz Wałęsa",
            "Zoë Müller",
            "Café de la Gare",
            "Straßenbau Groß GmbH",
            "Mueller Logistik AG",
            "Dr. Anna-Lena Schmidt",
            "Quelle Versand eG",
            "Max Mustermann",
        },
    ),
    ("7000", {"Möller & Söhne KG", "Zoë Müller", "Meier & Co."}),
    # Phone numbers, with or without spaces, punctuation and country code.
    ("0931 554433", {"Bäckerei Mueller OHG"}),
    ("0931/55 44 33", {"Bäckerei Mueller OHG"}),
    ("(0931) 55-44-33", {"Bäckerei Mueller OHG"}),
    ("+49 931 554433", {"Bäckerei Mueller OHG"}),
    ("0049 931 55 44 33", {"Bäckerei Mueller OHG"}),
    ("55 44", {"Bäckerei Mueller OHG"}),
    ("0160 9876543", {"Bäckerei Mueller OHG"}),  # a contact person's mobile
    ("+49 160 98765", {"Bäckerei Mueller OHG"}),
    ("98765", {"Bäckerei Mueller OHG", "Straßenbau Groß GmbH"}),
    ("0221 98765-12", {"Straßenbau Groß GmbH"}),
    ("+48 600 123", {"Łukasz Wałęsa"}),
    ("0048 600 123 456", {"Łukasz Wałęsa"}),
    ("+41 22 345 67 89", {"Café de la Gare"}),
    ("022 345 67 89", {"Café de la Gare"}),
    ("0041 44 555", {"Mueller Logistik AG"}),
    ("069/1234-5678", {"Dr. Anna-Lena Schmidt"}),
    ("030 12345678", {"Meier & Co."}),
    ("+49 170 1234567", {"Max Mustermann"}),
    (
        "123 45 67",
        {"Zoë Müller", "Dr. Anna-Lena Schmidt", "Meier & Co.", "Max Mustermann"},
    ),
    ("040 7654321", set()),  # archived
    # E-mail addresses and their fragments.
    ("bestellung@baeckerei-mueller.de", {"Bäckerei Mueller OHG"}),
    ("j.weiss@", {"Bäckerei Mueller OHG"}),  # a contact person's
    ("Office@Moeller", {"Möller & Söhne KG"}),
    ("info@", {"Straßenbau Groß GmbH"}),
    ("@example", {"Łukasz Wałęsa", "Zoë Müller"}),
    ("example.de", {"Zoë Müller"}),
    (".example", {"Quelle Versand eG", "Max Mustermann"}),
    (".ch", {"Café de la Gare", "Mueller Logistik AG"}),
    ("kanzlei-schmidt.de", {"Dr. Anna-Lena Schmidt"}),
    # LIKE wildcards and the field separator are plain text.
    ("%", ACTIVE),
    ("_|", ACTIVE),
    ("muel%", {"Bäckerei Mueller OHG", "Zoë Müller", "Mueller Logistik AG"}),
    ("muel%ler", set()),  # two words, and no word starts with "ler"
    ("zürich_%", {"Mueller Logistik AG"}),
]


@pytest.mark.parametrize("query, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_it_finds_exactly_these_contacts(acme, book, query, expected):
    assert found(acme, query) == expected


@pytest.mark.parametrize(
    "query, filters, expected",
    [
        ("schröder", {"archived": True}, {"Schröder IT-Service"}),
        ("schroeder-it", {"archived": True}, {"Schröder IT-Service"}),
        ("040 765", {"archived": True}, {"Schröder IT-Service"}),
        ("mueller", {"role": "supplier"}, {"Zoë Müller"}),
        ("mueller", {"kind": "company"}, {"Bäckerei Mueller OHG", "Mueller Logistik AG"}),
        ("berlin", {"role": "customer"}, {"Max Mustermann"}),
    ],
)
def test_it_searches_within_the_filters(acme, book, query, filters, expected):
    assert found(acme, query, **filters) == expected


def test_it_finds_nothing_of_another_organization(globex, book):
    assert found(globex, "mueller") == {"Zoë Müller"}
    assert found(globex, "bäckerei") == set()
    assert found(globex, "10000") == set()


def test_the_list_page_shows_what_the_search_finds(alice_client, book):
    response = alice_client.get(reverse("contacts:list"), {"q": "MUELLER"})
    assert response.status_code == 200
    links = re.findall(r"data-row-link>([^<]*)</a>", response.text)
    assert sorted(html.unescape(name) for name in links) == [
        "Bäckerei Mueller OHG",
        "Mueller Logistik AG",
        "Zoë Müller",
    ]


def test_the_search_is_backed_by_the_databases_own_index(acme, book):
    # Unsorted, so that no index on a sort column competes with the search index.
    contacts = filter_by_query(
        Contact.objects.filter(organization=acme), "mueller", organization=acme
    )
    contacts = contacts.order_by().values("id")
    if connection.vendor == "sqlite":
        assert "contacts_contact_fts" in str(contacts.query)
        return
    # Enough contacts for the planner to weigh the indexes as it would in use.
    Contact.objects.bulk_create(
        Contact(
            organization=acme,
            company_name=f"Firma {n}",
            display_name=f"Firma {n}",
            sort_name=f"firma {n}",
            search_text=f"firma {n} | kunde{n}@example.de | {n:07d}",
            customer_number=10100 + n,
        )
        for n in range(20000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
        # Still a small table: reading all of it would be the planner's choice.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = contacts.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "contacts_contact_live_trgm" in plan, plan


def test_letters_styled_with_unicode_symbols_are_found_by_plain_ones(acme):
    # Such names come pasted from social media profiles.
    services.create_contact(organization=acme, data=company("𝐇𝐚𝐚𝐫𝐬𝐭𝐮𝐝𝐢𝐨 𝐋𝐮𝐧𝐚"), by=None)
    assert found(acme, "haarstudio luna") == {"𝐇𝐚𝐚𝐫𝐬𝐭𝐮𝐝𝐢𝐨 𝐋𝐮𝐧𝐚"}


@pytest.mark.parametrize(
    ("name", "data", "query"),
    [
        ("Yılmaz Gıda", {}, "yilmaz gida"),
        ("Œuvre Atelier", {}, "oeuvre"),
        ("Mühle Nord", {"email_business": "info@mühle.de"}, "info@mühle"),
        ("Mühle Süd", {"email_business": "post@mühle-süd.de"}, "muhle-sud.de"),
        ("Quoted KG", {}, "\u201equoted\u201c"),
        ("Quoted AG", {}, '"quoted ag"'),
    ],
)
def test_letters_without_decomposition_and_quotes_are_handled(acme, name, data, query):
    services.create_contact(organization=acme, data=company(name, **data), by=None)
    assert found(acme, query) == {name}


# The rules once more, in plain Python: every word of the query occurs in a name, a city or a
# number, folded as the search folds them, in an e-mail address or in a phone number.


def searchable(record: Record) -> list[str]:
    data = record.data
    names = [data.get("company_name", ""), data.get("first_name", ""), data.get("last_name", "")]
    names += [f"{p.get('first_name', '')} {p['last_name']}" for p in record.persons]
    places = [data.get("billing_city", "")]
    if data.get("has_shipping_address"):
        places.append(data.get("shipping_city", ""))
    emails = [data.get(f, "") for f in Contact.EMAIL_FIELDS]
    emails += [p.get("email", "") for p in record.persons]
    phones = [data.get(f, "") for f in Contact.PHONE_FIELDS]
    phones += [p.get(f, "") for p in record.persons for f in ("phone", "mobile")]
    texts = []
    for text in names + places:
        texts += [fold(text), fold(text.lower().translate(UMLAUTS))]
    texts += [fold(email) for email in emails]
    code = {"DE": "49", "AT": "43", "CH": "41"}.get(data.get("billing_country") or "DE")
    for phone in filter(None, phones):
        texts += [phone.lower(), re.sub(r"\D", "", phone), phone_key(phone)]
        # Its international form after "00": as written with "+", or a national number's
        # (a leading 0) with its country's code instead of the 0.
        if phone.strip().startswith("+"):
            texts.append("00" + re.sub(r"\D", "", phone.replace("(0)", "")))
        elif code and phone.strip().startswith("0") and not phone.strip().startswith("00"):
            texts.append("00" + code + re.sub(r"\D", "", phone)[1:])
    texts += [str(data[f]) for f in ("customer_number", "supplier_number") if f in data]
    return [text for text in texts if text]


def word_starts(text: str) -> list[str]:
    """Every place in `text` where a word starts: its beginning, after a space, and after a
    character that is neither letter nor digit."""
    return [
        text[i:]
        for i in range(len(text))
        if text[i].isalnum() and (i == 0 or not text[i - 1].isalnum())
    ]


def occurs(term: str, record: Record) -> bool:
    texts = searchable(record)
    if term[:1].isalnum() and not term.isdigit():
        return any(start.startswith(term) for text in texts for start in word_starts(text))
    return any(term in text for text in texts)


def reference(query: str, *, archived: bool = False) -> set[str]:
    terms = query_terms(query)
    return {
        record.name
        for record in BOOK
        if record.archived == archived and all(occurs(term, record) for term in terms)
    }


@pytest.mark.parametrize("query, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_the_plain_python_rules_agree_with_the_table(query, expected):
    assert reference(query) == expected


FRAGMENT_SOURCES = sorted(
    {text for record in BOOK for text in (record.name, record.data.get("billing_city", ""))}
    | {text for record in BOOK for text in searchable(record)}
)


@st.composite
def fragments(draw) -> str:
    text = draw(st.sampled_from(FRAGMENT_SOURCES))
    start = draw(st.integers(0, max(len(text) - 1, 0)))
    piece = text[start : start + draw(st.integers(1, 8))]
    return draw(st.sampled_from([piece, piece.upper(), piece.title()]))


queries = st.one_of(
    st.lists(fragments(), min_size=1, max_size=3).map(" ".join),
    st.text(alphabet="aeilmnorsuzäöüßéł0123456789 +-/()@.%_|", min_size=1, max_size=10),
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries, archived=st.booleans())
def test_the_indexed_search_finds_what_the_plain_python_rules_find(acme, book, query, archived):
    assert found(acme, query, archived=archived) == reference(query, archived=archived)


def test_two_letters_at_a_word_start_are_looked_up_in_the_search_index(acme, book):
    # A space and two letters are a trigram: the index finds the words that start so.
    Contact.objects.bulk_create(
        Contact(
            organization=acme,
            company_name=f"{stem} {n}",
            display_name=f"{stem} {n}",
            sort_name=f"{stem.lower()} {n}",
            search_text=f" {stem.lower()} {n}",
        )
        for n in range(300)
        for stem in ("Adler", "Becker", "Fischer", "Koch", "Meyer", "Schulz", "Wagner", "Weber")
    )
    contacts = filter_by_query(
        Contact.objects.filter(organization=acme), "Mü", organization=acme, at_word_start=True
    )
    sql, params = contacts.order_by().values("id").query.sql_with_params()
    if connection.vendor == "sqlite":
        assert "contacts_contact_fts" in sql
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "contacts_contact_live_trgm" in plan, plan


# Typing one more letter never shows more contacts: the search narrows as one types. (Words
# of letters; digits are a phone number's as long as nothing else is typed, found anywhere as
# one run of digits, and a letter after them starts words again. Typing a phone number narrows
# too, sign by sign, below.)

LETTERS = "abcdeilmnorsuäöüßé"
typed_text = st.text(alphabet=LETTERS + " -.@", min_size=1, max_size=6)
WORD_SOURCES = [text for text in FRAGMENT_SOURCES if not any(c.isdigit() for c in text)]


@st.composite
def word_fragments(draw) -> str:
    text = draw(st.sampled_from(WORD_SOURCES))
    start = draw(st.integers(0, max(len(text) - 1, 0)))
    piece = text[start : start + draw(st.integers(1, 8))]
    return draw(st.sampled_from([piece, piece.upper(), piece.title()]))


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.one_of(word_fragments(), typed_text), letter=st.sampled_from(LETTERS))
def test_one_more_letter_never_finds_more_in_the_book(acme, book, query, letter):
    assert found(acme, query + letter) <= found(acme, query), (query, letter)


# The book's phone numbers, and how else one would type them: a national number with "+49 "
# or "0049 " instead of its 0, an international one with "00" instead of "+".
BOOK_PHONES = sorted(
    {
        phone
        for record in BOOK
        for phone in [record.data.get(f, "") for f in Contact.PHONE_FIELDS]
        + [p.get(f, "") for p in record.persons for f in ("phone", "mobile")]
        if phone and "(" not in phone and not record.archived
    }
)


def typed_forms(phone: str) -> list[str]:
    forms = [phone]
    if phone.startswith("+"):
        forms.append("00" + phone[1:])
    elif phone.startswith("0") and not phone.startswith("00"):
        forms += ["+49 " + phone[1:], "0049 " + phone[1:]]
    return forms


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(phone=st.sampled_from(BOOK_PHONES), form=st.integers(0, 2))
def test_typing_a_phone_number_sign_by_sign_never_finds_more(acme, book, phone, form):
    forms = typed_forms(phone)
    typed = forms[form % len(forms)]
    shown = [found(acme, typed[:n]) for n in range(1, len(typed) + 1)]
    for n, (before, after) in enumerate(zip(shown, shown[1:], strict=False), start=2):
        assert after <= before, (typed[: n - 1], typed[:n], after - before)
    assert shown[-1], typed  # and the whole number finds its contact


name_words = st.text(alphabet=LETTERS + "-", min_size=1, max_size=8).filter(
    lambda w: any(c.isalpha() for c in w)
)
names = st.lists(name_words, min_size=1, max_size=3).map(" ".join)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    companies=st.lists(names, min_size=1, max_size=4, unique=True),
    person_names=st.lists(names, max_size=2),
    typed=st.text(alphabet=LETTERS + " ", min_size=1, max_size=5),
)
def test_one_more_letter_never_finds_more_among_generated_names(
    acme, companies, person_names, typed
):
    created = [
        services.create_contact(
            organization=acme,
            data=company(name),
            persons=[{"first_name": "", "last_name": p} for p in person_names],
            by=None,
        )
        for name in companies
    ]
    try:
        # As typed, letter by letter: each list is within the one before.
        shown = [found(acme, typed[:n]) for n in range(1, len(typed) + 1)]
        for before, after in zip(shown, shown[1:], strict=False):
            assert after <= before, typed
        # The first letters of a word of the name find it.
        word = companies[0].replace("-", " ").split()[0]
        assert created[0].display_name in found(acme, word[:2])
    finally:
        Contact.objects.filter(pk__in=[c.pk for c in created]).delete()
