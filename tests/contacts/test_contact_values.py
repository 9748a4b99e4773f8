"""The contact form checks values by the libraries' rules: what a user sees when saving."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app.models import Contact

from .conftest import contact_post_data

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
DE = {"accept-language": "de"}


def test_a_vat_id_with_a_wrong_check_digit_is_refused_next_to_the_field(alice_client):
    # Kontor's own example used to be DE123456789: nine digits, but not a VAT ID.
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Prüfziffer GmbH", vat_id="DE123456789"),
        headers=EN,
    )
    assert response.status_code == 200
    assert response.context["form"].errors["vat_id"] == [
        "“DE123456789” is not a valid VAT ID for DE: the check digit does not match, a digit "
        "may be mistyped. Expected DE + 9 digits, like DE123456788."
    ]
    assert not Contact.objects.exists()


def test_the_refusal_speaks_german_to_german_users(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Prüfziffer GmbH", vat_id="ATU12345678"),
        headers=DE,
    )
    assert "Die Prüfziffer passt nicht" in response.context["form"].errors["vat_id"][0]


def test_a_valid_vat_id_and_postal_code_are_stored_in_their_usual_form(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Grachten B.V.",
            vat_id="nl 1234.5678.2 b01",
            billing_postal_code="1011ab",
            billing_country="NL",
        ),
        headers=EN,
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.vat_id, contact.billing_postal_code) == ("NL123456782B01", "1011 AB")


def test_a_british_postcode_the_old_rules_refused_is_saved(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Girobank Ltd", billing_postal_code="gir0aa", billing_country="GB"
        ),
        headers=EN,
    )
    assert response.status_code == 302
    assert Contact.objects.get().billing_postal_code == "GIR 0AA"


def test_a_portuguese_postal_code_needs_its_seven_digits(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Lisboa Lda", billing_postal_code="1234", billing_country="PT"
        ),
        headers=EN,
    )
    assert response.context["form"].errors["billing_postal_code"] == [
        "“1234” is not a postal code of Portugal; it looks like 2725-079."
    ]
    assert not Contact.objects.exists()


def test_a_tax_number_is_checked_and_stored_in_its_lands_form(alice_client):
    refused = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Steuer GmbH", tax_number="ABC/123"),
        headers=EN,
    )
    assert refused.status_code == 200
    assert "tax_number" in refused.context["form"].errors
    assert not Contact.objects.exists()

    alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Steuer GmbH", tax_number="21/815/08150"),
        headers=EN,
    )
    assert Contact.objects.get().tax_number == "21/815/08150"


def test_a_phone_number_without_digits_is_refused(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Telefon GmbH", phone_business="abc1"),
        headers=EN,
    )
    assert response.status_code == 200
    assert "is not a phone number" in str(response.context["form"].errors["phone_business"])
    assert not Contact.objects.exists()


def test_a_number_that_cannot_exist_is_saved_with_a_warning(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Telefon GmbH", phone_business="030 12"),
        headers=EN,
        follow=True,
    )
    assert Contact.objects.get().phone_business == "030 12"
    assert "cannot be a phone number in Germany" in response.text


def test_the_page_dials_and_shows_numbers_in_international_form(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Telefon GmbH", phone_business="+49 (0)30 1234567"),
        headers=EN,
        follow=True,
    )
    assert 'href="tel:+49301234567"' in response.text
    assert ">+49 30 1234567</a>" in response.text
