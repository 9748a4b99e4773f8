"""manage.py check_contact_data: stored values that fail today's checks are listed, not changed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contacts_app.models import Contact, ContactPerson

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db


def check(**options) -> tuple[int, list[list[str]], str]:
    """Exit status, the listed rows (split at tabs, header first) and what went to stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("check_contact_data", stdout=out, stderr=err, **options)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    lines = out.getvalue().splitlines()
    rows = [line.split("\t") for line in lines if "\t" in line]
    return status, rows, err.getvalue()


@pytest.fixture
def stored_before_the_checks(acme):
    """A customer saved when the rules were looser: every kind of value wrong once."""
    return make_company(
        acme,
        "Altbestand GmbH",
        vat_id="DE123456789",
        tax_number="ABC/123",
        billing_postal_code="1234",
        billing_country="PT",
        has_shipping_address=True,
        shipping_postal_code="D-10115",
        shipping_country="AT",
        phone_business="abc1",
        phone_fax="+49 1025 2280258",
        email_office="keine-mail-adresse",
        persons=[
            {"last_name": "Schäfer", "first_name": "Anna", "phone": "12", "email": "anna@"},
        ],
    )


def test_it_lists_every_value_that_fails_with_the_reason(stored_before_the_checks, acme):
    contact = stored_before_the_checks
    status, rows, err = check()
    assert status == 1
    assert rows[0] == ["organization", "number", "name", "field", "value", "reason"]
    listed = {(row[3], row[4]): row for row in rows[1:]}
    assert set(listed) == {
        ("vat_id", "DE123456789"),
        ("billing_postal_code", "1234"),
        ("shipping_postal_code", "D-10115"),
        ("email_office", "keine-mail-adresse"),
        ("phone_business", "abc1"),
        ("phone_fax", "+49 1025 2280258"),
        ("person Anna Schäfer: email", "anna@"),
        ("person Anna Schäfer: phone", "12"),
    }
    # Portugal is no Germany: its tax numbers are free text.
    assert ("tax_number", "ABC/123") not in listed
    row = listed[("vat_id", "DE123456789")]
    assert row[:3] == ["acme", str(contact.customer_number), "Altbestand GmbH"]
    assert "the check digit does not match" in row[5]
    assert listed[("billing_postal_code", "1234")][5] == (
        "“1234” is not a postal code of Portugal; it looks like 2725-079."
    )
    assert "is not a postal code of Austria" in listed[("shipping_postal_code", "D-10115")][5]
    assert "is not a phone number" in listed[("phone_business", "abc1")][5]
    assert "cannot be a phone number that exists" in listed[("phone_fax", "+49 1025 2280258")][5]
    assert "cannot be a phone number in Portugal" in listed[("person Anna Schäfer: phone", "12")][5]
    assert "8 value(s) of 1 contact(s) fail the checks. Nothing was changed" in err


def test_it_checks_german_tax_numbers_by_the_lands_formats(acme):
    make_person(acme, "Erika", "Mustermann", tax_number="ABC/123", billing_country="DE")
    make_person(acme, "Max", "Mustermann", tax_number="21/815/08150", billing_country="DE")
    status, rows, _err = check()
    assert status == 1
    assert [(row[2], row[3], row[4]) for row in rows[1:]] == [
        ("Erika Mustermann", "tax_number", "ABC/123")
    ]


def test_it_changes_nothing(stored_before_the_checks):
    fields = [f.attname for f in Contact._meta.concrete_fields]
    before = list(Contact.objects.values_list(*fields))
    persons_before = list(ContactPerson.objects.values_list())
    check()
    assert list(Contact.objects.values_list(*fields)) == before
    assert list(ContactPerson.objects.values_list()) == persons_before


def test_all_fine_is_exit_status_0(acme):
    make_company(
        acme,
        "Ordentlich GmbH",
        vat_id="DE123456788",
        tax_number="21/815/08150",
        billing_postal_code="10115",
        billing_country="DE",
        phone_business="+49 (0)30 1234567",
        phone_mobile="0171 2345678",
        email_business="info@ordentlich.example",
        persons=[{"last_name": "Schäfer", "phone": "030 1234567", "email": "as@example.de"}],
    )
    make_person(acme, "Jan", "Jansen", billing_postal_code="1011ab", billing_country="NL")
    status, rows, _err = check()
    assert status == 0
    assert rows == []


def test_a_stored_value_the_checks_would_normalize_is_not_listed(acme):
    # "1011ab" would be stored as "1011 AB" today, but it is a valid code, not a wrong one.
    make_person(acme, "Jan", "Jansen", billing_postal_code="1011ab", billing_country="NL")
    assert check()[0] == 0


def test_one_organization_only(stored_before_the_checks, globex):
    make_company(globex, "Globex Kunde AG", vat_id="DE298765436")
    status, rows, _err = check(organization="globex")
    assert status == 1
    assert {row[0] for row in rows[1:]} == {"globex"}
    assert [row[3] for row in rows[1:]] == ["vat_id"]


def test_an_unknown_organization_is_a_usage_error(db):
    with pytest.raises(CommandError, match="No organization with the slug 'nope'") as error:
        call_command("check_contact_data", organization="nope")
    assert error.value.returncode == 2


def test_a_contact_without_a_country_is_checked_as_german(acme):
    make_person(acme, "Erika", "Mustermann", billing_postal_code="1234", billing_country="")
    status, rows, _err = check()
    assert status == 1
    assert rows[1][5] == "“1234” is not a postal code of Germany; it looks like 10115."
