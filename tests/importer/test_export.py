"""Export in the template's columns: formula escaping, language, round trip, admin resources."""

from __future__ import annotations

import tablib
from django.utils import translation

from accounts.models import User
from contacts_app.models import Contact
from contacts_app.services import add_note, create_contact
from importer import services
from importer.exporting import export_target
from importer.targets.customers import CustomerResource

FIELDS = (
    "kind",
    "company_name",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "vat_id",
    "billing_street",
    "billing_postal_code",
    "billing_city",
    "billing_country",
    "email_business",
    "phone_business",
    "customer_number",
)


def make_contacts(org, by):
    company = create_contact(
        organization=org,
        by=by,
        data={
            "kind": "company",
            "company_name": "Müller & Söhne „Holz“ GmbH",
            "vat_id": "DE123456788",
            "billing_street": "Hauptstraße 5",
            "billing_postal_code": "50667",
            "billing_city": "Köln",
            "billing_country": "DE",
            "email_business": "info@mueller.test",
            "phone_business": "+49 221 123456",
        },
        persons=[
            {
                "first_name": "Jörg",
                "last_name": "Weiß",
                "email": "joerg@mueller.test",
                "phone": "+49 221 123456",
                "phone_extension": "12",
            }
        ],
        profiles=[{"kind": "website", "value": "https://www.mueller.test"}],
    )
    add_note(contact=company, text="Zahlt pünktlich – immer.", by=by)
    create_contact(
        organization=org,
        by=by,
        data={
            "kind": "person",
            "salutation": "Frau",
            "first_name": "Inès",
            "last_name": "Łódź-Crème",
            "billing_city": "Wien",
            "billing_country": "AT",
            "billing_postal_code": "1010",
        },
    )


def snapshot(org):
    rows = []
    for c in Contact.objects.filter(organization=org).order_by("customer_number"):
        rows.append(
            (
                tuple(str(getattr(c, f)) for f in FIELDS),
                sorted(
                    (p.first_name, p.last_name, p.email, p.phone_extension) for p in c.persons.all()
                ),
                sorted((w.kind, w.value) for w in c.web_profiles.all()),
                sorted(n.text for n in c.notes.all()),
            )
        )
    return rows


def test_an_exported_file_imports_again_to_the_same_data(acme, globex, alice):
    make_contacts(acme, alice)
    for language in ("de", "en"):
        Contact.objects.filter(organization=globex).delete()
        with translation.override(language):
            data = export_target(acme, "customers")
            run, _parsed = services.start_import(
                organization=globex,
                target="customers",
                file_name="export.csv",
                data=data,
                by=None,
            )
            # Every column of the export is one the import reads, the tags included.
            assert all(run.mapping), run.mapping
            result = services.commit(run, by=None)
        assert result.counts["invalid"] == 0, result.errors
        assert snapshot(globex) == snapshot(acme)


def test_german_export_uses_semicolons_and_a_bom(acme, alice):
    make_contacts(acme, alice)
    with translation.override("de"):
        data = export_target(acme, "customers")
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Kundennummer;Firmenname;")


def test_formula_cells_are_escaped(acme, alice):
    create_contact(
        organization=acme,
        by=alice,
        data={
            "kind": "company",
            "company_name": '=HYPERLINK("http://evil")',
            "phone_business": "+49 30 1",
        },
    )
    with translation.override("en"):
        text = export_target(acme, "customers").decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'+49 30 1" in text
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.strip('"').startswith(("=", "+", "-", "@"))


def test_the_contact_list_export_follows_the_search(alice_client, acme, alice):
    make_contacts(acme, alice)
    response = alice_client.get(
        "/import/export/contacts.csv", {"q": "koln"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Müller & Söhne" in text
    assert "Łódź" not in text


def test_the_export_never_contains_another_organizations_rows(charlie_client, acme, alice):
    make_contacts(acme, alice)
    response = charlie_client.get("/import/export/contacts.csv")
    assert "Müller" not in response.content.decode("utf-8-sig")


def test_the_admin_resource_imports_and_exports_for_superusers(acme, client):
    dataset = tablib.Dataset(headers=["Organisation", "Kundennummer", "Firmenname", "Ort"])
    dataset.append(["acme", "", "Admin Import GmbH", "Erfurt"])
    result = CustomerResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    contact = Contact.objects.get(company_name="Admin Import GmbH")
    assert contact.customer_number == 10000
    assert contact.organization == acme

    User.objects.create_superuser("root@kontor.test", "pw-for-root-2026")
    client.login(username="root@kontor.test", password="pw-for-root-2026")
    assert client.get("/admin/contacts/contact/export/").status_code == 200
    assert client.get("/admin/contacts/contact/import/").status_code == 200


def test_the_admin_product_resource_imports_with_computed_prices(acme):
    from decimal import Decimal

    from importer.targets.products import ProductResource
    from products.models import Product

    dataset = tablib.Dataset(
        headers=[
            "Organisation",
            "Artikelnummer",
            "Bezeichnung",
            "Einheit",
            "Steuerart",
            "Bruttopreis",
        ]
    )
    dataset.append(["acme", "B-1", "Beratung", "Stunde", "USt 19%", "119,00"])
    result = ProductResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    product = Product.objects.get(number="B-1")
    assert (product.net_price, product.gross_price) == (Decimal("100.00"), Decimal("119.00"))
