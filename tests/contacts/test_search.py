"""Search: what it matches, how forgiving it is, filters, sorting, and the list page's answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.models import Contact
from contacts_app.selectors import ContactFilter, contact_list

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db


def names(organization, **filters) -> list[str]:
    return [c.display_name for c in contact_list(organization, ContactFilter(**filters))]


@pytest.fixture
def book(acme, globex):
    """A small address book for Acme, and a look-alike in Globex that must never show up."""
    make_company(
        acme,
        "Müller Maschinenbau GmbH",
        billing_city="München",
        email_business="info@mueller-maschinen.de",
        phone_business="+49 89 123456-0",
        persons=[
            {
                "first_name": "Jana",
                "last_name": "Schröder",
                "email": "jana.schroeder@mueller-maschinen.de",
                "mobile": "0171 2345678",
            },
            {"first_name": "Piotr", "last_name": "Łukasiewicz", "phone": "+48 22 555 01 02"},
        ],
    )
    make_person(
        acme,
        "Erika",
        "Mustermann",
        billing_city="Köln",
        email_private="erika@example.org",
        phone_mobile="0221 / 98 76 54",
    )
    make_company(
        acme,
        "Weiß & Söhne KG",
        is_customer=False,
        is_supplier=True,
        billing_city="Hamburg",
        email_office="kontakt@weiss-soehne.de",
    )
    make_company(acme, "Café Crème SARL", billing_city="Paris", phone_business="+33 1 42 68 53 00")
    make_company(globex, "Müller Maschinenbau GmbH", billing_city="München")


@pytest.mark.parametrize(
    "query",
    ["Müller", "muller", "mueller", "MÜLLER", "MUELLER", "maschinenbau", "MÜLLER maschinen"],
)
def test_it_finds_a_company_by_its_name_with_or_without_umlauts(acme, book, query):
    assert names(acme, query=query) == ["Müller Maschinenbau GmbH"]


@pytest.mark.parametrize("query", ["erika", "Mustermann", "mustermann erika", "MUSTER"])
def test_it_finds_a_person_by_first_and_last_name(acme, book, query):
    assert names(acme, query=query) == ["Erika Mustermann"]


@pytest.mark.parametrize("query", ["Schröder", "schroeder", "schroder", "Jana", "lukasiewicz"])
def test_it_finds_a_company_by_its_contact_persons_names(acme, book, query):
    assert names(acme, query=query) == ["Müller Maschinenbau GmbH"]


def test_it_finds_contacts_by_customer_and_supplier_number(acme, book):
    assert names(acme, query="10000") == ["Müller Maschinenbau GmbH"]
    assert names(acme, query="10001") == ["Erika Mustermann"]
    assert names(acme, query="70000") == ["Weiß & Söhne KG"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("info@mueller", "Müller Maschinenbau GmbH"),
        ("jana.schroeder@", "Müller Maschinenbau GmbH"),
        ("erika@example.org", "Erika Mustermann"),
        ("KONTAKT@weiss", "Weiß & Söhne KG"),
    ],
)
def test_it_finds_contacts_by_any_e_mail_address(acme, book, query, expected):
    assert names(acme, query=query) == [expected]


@pytest.mark.parametrize(
    "query",
    [
        "089123456",
        "089 123456",
        "089/12 34 56",
        "(089) 123-456",
        "+49 89 123456",
        "+49 (0)89 12 34 56",
        "0049 89 123456",
        "+4989123",
        "123456",
        "0171 2345678",  # a contact person's mobile
        "+49 171 234",
        "+48 22 555",  # a contact person's phone, not German
    ],
)
def test_it_finds_phone_numbers_ignoring_spaces_punctuation_and_country_code(acme, book, query):
    assert names(acme, query=query) == ["Müller Maschinenbau GmbH"]


def test_it_finds_a_national_number_by_its_international_form(acme, book):
    assert names(acme, query="+49 221 987654") == ["Erika Mustermann"]
    assert names(acme, query="0221-987654") == ["Erika Mustermann"]
    assert names(acme, query="0033 1 42 68") == ["Café Crème SARL"]


@pytest.mark.parametrize("query", ["münchen", "Munchen", "muenchen", "köln", "koeln", "hamburg"])
def test_it_finds_contacts_by_city(acme, book, query):
    assert len(names(acme, query=query)) == 1


@pytest.mark.parametrize("query", ["weiss", "Weiß", "sohne", "söhne", "cafe creme", "CAFÉ"])
def test_it_folds_sharp_s_and_accents(acme, book, query):
    assert len(names(acme, query=query)) == 1


def test_it_needs_every_word_of_the_query_to_match(acme, book):
    assert names(acme, query="müller köln") == []
    assert names(acme, query="müller münchen") == ["Müller Maschinenbau GmbH"]


def test_it_finds_short_fragments(acme, book):
    assert "Müller Maschinenbau GmbH" in names(acme, query="mü")


def test_it_treats_wildcards_as_plain_text(acme, book):
    assert names(acme, query="%") == names(acme)
    assert names(acme, query="münchen_%|") == ["Müller Maschinenbau GmbH"]


def test_it_finds_nothing_of_another_organization(acme, globex, book):
    assert names(globex, query="jana") == []
    assert names(globex, query="münchen") == ["Müller Maschinenbau GmbH"]


def test_it_finds_a_contact_by_its_new_name_after_an_edit(acme, book):
    contact = Contact.objects.get(organization=acme, company_name="Café Crème SARL")
    services.update_contact(
        contact=contact,
        data={"company_name": "Boulangerie Dupont"},
        persons=[{"first_name": "Zoë", "last_name": "Dupont"}],
        by=None,
        expected_version=contact.version,
    )
    assert names(acme, query="boulangerie") == ["Boulangerie Dupont"]
    assert names(acme, query="zoe") == ["Boulangerie Dupont"]
    assert names(acme, query="café") == []


def test_it_hides_archived_contacts_unless_asked(acme, book):
    contact = Contact.objects.get(organization=acme, company_name="Café Crème SARL")
    services.set_archived(contact=contact, archived=True, by=None)
    assert "Café Crème SARL" not in names(acme)
    assert names(acme, query="café") == []
    assert names(acme, archived=True) == ["Café Crème SARL"]
    assert names(acme, archived=True, query="crème") == ["Café Crème SARL"]


def test_it_filters_by_role(acme, book):
    assert names(acme, role="supplier") == ["Weiß & Söhne KG"]
    assert "Weiß & Söhne KG" not in names(acme, role="customer")
    assert len(names(acme, role="customer")) == 3


def test_it_filters_by_kind(acme, book):
    assert names(acme, kind="person") == ["Erika Mustermann"]
    assert names(acme, kind="company") == [
        "Café Crème SARL",
        "Müller Maschinenbau GmbH",
        "Weiß & Söhne KG",
    ]


def test_it_sorts_by_name_number_city_and_last_change(acme, book):
    assert names(acme, sort="name") == [
        "Café Crème SARL",
        "Müller Maschinenbau GmbH",
        "Erika Mustermann",  # persons sort by last name
        "Weiß & Söhne KG",
    ]
    assert names(acme, sort="number") == [
        "Müller Maschinenbau GmbH",  # 10000
        "Erika Mustermann",  # 10001
        "Café Crème SARL",  # 10002
        "Weiß & Söhne KG",  # supplier 70000 only
    ]
    assert names(acme, sort="city") == [
        "Weiß & Söhne KG",  # Hamburg
        "Erika Mustermann",  # Köln
        "Müller Maschinenbau GmbH",  # München
        "Café Crème SARL",  # Paris
    ]
    erika = Contact.objects.get(organization=acme, last_name="Mustermann")
    services.update_contact(contact=erika, data={}, by=None, expected_version=erika.version)
    assert names(acme, sort="-changed")[0] == "Erika Mustermann"


def test_the_list_page_searches_through_the_query_in_the_url(alice_client, book):
    response = alice_client.get(reverse("contacts:list"), {"q": "schroeder"})
    assert response.status_code == 200
    assert "Müller Maschinenbau GmbH" in response.text
    assert "Erika Mustermann" not in response.text
    assert 'value="schroeder"' in response.text  # the box keeps the query after a reload
    contact = Contact.objects.get(company_name__startswith="Müller", organization__slug="acme")
    assert f'href="{reverse("contacts:detail", args=[contact.pk])}"' in response.text


def test_the_list_page_answers_htmx_with_just_the_results(alice_client, book):
    response = alice_client.get(
        reverse("contacts:list"), {"q": "erika"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Erika Mustermann" in response.text
    assert "<html" not in response.text
    assert 'data-testid="contact-results"' in response.text


def test_the_list_page_says_when_nothing_matches(alice_client, book):
    response = alice_client.get(
        reverse("contacts:list"), {"q": "zzzz"}, headers={"accept-language": "en"}
    )
    assert "No contact matches." in response.text


def test_the_empty_list_offers_to_add_or_import(alice_client):
    response = alice_client.get(reverse("contacts:list"), headers={"accept-language": "en"})
    assert "Your address book is empty." in response.text
    assert reverse("contacts:create") in response.text
    assert reverse("importer:start") in response.text


def test_the_list_page_shows_25_contacts_a_page(alice_client, acme):
    for n in range(30):
        make_company(acme, f"Firma {n:02d}")
    first = alice_client.get(reverse("contacts:list"))
    assert first.text.count("data-contact-row") == 25
    second = alice_client.get(reverse("contacts:list"), {"page": 2})
    assert second.text.count("data-contact-row") == 5
    assert "Firma 29" in second.text


def test_it_combines_short_and_long_words(acme, book):
    assert names(acme, query="mü münchen") == ["Müller Maschinenbau GmbH"]
    assert names(acme, query="ja schröder") == ["Müller Maschinenbau GmbH"]
    assert names(acme, query="xy schröder") == []


@pytest.mark.parametrize("sort", ["name", "number", "city", "-changed"])
def test_it_lists_the_same_whether_the_matches_are_few_or_many(acme, book, sort, monkeypatch):
    from contacts_app import search

    for n in range(30):
        make_person(acme, "Hans", f"Maier {n:02d}", billing_city=f"Stadt {n % 7}")
    few = names(acme, query="maier", sort=sort)
    monkeypatch.setattr(search, "FEW_MATCHES", 0)  # too many: walk the name index
    assert names(acme, query="maier", sort=sort) == few
    assert len(few) == 30


def test_the_first_letters_find_every_word_that_starts_so(acme):
    make_company(acme, "Müller Maschinenbau GmbH")
    make_company(acme, "Hamburger Mühle", billing_city="München")
    make_company(acme, "Bäckerei Müller")
    make_company(acme, "Lemuel Trading")  # "mu" inside a word
    make_person(acme, "Mustafa", "Yilmaz")
    make_person(acme, "Anna", "Mudersbach")
    everyone_with_mu = [  # in the order of their names: the last name first
        "Bäckerei Müller",
        "Hamburger Mühle",
        "Anna Mudersbach",
        "Müller Maschinenbau GmbH",
        "Mustafa Yilmaz",
    ]
    assert names(acme, query="mü") == everyone_with_mu
    assert names(acme, query="M") == everyone_with_mu
    assert names(acme, query="mu gm") == ["Müller Maschinenbau GmbH"]
    # Each letter more narrows the list down, never widens it.
    assert names(acme, query="müh") == ["Hamburger Mühle"]
    assert names(acme, query="mül") == ["Bäckerei Müller", "Müller Maschinenbau GmbH"]
    assert names(acme, query="mus") == ["Mustafa Yilmaz"]
    assert names(acme, query="uel") == []


def test_a_word_inside_a_name_or_an_address_is_found_by_its_start(acme):
    make_person(acme, "Anna-Lena", "Schmidt", email_business="al@kanzlei-schmidt.de")
    assert names(acme, query="le") == ["Anna-Lena Schmidt"]
    assert names(acme, query="kanz") == ["Anna-Lena Schmidt"]
    assert names(acme, query="@kanzlei") == ["Anna-Lena Schmidt"]
    assert names(acme, query="ena") == []


@pytest.mark.parametrize("sort", ["name", "number", "city", "-changed"])
def test_the_list_page_orders_alike_however_it_finds_the_page(
    alice_client, acme, sort, monkeypatch
):
    import re

    from contacts_app import search, selectors

    for n in range(30):
        make_person(acme, "Hans", f"Maier {n:02d}", billing_city=f"Stadt {n % 7}")
    url = reverse("contacts:list")

    def shown() -> list[str]:
        html = alice_client.get(url, {"q": "maier", "sort": sort}).text
        return re.findall(r"data-row-link>([^<]*)</a>", html)

    sorted_matches = shown()
    monkeypatch.setattr(selectors, "SORT_MATCHES_UP_TO", -1)  # PostgreSQL: walk the index
    monkeypatch.setattr(search, "FEW_MATCHES", 0)  # SQLite: walk the index
    assert shown() == sorted_matches
    assert len(sorted_matches) == 25
    expected = names(acme, query="maier", sort=sort)[:25]
    assert sorted_matches == expected
