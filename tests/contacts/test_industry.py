"""A contact's industry ("Branche"): typed in the form, shown, searched, imported and exported."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from contacts_app.models import Contact
from importer import services
from importer.documents import quick_reference_pdf, template_csv
from importer.exporting import export_target
from importer.targets import get_target

from .conftest import contact_post_data, make_company

pytestmark = pytest.mark.django_db


def test_the_form_takes_an_industry_and_the_page_shows_it(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Backstube Sonnenschein", industry="Bäckerei"),
    )

    contact = Contact.objects.get(company_name="Backstube Sonnenschein")
    assert contact.industry == "Bäckerei"
    page = alice_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="de")
    assert "Branche" in page.text and "Bäckerei" in page.text


def test_an_industry_longer_than_100_characters_is_refused(alice_client):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Zu lang GmbH", industry="x" * 101),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "at most 100 characters" in response.text
    assert not Contact.objects.filter(company_name="Zu lang GmbH").exists()


def test_the_search_finds_a_contact_by_its_industry(alice_client, acme):
    make_company(acme, "Kanzlei Weber", industry="Steuerberatung")
    make_company(acme, "Autohaus Kunz", industry="Kfz-Handel")

    page = alice_client.get(reverse("contacts:list"), {"q": "steuerber"})

    assert "Kanzlei Weber" in page.text
    assert "Autohaus Kunz" not in page.text


@pytest.mark.parametrize("header", ["Branche", "Industry"])
def test_the_import_assigns_the_column_by_itself_and_stores_it(acme, header):
    data = f"Firmenname;{header}\r\nGärtnerei Rosen;Gartenbau\r\n".encode()
    with translation.override("de"):
        run, _parsed = services.start_import(
            organization=acme, target="customers", file_name="k.csv", data=data, by=None
        )
        services.commit(run, by=None)

    assert run.mapping == ["company_name", "industry"]
    assert Contact.objects.get(company_name="Gärtnerei Rosen").industry == "Gartenbau"


def test_the_template_the_reference_and_the_export_have_the_column(acme):
    make_company(acme, "Kanzlei Weber", industry="Steuerberatung")
    target = get_target("customers")
    with translation.override("de"):
        template = template_csv(target).decode("utf-8-sig")
        reference = quick_reference_pdf(target)
        exported = export_target(acme, "customers")
    assert "Branche" in template.splitlines()[0]
    assert b"Branche" in reference or len(reference) > 1000  # compressed PDF text
    text = exported.decode("utf-8-sig") if isinstance(exported, bytes) else exported
    assert "Branche" in text.splitlines()[0]
    assert "Steuerberatung" in text


def test_the_admin_finds_a_contact_by_its_industry(client, django_user_model, acme):
    make_company(acme, "Kanzlei Weber", industry="Steuerberatung")
    admin = django_user_model.objects.create_superuser("root@kontor.test", "pw-for-the-admin")
    client.force_login(admin)

    response = client.get(reverse("admin:contacts_contact_changelist"), {"q": "Steuerberatung"})

    assert "Kanzlei Weber" in response.text
