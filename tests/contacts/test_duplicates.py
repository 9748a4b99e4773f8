"""The duplicate finder: which contacts it groups and why, "not the same", who may do what, and
the look-alike warning on save, which asks the same matcher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.duplicates import duplicate_groups, find_pairs, read_profiles
from contacts_app.matching import Reason, pair_reasons, profile_of
from contacts_app.models import Contact, DismissedPair

from .conftest import contact_post_data, make_company, make_person

EN = {"Accept-Language": "en"}
DE = {"Accept-Language": "de"}


def reasons(a: dict, b: dict) -> list[str]:
    return [code for code, _value in pair_reasons(profile_of(a), profile_of(b))]


def company(name: str, **fields) -> dict:
    return {"kind": "company", "company_name": name, **fields}


def person(first: str, last: str, **fields) -> dict:
    return {"kind": "person", "first_name": first, "last_name": last, **fields}


MUNICH = {"billing_postal_code": "80331", "billing_city": "München", "billing_country": "DE"}


# --- the matcher ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Holzbau Müller AG", "Holzbau Mueller AG"),  # umlaut spelled out
        ("Holzbau Müller AG", "Holzbau Muller AG"),  # umlaut dropped
        ("Holzbau Müller AG", "Holzbau Müler AG"),  # a letter missing
        ("Holzbau Müller AG", "Holzbua Müller AG"),  # two letters swapped
        ("Müller Holzbau GmbH", "Müller Holzbau GmbH & Co. KG"),
        ("Müller Holzbau GmbH", "Müller Holzbau GbmH"),  # a mistyped legal form
        ("Müller & Schmidt GmbH", "Schmidt & Müller GmbH"),
    ],
)
def test_it_takes_a_very_similar_company_name_at_the_same_postal_code_for_one(first, second):
    assert reasons(company(first, **MUNICH), company(second, **MUNICH)) == [
        Reason.NAME_AND_POSTAL_CODE
    ]


def test_it_takes_a_person_with_first_and_last_name_swapped_in_the_same_city_for_one():
    a = person("Thomas", "Müller", billing_city="Köln")
    b = person("Müller", "Thomas", billing_city="Koeln")
    assert reasons(a, b) == [Reason.NAME_AND_CITY]


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        (
            company("Holzbau Müller AG", **MUNICH, billing_street="Hauptstraße 5"),
            company("Holzbau Müller AG", **MUNICH, billing_street="Hauptstraße 7"),
            "another house number",
        ),
        (
            person("Thomas", "Meyer", **MUNICH, billing_street="Ringstraße 1"),
            person("Thomas", "Meier", **MUNICH, billing_street="Am Markt 9"),
            "namesakes at different streets",
        ),
        (
            company("Müller Holzbau GmbH", **MUNICH),
            company("Müller Holzbau KG", **MUNICH),
            "two legal forms",
        ),
        (
            company("Müller Holzbau GmbH", **MUNICH, vat_id="DE123456788"),
            company("Müller Holzbau GmbH", **MUNICH, vat_id="DE111111125"),
            "two VAT IDs",
        ),
        (
            company("Brückner Immobilien GmbH", **MUNICH),
            company("Brückrieder Immobilien GmbH", **MUNICH),
            "a long word in common does not make names alike",
        ),
        (
            company("Holzbau Müller AG", billing_city="Berlin"),
            company("Holzbau Müller AG", billing_city="Hamburg"),
            "the same name in another city",
        ),
        (
            company("Doppelt GmbH & Co. KG"),
            company("Doppelt GmbH"),
            "without a place only the very same name counts",
        ),
        (person("Jana", "Krause", **MUNICH), company("Jana Krause", **MUNICH), "another kind"),
    ],
)
def test_it_tells_namesakes_apart(first, second, why):
    assert reasons(first, second) == [], why


def test_shared_e_mail_address_vat_id_and_phone_number_are_reasons_of_their_own():
    a = company(
        "Alt GmbH", email_business="Info@Alt.de", vat_id="DE 123456788", phone_office="+49 89 12345"
    )
    b = company("Neu GmbH", email_other="info@alt.de", vat_id="DE123456788", phone_fax="089/12345")
    assert reasons(a, b) == [Reason.VAT_ID, Reason.EMAIL, Reason.PHONE]


def test_a_shared_address_of_two_businesses_nothing_alike_elsewhere_is_no_reason():
    """An accountant's address given for two clients, a switchboard's number."""
    a = company("Bäckerei Sonne GmbH", email_business="buero@steuer.de", billing_city="Ulm")
    b = company("Zimmerei Wald KG", email_business="buero@steuer.de", billing_city="Kiel")
    assert reasons(a, b) == []


def test_the_very_same_name_counts_when_one_of_them_has_no_place():
    assert reasons(company("Doppelt GmbH"), company("doppelt gmbh", billing_city="Ulm")) == [
        Reason.SAME_NAME
    ]


# --- the finder -------------------------------------------------------------------------------


@pytest.fixture
def twins(acme, alice):
    """Acme's two "Holzbau Müller AG" (as in the lexoffice sample) and a namesake apart."""
    first = make_company(
        acme, "Holzbau Müller AG", billing_city="Berlin", email_business="info@holzbau-mueller.de"
    )
    second = make_company(
        acme, "Holzbau Müller AG", billing_city="Hamburg", email_business="INFO@holzbau-mueller.de"
    )
    make_company(acme, "Holzbau Müller AG", billing_city="Leipzig")
    return first, second


