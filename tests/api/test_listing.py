"""The contact list as lexoffice's clients read it: pages, the envelope, the filters."""

from __future__ import annotations

import pytest

from contacts_app.models import Contact, ContactPerson

from .helpers import make_contact

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts"
ENVELOPE = {
    "content",
    "first",
    "last",
    "totalPages",
    "totalElements",
    "numberOfElements",
    "size",
    "number",
    "sort",
}


def names(response) -> list[str]:
    return [
        c["company"]["name"] if "company" in c else c["person"]["lastName"]
        for c in response.json()["content"]
    ]


@pytest.fixture
def seven(acme):
    return [make_contact(acme, f"Firma {letter}") for letter in "ABCDEFG"]


def test_the_envelope_has_lexoffices_fields(api, seven):
    body = api.get(URL, {"size": 3}).json()

    assert set(body) == ENVELOPE
    assert (body["first"], body["last"]) == (True, False)
    assert (body["totalPages"], body["totalElements"]) == (3, 7)
    assert (body["numberOfElements"], body["size"], body["number"]) == (3, 3, 0)
    assert body["sort"][-1] == {
        "property": "id",
        "direction": "ASC",
        "ignoreCase": False,
        "nullHandling": "NATIVE",
        "ascending": True,
    }


def test_pages_count_from_zero(api, seven):
    first, last = api.get(URL, {"size": 3, "page": 0}), api.get(URL, {"size": 3, "page": 2})

    assert names(first) == ["Firma A", "Firma B", "Firma C"]
    assert names(last) == ["Firma G"]
    assert (last.json()["first"], last.json()["last"], last.json()["numberOfElements"]) == (
        False,
        True,
        1,
    )


def test_a_page_beyond_the_last_is_empty(api, seven):
    body = api.get(URL, {"size": 3, "page": 9}).json()

    assert body["content"] == [] and body["totalElements"] == 7 and body["last"] is True


def test_the_size_is_25_unless_given_and_at_most_250(api, seven):
    assert api.get(URL).json()["size"] == 25
    assert api.get(URL, {"size": 250}).status_code == 200
    too_big = api.get(URL, {"size": 251})
    assert too_big.status_code == 400
    assert too_big.json()["details"][0]["field"] == "size"
    assert api.get(URL, {"page": -1}).status_code == 400


def test_results_beyond_the_10000th_are_there(api, acme, django_assert_max_num_queries):
    from contacts_app.services import refresh_derived_fields

    contacts = []
    for index in range(10_010):
        contact = Contact(
            organization=acme, company_name=f"Firma {index:05d}", customer_number=None
        )
        refresh_derived_fields(contact, [])
        contacts.append(contact)
    Contact.objects.bulk_create(contacts, batch_size=2000)

    body = api.get(URL, {"size": 250, "page": 40}).json()

    assert body["numberOfElements"] == 10
    assert names_of(body)[-1] == "Firma 10009"


def names_of(body) -> list[str]:
    return [c["company"]["name"] for c in body["content"]]


def test_contacts_come_in_the_order_they_were_made_archived_ones_too(api, acme):
    from contacts_app.services import set_archived

    make_contact(acme, "Zeta AG")
    set_archived(contact=make_contact(acme, "Alt AG"), archived=True, by=None)
    make_contact(acme, "Beta AG")

    body = api.get(URL).json()

    assert names_of(body) == ["Zeta AG", "Alt AG", "Beta AG"]
    assert [c["archived"] for c in body["content"]] == [False, True, False]


def test_the_name_filter_ignores_case_and_knows_both_wildcards(api, acme):
    for name in ("Müller GmbH", "Mueller KG", "Möller AG", "Schmidt"):
        make_contact(acme, name)

    assert names(api.get(URL, {"name": "müller"})) == ["Müller GmbH"]
    assert names(api.get(URL, {"name": "MÜLLER"})) == ["Müller GmbH"]
    assert names(api.get(URL, {"name": "m_ller"})) == ["Müller GmbH", "Möller AG"]
    assert names(api.get(URL, {"name": "m%ller"})) == ["Müller GmbH", "Mueller KG", "Möller AG"]
    assert names(api.get(URL, {"name": "gmbh"})) == ["Müller GmbH"]


