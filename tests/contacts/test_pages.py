"""The contact pages: create and edit with contact persons and web profiles, show, delete."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contacts_app.models import Contact, ContactPerson, WebProfile

from .conftest import contact_post_data, make_company, make_person

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
DE = {"accept-language": "de"}
JANA = {
    "salutation": "Frau",
    "first_name": "Jana",
    "last_name": "Schröder",
    "position": "Einkauf",
    "email": "jana@nordlicht.de",
    "phone": "+49 40 123456",
    "phone_extension": "12",
    "is_primary": True,
}
TOM = {"salutation": "Herr", "title": "Dr.", "first_name": "Tom", "last_name": "Berger"}


def test_it_shows_an_empty_form(alice_client):
    response = alice_client.get(reverse("contacts:create"), headers=EN)
    assert response.status_code == 200
    assert "New contact" in response.text
    assert 'name="persons-TOTAL_FORMS"' in response.text
    assert "Add contact person" in response.text
    assert '<option value="Herr">' in response.text  # salutation suggestions


def test_it_creates_a_company_with_two_contact_persons_and_a_website(alice_client, acme, alice):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Nordlicht Handel GmbH",
            vat_id="DE123456788",
            billing_street="Speicherstadt 1",
            billing_postal_code="20457",
            billing_city="Hamburg",
            email_business="info@nordlicht.de",
            phone_business="+49 40 123456",
            persons=[JANA, TOM],
            profiles=[{"kind": "website", "value": "https://nordlicht.de"}],
        ),
        headers=EN,
    )
    contact = Contact.objects.get(company_name="Nordlicht Handel GmbH")
    assert response.status_code == 302
    assert response.url == reverse("contacts:detail", args=[contact.pk])
    assert contact.organization == acme
    assert contact.created_by == alice
    assert contact.customer_number == 10000
    assert contact.vat_id == "DE123456788"
    persons = list(contact.persons.all())
    assert [p.full_name for p in persons] == ["Jana Schröder", "Dr. Tom Berger"]
    assert persons[0].is_primary and persons[0].phone_extension == "12"
    assert list(contact.web_profiles.values_list("kind", "value")) == [
        ("website", "https://nordlicht.de")
    ]

    page = alice_client.get(response.url, headers=EN)
    assert "Contact “Nordlicht Handel GmbH” created." in page.text
    assert 'href="mailto:info@nordlicht.de"' in page.text
    assert 'href="tel:+4940123456"' in page.text
    assert 'href="tel:+4940123456-12"' not in page.text
    assert 'href="tel:+4940123456;ext=12"' in page.text  # the contact person's direct line
    assert 'href="https://nordlicht.de"' in page.text
    assert "Jana Schröder" in page.text and "Dr. Tom Berger" in page.text
    assert "Customer 10000" in page.text


def test_it_creates_a_person(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            kind="person",
            salutation="Frau",
            first_name="Erika",
            last_name="Mustermann",
            is_customer=False,
            is_supplier=True,
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get(last_name="Mustermann")
    assert (contact.kind, contact.display_name, contact.supplier_number) == (
        "person",
        "Erika Mustermann",
        70000,
    )


def test_it_drops_contact_persons_from_a_person(alice_client):
    alice_client.post(
        reverse("contacts:create"),
        contact_post_data(kind="person", last_name="Solo", persons=[TOM]),
    )
    assert Contact.objects.get(last_name="Solo").persons.count() == 0


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"company_name": ""}, "company_name", "A company needs a name."),
        ({"kind": "person", "last_name": ""}, "last_name", "A person needs a last name."),
        (
            {"company_name": "X", "is_customer": False},
            "is_customer",
            "Choose at least one role: customer or supplier.",
        ),
        ({"company_name": "X", "email_business": "not-an-address"}, "email_business", None),
        ({"company_name": "X", "billing_postal_code": "1234"}, "billing_postal_code", None),
        ({"company_name": "X", "vat_id": "DE12345"}, "vat_id", None),
    ],
)
def test_it_shows_errors_next_to_the_field(alice_client, fields, field, message):
    url = reverse("contacts:create")
    response = alice_client.post(url, contact_post_data(**fields), headers=EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert form.errors[field] == [message]
    # crispy renders the message right under the input it belongs to.
    error_id = f'id="error_1_id_{field}"'
    assert error_id in response.text
    assert response.text.index(f'id="id_{field}') < response.text.index(error_id)
    assert not Contact.objects.exists()


def test_it_shows_a_contact_persons_error_in_its_row(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="X", persons=[{"first_name": "Ohne", "email": "kaputt"}]),
        headers=EN,
    )
    assert response.status_code == 200
    assert 'id="error_1_id_persons-0-last_name"' in response.text
    assert 'id="error_1_id_persons-0-email"' in response.text
    assert 'value="Ohne"' in response.text
    assert not Contact.objects.exists()


def test_it_refuses_two_primary_contact_persons(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="X", persons=[JANA, {**TOM, "is_primary": True}]),
        headers=EN,
    )
    assert "Only one contact person can be the primary one." in response.text
    assert not Contact.objects.exists()


def test_it_checks_web_profiles_per_kind(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="X", profiles=[{"kind": "website", "value": "not a web address"}]
        ),
        headers=EN,
    )
    assert response.status_code == 200
    assert 'id="error_1_id_profiles-0-value"' in response.text
    assert not Contact.objects.exists()


def test_it_fixes_the_kind_on_edit(alice_client, acme):
    company = make_company(acme, "Bleibt GmbH")
    url = reverse("contacts:edit", args=[company.pk])
    page = alice_client.get(url, headers=EN)
    assert "A contact stays a company or a person." in page.text
    kind_inputs = re.findall(r'<input[^>]*name="kind"[^>]*>', page.text)
    assert len(kind_inputs) == 2
    assert all(" disabled" in tag for tag in kind_inputs)
    response = alice_client.post(
        url,
        contact_post_data(kind="person", company_name="Bleibt GmbH", last_name="Person", version=1),
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.kind == "company"
    assert company.display_name == "Bleibt GmbH"


def test_it_edits_contact_persons_in_place(alice_client, acme):
    company = make_company(acme, "Nordlicht GmbH", persons=[JANA, TOM])
    url = reverse("contacts:edit", args=[company.pk])
    page = alice_client.get(url)
    assert 'value="Schröder"' in page.text and 'value="Berger"' in page.text
    response = alice_client.post(
        url,
        contact_post_data(
            company_name="Nordlicht GmbH",
            version=1,
            initial_persons=2,
            persons=[
                {**JANA, "position": "Geschäftsführung"},
                {**TOM, "DELETE": True},
                {"first_name": "Neu", "last_name": "Hinzu"},
            ],
        ),
    )
    assert response.status_code == 302
    assert list(company.persons.values_list("last_name", "position")) == [
        ("Schröder", "Geschäftsführung"),
        ("Hinzu", ""),
    ]
    assert not ContactPerson.objects.filter(last_name="Berger").exists()


def test_it_removes_a_web_profile(alice_client, acme):
    company = make_company(acme, "Web GmbH", profiles=[{"kind": "xing", "value": "web-gmbh"}])
    response = alice_client.post(
        reverse("contacts:edit", args=[company.pk]),
        contact_post_data(
            company_name="Web GmbH",
            version=1,
            initial_profiles=1,
            profiles=[{"kind": "xing", "value": "web-gmbh", "DELETE": True}],
        ),
    )
    assert response.status_code == 302
    assert not WebProfile.objects.exists()


def test_it_warns_about_a_contact_with_the_same_name_then_saves_anyway(alice_client, acme):
    existing = make_company(acme, "Doppelt GmbH")
    data = contact_post_data(company_name="doppelt gmbh")
    warned = alice_client.post(reverse("contacts:create"), data, headers=EN)
    assert warned.status_code == 200
    assert "There may already be such a contact:" in warned.text
    assert reverse("contacts:detail", args=[existing.pk]) in warned.text
    assert "Save anyway" in warned.text
    assert Contact.objects.count() == 1

    confirmed = alice_client.post(reverse("contacts:create"), {**data, "confirm_duplicate": "True"})
    assert confirmed.status_code == 302
    assert Contact.objects.count() == 2


def test_it_warns_about_a_contact_with_the_same_e_mail(alice_client, acme):
    existing = make_company(
        acme,
        "Alt GmbH",
        persons=[{"first_name": "Jana", "last_name": "S", "email": "jana@example.org"}],
    )
    warned = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(kind="person", last_name="Schmidt", email_private="JANA@example.org"),
        headers=EN,
    )
    assert "There may already be such a contact:" in warned.text
    assert reverse("contacts:detail", args=[existing.pk]) in warned.text


def test_it_does_not_warn_about_the_contact_itself(alice_client, acme):
    contact = make_company(acme, "Einmalig GmbH", email_business="info@einmalig.de")
    response = alice_client.post(
        reverse("contacts:edit", args=[contact.pk]),
        contact_post_data(
            company_name="Einmalig GmbH", email_business="info@einmalig.de", version=1
        ),
    )
    assert response.status_code == 302


def test_it_does_not_warn_about_another_organizations_contact(alice_client, globex):
    make_company(globex, "Doppelt GmbH")
    response = alice_client.post(
        reverse("contacts:create"), contact_post_data(company_name="Doppelt GmbH")
    )
    assert response.status_code == 302


def test_it_shows_everything_on_the_contact_page(alice_client, contact):
    page = alice_client.get(reverse("contacts:detail", args=[contact.pk]), headers=EN)
    assert page.status_code == 200
    text = page.text
    for expected in [
        "Müller Maschinenbau GmbH",
        "Hauptstraße 5",
        "80331 München",
        'href="mailto:info@mueller-maschinen.de"',
        'href="tel:+4989123456"',
        "Jana Schröder",
        "ext.",
        'href="https://mueller-maschinen.de"',
        "Prefers calls in the morning.",
        "Customer 10000",
        "Download vCard",
        reverse("contacts:vcard", args=[contact.pk]),
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:archive", args=[contact.pk]),
        reverse("contacts:delete", args=[contact.pk]),
        "Created",
        "Alice Admin",
    ]:
        assert expected in text, expected


def test_it_archives_and_unarchives(alice_client, contact):
    response = alice_client.post(reverse("contacts:archive", args=[contact.pk]), headers=EN)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.archived
    page = alice_client.get(response.url, headers=EN)
    assert "“Müller Maschinenbau GmbH” was archived." in page.text
    assert reverse("contacts:unarchive", args=[contact.pk]) in page.text
    assert not alice_client.get(reverse("contacts:list")).context["page"].object_list

    alice_client.post(reverse("contacts:unarchive", args=[contact.pk]))
    contact.refresh_from_db()
    assert not contact.archived


def test_it_asks_before_deleting_and_moves_the_contact_to_the_trash(alice_client, contact):
    url = reverse("contacts:delete", args=[contact.pk])
    confirm = alice_client.get(url, headers=EN)
    assert "Delete “Müller Maschinenbau GmbH”?" in confirm.text
    assert "For 30 days it can be restored there whole" in confirm.text
    assert Contact.objects.filter(pk=contact.pk).exists()
    response = alice_client.post(url, headers=EN)
    assert response.status_code == 302
    assert response.url == reverse("contacts:list")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is not None
    assert ContactPerson.objects.filter(contact=contact).exists()  # kept for the restore
    page = alice_client.get(response.url, headers=EN)
    assert (
        "“Müller Maschinenbau GmbH” was moved to the trash. It can be restored there for 30 days."
        in page.text
    )


def test_it_shows_a_person_with_salutation(alice_client, acme):
    person = make_person(acme, "Erika", "Mustermann", salutation="Frau", title="Prof.")
    page = alice_client.get(reverse("contacts:detail", args=[person.pk]), headers=EN)
    assert "Prof. Erika Mustermann" in page.text
    assert "Frau" in page.text
    assert "Contact persons" not in page.text


def test_it_lists_contacts_in_the_admin_with_search(client, django_user_model, contact):
    admin = django_user_model.objects.create_superuser("root@kontor.test", "pw-for-the-admin")
    client.force_login(admin)
    url = reverse("admin:contacts_contact_changelist")
    for query in ["Müller", "10000", "München", "Schröder", "info@mueller"]:
        response = client.get(url, {"q": query})
        assert response.status_code == 200, query
        assert "Müller Maschinenbau GmbH" in response.text, query
    change = reverse("admin:contacts_contact_change", args=[contact.pk])
    assert client.get(change).status_code == 200


def test_the_list_escapes_what_users_typed(alice_client, acme, alice):
    from contacts_app.services import create_contact

    create_contact(
        organization=acme,
        by=alice,
        data={
            "kind": "company",
            "company_name": "<script>alert(1)</script> & Co",
            "billing_city": "<b>Köln</b>",
            "email_business": "info@example.de",
            "phone_business": '+49 221 "1"',
        },
    )
    html = alice_client.get(reverse("contacts:list"), headers={"HX-Request": "true"}).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "&lt;b&gt;Köln&lt;/b&gt;" in html
    assert "+49 221 &quot;1&quot;" in html


def test_it_warns_about_a_person_with_the_same_name_whatever_the_title(alice_client, acme):
    existing = make_person(acme, "Max", "Mustermann")
    warned = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(kind="person", title="Dr.", first_name="max", last_name="MUSTERMANN"),
        headers=EN,
    )
    assert "There may already be such a contact:" in warned.text
    assert reverse("contacts:detail", args=[existing.pk]) in warned.text


def test_a_name_that_only_contains_another_is_no_duplicate(alice_client, acme):
    make_company(acme, "Doppelt GmbH & Co. KG")
    response = alice_client.post(
        reverse("contacts:create"), contact_post_data(company_name="Doppelt GmbH")
    )
    assert response.status_code == 302


def test_an_edit_that_keeps_name_and_e_mail_is_not_asked_again(alice_client, acme):
    make_company(acme, "Zwilling GmbH")
    twin = make_company(acme, "Zwilling GmbH", email_business="b@zwilling.de")
    response = alice_client.post(
        reverse("contacts:edit", args=[twin.pk]),
        contact_post_data(
            company_name="Zwilling GmbH",
            email_business="b@zwilling.de",
            billing_city="Ulm",
            version=1,
        ),
    )
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.billing_city == "Ulm"


def test_the_country_lists_keep_the_stored_country_and_the_language(alice_client, acme):
    contact = make_company(acme, "Alpen AG", billing_country="AT")
    html = alice_client.get(reverse("contacts:edit", args=[contact.pk]), headers=DE).text
    billing = html[html.index('name="billing_country"') : html.index('name="shipping_country"')]
    assert '<option value="AT" selected>Österreich</option>' in billing
    assert billing.count(" selected") == 1
    assert '<option value="CH">Schweiz</option>' in billing


def test_the_new_contact_form_starts_with_the_kind_and_role_asked_for(alice_client):
    page = alice_client.get(reverse("contacts:create"), {"kind": "person", "role": "supplier"})
    form = page.context["form"]
    assert (form["kind"].value(), form["is_customer"].value(), form["is_supplier"].value()) == (
        "person",
        False,
        True,
    )
    assert re.search(r'<input[^>]*name="kind"[^>]*value="person"[^>]*checked', page.text)


def test_the_look_alike_warning_carries_the_confirmation_and_what_was_typed(alice_client, acme):
    make_company(acme, "Doppelt GmbH")
    warned = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Doppelt GmbH", billing_city="Ulm", persons=[TOM]),
    )
    assert re.search(r'name="confirm_duplicate" value="True"', warned.text)
    assert 'value="Ulm"' in warned.text and 'value="Berger"' in warned.text


def test_it_keeps_no_shipping_address_that_is_not_wanted(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Ohne Lager GmbH",
            shipping_street="Lagerweg 1",
            shipping_postal_code="123",  # not a German postal code, but not wanted either
            shipping_city="Kiel",
            shipping_country="DE",
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get(company_name="Ohne Lager GmbH")
    assert not contact.has_shipping_address
    assert (contact.shipping_street, contact.shipping_postal_code, contact.shipping_city) == (
        "",
        "",
        "",
    )


def test_it_checks_a_wanted_shipping_address(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Mit Lager GmbH",
            has_shipping_address=True,
            shipping_street="Lagerweg 1",
            shipping_postal_code="123",
            shipping_city="Kiel",
            shipping_country="DE",
        ),
    )
    assert response.status_code == 200
    assert "shipping_postal_code" in response.context["form"].errors
    assert not Contact.objects.exists()