def group_ids(organization) -> list[tuple[int, ...]]:
    return [g.contact_ids for g in duplicate_groups(organization)]


def test_it_finds_the_two_holzbau_mueller_by_their_e_mail_address(acme, twins):
    first, second = twins
    [group] = duplicate_groups(acme)
    assert set(group.contact_ids) == {first.pk, second.pk}
    assert group.pairs[0][2] == ((Reason.EMAIL, "info@holzbau-mueller.de"),)


def test_it_joins_pairs_into_groups_and_leaves_out_the_trash(acme, alice):
    a = make_company(acme, "Eins GmbH", phone_business="+49 30 1234567")
    b = make_company(acme, "Eins GmbH", phone_business="030 1234567", vat_id="DE123456788")
    c = make_company(acme, "Eins AG", vat_id="DE123456788")
    trashed = make_company(acme, "Eins GmbH", phone_business="030/1234567")
    services.trash_contact(contact=trashed, by=alice)
    [group] = duplicate_groups(acme)
    assert set(group.contact_ids) == {a.pk, b.pk, c.pk}
    assert len(group.pairs) == 2


def test_it_compares_only_contacts_of_one_organization(acme, globex):
    make_company(acme, "Geteilt GmbH", email_business="info@geteilt.de")
    make_company(globex, "Geteilt GmbH", email_business="info@geteilt.de")
    assert duplicate_groups(acme) == []


def test_the_blocking_finds_what_comparing_every_pair_finds(acme):
    """Typos, spellings and swapped names among namesakes: the blocks miss no pair."""
    names = [
        ("Thomas", "Müller"),
        ("Müller", "Thomas"),
        ("Thomas", "Mueller"),
        ("Tohmas", "Müller"),
        ("Thomas", "Möller"),
        ("Jan", "Roth"),
        ("Jana", "Roth"),
        ("Matthias", "Marx"),
        ("Matthias", "Maxr"),
    ]
    for first, last in names:
        make_person(acme, first, last, billing_city="Köln")
    profiles = read_profiles(acme)
    every_pair = {
        (i, j)
        for i in range(len(profiles))
        for j in range(i + 1, len(profiles))
        if pair_reasons(profiles[i], profiles[j])
    }
    assert set(find_pairs(profiles)) == every_pair
    assert len(every_pair) >= 10


def test_the_page_shows_each_group_with_its_reason(alice_client, acme, twins):
    page = alice_client.get(reverse("contacts:duplicates"), headers=EN)
    assert page.status_code == 200
    assert page.text.count('data-testid="duplicate-group"') == 1
    assert "Same e-mail address (info@holzbau-mueller.de)" in page.text
    assert 'data-testid="merge"' in page.text and 'data-testid="dismiss"' in page.text


def test_the_page_speaks_german(alice_client, acme, twins):
    page = alice_client.get(reverse("contacts:duplicates"), headers=DE)
    assert "Dubletten" in page.text
    assert "Gleiche E-Mail-Adresse (info@holzbau-mueller.de)" in page.text
    assert "Nicht dieselben" in page.text


def test_it_says_so_when_there_are_no_duplicates(alice_client, acme):
    make_company(acme, "Einzig GmbH")
    page = alice_client.get(reverse("contacts:duplicates"), headers=EN)
    assert "No duplicates found." in page.text


def test_groups_are_paginated(alice_client, acme):
    for n in range(21):
        for _twin in range(2):
            make_company(acme, f"Firma {n:02d} GmbH", email_business=f"info@firma{n}.de")
    first = alice_client.get(reverse("contacts:duplicates"), headers=EN)
    assert first.text.count('data-testid="duplicate-group"') == 20
    assert "Page 1 of 2" in first.text
    second = alice_client.get(reverse("contacts:duplicates"), {"page": 2}, headers=EN)
    assert second.text.count('data-testid="duplicate-group"') == 1
    assert "Firma 20 GmbH" in second.text


def test_the_page_reads_few_queries_and_keeps_its_groups_in_the_cache(
    alice_client, acme, twins, django_assert_max_num_queries
):
    alice_client.get(reverse("contacts:duplicates"))
    with django_assert_max_num_queries(8):
        alice_client.get(reverse("contacts:duplicates"))