def test_a_percent_sign_and_underscore_are_wildcards_a_backslash_is_not(api, acme):
    make_contact(acme, "Back\\slash AG")
    make_contact(acme, "Backslash AG")

    assert names(api.get(URL, {"name": "back\\s"})) == ["Back\\slash AG"]


def test_the_email_filter_looks_through_the_contact_and_its_persons(api, acme):
    shop = make_contact(acme, "Shop GmbH", email_office="kasse@shop.example")
    from contacts_app.services import create_contact

    create_contact(
        organization=acme,
        by=None,
        data={"kind": "company", "company_name": "Other GmbH"},
        persons=[{"last_name": "Weber", "email": "weber@shop.example"}],
    )
    make_contact(acme, "Fremd GmbH", email_business="info@fremd.example")

    assert names(api.get(URL, {"email": "shop.example"})) == ["Shop GmbH", "Other GmbH"]
    assert names(api.get(URL, {"email": "KASSE@%"})) == ["Shop GmbH"]
    assert shop.pk


def test_the_name_filter_finds_a_persons_first_and_last_name(api, acme):
    from contacts_app.services import create_contact

    create_contact(
        organization=acme,
        by=None,
        data={"kind": "person", "first_name": "Anna", "last_name": "Schäfer", "title": "Dr."},
    )

    assert names(api.get(URL, {"name": "anna sch"})) == ["Schäfer"]
    assert names(api.get(URL, {"name": "SCHÄF"})) == ["Schäfer"]
    assert names(api.get(URL, {"name": "a%f_r"})) == ["Schäfer"]


def test_text_filters_need_three_characters(api, acme):
    response = api.get(URL, {"name": "mü", "email": "ab"})

    assert response.status_code == 400
    assert {d["field"] for d in response.json()["details"]} == {"name", "email"}


def test_the_number_and_role_filters(api, acme):
    customer = make_contact(acme, "Kunde GmbH")
    make_contact(acme, "Lieferant GmbH", is_customer=False, is_supplier=True)
    both = make_contact(acme, "Beides GmbH", is_supplier=True)

    assert names(api.get(URL, {"number": str(customer.customer_number)})) == ["Kunde GmbH"]
    assert names(api.get(URL, {"number": str(both.supplier_number)})) == ["Beides GmbH"]
    assert names(api.get(URL, {"vendor": "true"})) == ["Lieferant GmbH", "Beides GmbH"]
    assert names(api.get(URL, {"customer": "false"})) == ["Lieferant GmbH"]
    assert api.get(URL, {"customer": "maybe"}).status_code == 400


def test_filters_combine_with_and(api, acme):
    make_contact(acme, "Müller Handel", email_business="a@mueller.example")
    make_contact(acme, "Müller Bau", email_business="b@bau.example")
    make_contact(acme, "Schulz", email_business="c@mueller.example", is_supplier=True)

    both = api.get(URL, {"name": "müller", "email": "mueller.example"})
    all_three = api.get(URL, {"name": "sch", "email": "%example", "vendor": "true"})

    assert names(both) == ["Müller Handel"]
    assert names(all_three) == ["Schulz"]


def test_the_trash_and_other_organizations_are_not_listed(api, acme, globex):
    from contacts_app.services import trash_contact

    trash_contact(contact=make_contact(acme, "Weg GmbH"), by=None)
    make_contact(globex, "Globex Kunde")
    make_contact(acme, "Da GmbH")

    assert names(api.get(URL)) == ["Da GmbH"]


def test_a_page_costs_the_same_queries_however_many_contacts_it_has(
    api, acme, django_assert_max_num_queries
):
    for index in range(30):
        contact = make_contact(acme, f"Firma {index:02d}")
        ContactPerson.objects.create(contact=contact, last_name=f"Person {index}")
    api.get(URL, {"size": 1})  # the key's last use is written once a minute at most

    # The key, the count, the page's ids, the contacts, their persons, notes and tags.
    with django_assert_max_num_queries(7):
        small = api.get(URL, {"size": 1})
    with django_assert_max_num_queries(7):
        large = api.get(URL, {"size": 30})

    assert small.json()["numberOfElements"] == 1
    assert len(large.json()["content"][29]["company"]["contactPersons"]) == 1