def test_a_change_to_a_contact_shows_on_the_page_at_once(alice_client, acme, alice, twins):
    first, second = twins
    alice_client.get(reverse("contacts:duplicates"))  # the groups are in the cache now
    services.update_contact(
        contact=second,
        data={"email_business": "hamburg@holzbau-mueller.de"},
        by=alice,
        expected_version=second.version,
    )
    page = alice_client.get(reverse("contacts:duplicates"), headers=EN)
    assert "No duplicates found." in page.text


# --- not the same -----------------------------------------------------------------------------


def test_a_member_dismisses_a_pair_for_everybody(bob_client, alice_client, acme, twins):
    first, second = twins
    response = bob_client.post(
        reverse("contacts:dismiss_pair"),
        {"contacts": [second.pk, first.pk], "page": "1"},
        headers=EN,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:duplicates") + "?page=1"
    assert DismissedPair.objects.get().first_id == min(first.pk, second.pk)
    followed = alice_client.get(reverse("contacts:duplicates"), headers=EN)
    assert "No duplicates found." in followed.text


def test_dismissing_a_pair_twice_keeps_one_row(bob_client, acme, twins):
    first, second = twins
    for _ in range(2):
        bob_client.post(reverse("contacts:dismiss_pair"), {"contacts": [first.pk, second.pk]})
    assert DismissedPair.objects.count() == 1


def test_a_dismissed_pair_leaves_the_rest_of_its_group(acme, alice):
    a = make_company(acme, "Drei GmbH", email_business="a@drei.de")
    b = make_company(acme, "Drei GmbH", email_business="a@drei.de", phone_business="0301234567")
    c = make_company(acme, "Drei GmbH", phone_business="030 1234567")
    from contacts_app.duplicates import dismiss_pair

    dismiss_pair(organization=acme, first=a, second=b, by=alice)
    [group] = duplicate_groups(acme)
    assert set(group.contact_ids) == {b.pk, c.pk}


@pytest.mark.parametrize(
    ("contacts", "message"),
    [([], "Choose 2 contacts."), (["x", "y"], "That is not a contact.")],
)
def test_it_refuses_a_pair_that_is_none_with_a_message(bob_client, acme, contacts, message):
    response = bob_client.post(
        reverse("contacts:dismiss_pair"), {"contacts": contacts}, headers=EN, follow=True
    )
    assert message in response.text
    assert not DismissedPair.objects.exists()


def test_a_viewer_sees_the_groups_but_cannot_dismiss_or_merge(vera_client, acme, twins):
    first, second = twins
    page = vera_client.get(reverse("contacts:duplicates"), headers=EN)
    assert page.status_code == 200
    assert 'data-testid="duplicate-group"' in page.text
    assert 'data-testid="dismiss"' not in page.text and 'data-testid="merge"' not in page.text
    response = vera_client.post(
        reverse("contacts:dismiss_pair"), {"contacts": [first.pk, second.pk]}
    )
    assert response.status_code == 403
    assert not DismissedPair.objects.exists()


def test_another_organization_cannot_dismiss_acmes_pair(charlie_client, acme, twins):
    first, second = twins
    response = charlie_client.post(
        reverse("contacts:dismiss_pair"), {"contacts": [first.pk, second.pk]}
    )
    assert response.status_code == 404
    assert not DismissedPair.objects.exists()


def test_another_organization_sees_none_of_acmes_groups(charlie_client, acme, twins):
    page = charlie_client.get(reverse("contacts:duplicates"), headers=EN)
    assert "Holzbau" not in page.text


# --- the look-alike warning on save -----------------------------------------------------------


def test_saving_warns_about_a_look_alike_with_a_typo_at_the_same_postal_code(alice_client, acme):
    existing = make_company(acme, "Holzbau Müller AG", **MUNICH)
    warned = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Holzbau Mueler AG", **MUNICH),
        headers=EN,
    )
    assert "There may already be such a contact:" in warned.text
    assert reverse("contacts:detail", args=[existing.pk]) in warned.text
    assert Contact.objects.count() == 1


def test_saving_warns_about_a_contact_with_the_same_vat_id_or_phone(alice_client, acme):
    by_vat = make_company(acme, "Alt GmbH", vat_id="DE123456788")
    by_phone = make_company(acme, "Anders AG", phone_business="+49 30 1234567")
    warned = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Neu GmbH", vat_id="DE 123 456 788", phone_office="030/1234567"
        ),
        headers=EN,
    )
    assert reverse("contacts:detail", args=[by_vat.pk]) in warned.text
    assert reverse("contacts:detail", args=[by_phone.pk]) in warned.text


def test_saving_does_not_warn_about_a_namesake_in_another_city(alice_client, acme):
    make_company(acme, "Holzbau Müller AG", billing_city="Berlin")
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Holzbau Müller AG", billing_city="Hamburg"),
    )
    assert response.status_code == 302
    assert Contact.objects.count() == 2
