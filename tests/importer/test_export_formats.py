"""The export as CSV and as an Excel workbook: nothing lost, nothing run, nothing reformatted;
the columns grow with the data, and what the export writes the import reads back."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import translation

from contacts_app.models import Contact
from contacts_app.services import add_note, create_contact
from importer import services
from importer.export_formats import csv_file, xlsx_file
from importer.formulas import unescape_formula
from importer.targets.customers import CUSTOMERS
from tests.workbooks import read_workbook

EN = {"headers": {"accept-language": "en"}}
DE = {"headers": {"accept-language": "de"}}


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\r\n", 1)[0].count(";") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def by_header(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def company(org, name: str = "Sächsische Druckerei GmbH", *, persons=(), profiles=(), **fields):
    data = {"kind": "company", "company_name": name, **fields}
    return create_contact(
        organization=org, data=data, by=None, persons=list(persons), profiles=list(profiles)
    )


def import_into(org, data: bytes, file_name: str = "export.csv"):
    run, _parsed = services.start_import(
        organization=org, target="customers", file_name=file_name, data=data, by=None
    )
    return services.commit(run, by=None)


def test_postal_codes_and_phone_numbers_stay_text_in_the_workbook(acme):
    company(
        acme,
        billing_postal_code="01067",
        billing_city="Dresden",
        phone_business="+49 30 1234567",
        phone_fax="0351 4711",
    )
    with translation.override("de"):
        book = read_workbook(xlsx_file(CUSTOMERS.export_table(CUSTOMERS.records(acme))))
    (row,) = by_header(book.rows)
    assert (row["PLZ"], row["Telefon"], row["Fax"]) == ("01067", "+49 30 1234567", "0351 4711")
    assert book.untyped == []  # every filled cell a string in the text format "@"
    assert book.text_columns  # what is typed into the columns later stays text as well


def test_a_formula_is_text_in_the_workbook_and_comes_back_as_that_text(acme, globex):
    company(acme, "=1+1", billing_street="@Ecke", industry="-Rabatt")
    with translation.override("en"):
        table = CUSTOMERS.export_table(CUSTOMERS.records(acme))
        book = read_workbook(xlsx_file(table))
        data = csv_file(table)
        result = import_into(globex, data)
    (row,) = by_header(book.rows)
    assert (row["Company name"], row["Street"], row["Industry"]) == ("=1+1", "@Ecke", "-Rabatt")
    assert book.untyped == []
    # The CSV escapes what the workbook needs not; both hold the same text for the import.
    assert by_header(csv_rows(data))[0]["Company name"] == "'=1+1"
    assert result.counts["new"] == 1
    copy = Contact.objects.get(organization=globex)
    assert (copy.company_name, copy.billing_street, copy.industry) == ("=1+1", "@Ecke", "-Rabatt")


def test_the_workbooks_cells_are_the_csvs_cells_as_the_import_reads_them(acme):
    company(acme, "'=schon markiert GmbH", billing_postal_code="01067", phone_business="+49 1")
    for language in ("de", "en"):
        with translation.override(language):
            table = CUSTOMERS.export_table(CUSTOMERS.records(acme))
            book, rows = read_workbook(xlsx_file(table)), csv_rows(csv_file(table))
        assert [[unescape_formula(c) for c in r] for r in book.rows] == [
            [unescape_formula(c) for c in r] for r in rows
        ]


def test_the_columns_grow_with_the_contact_persons_and_web_profiles(acme, globex):
    persons = [{"first_name": f"Vor{n}", "last_name": f"Nach{n}"} for n in range(1, 5)]
    websites = [{"kind": "website", "value": f"https://{n}.example.de"} for n in range(1, 4)]
    company(
        acme,
        persons=persons,
        profiles=[*websites, {"kind": "xing", "value": "https://www.xing.com/profile/A"}],
    )
    with translation.override("de"):
        data = CUSTOMERS.export(CUSTOMERS.records(acme))
    header = csv_rows(data)[0]
    assert "Ansprechpartner 4 Vorname" in header
    assert "Ansprechpartner 5 Vorname" not in header
    assert [h for h in header if "Webseite" in h] == ["Webseite", "Webseite 2", "Webseite 3"]
    assert "XING 2" not in header
    (row,) = by_header(csv_rows(data))
    assert (row["Ansprechpartner 4 Nachname"], row["Webseite 3"]) == (
        "Nach4",
        "https://3.example.de",
    )

    with translation.override("de"):
        assert import_into(globex, data).counts["new"] == 1
        assert CUSTOMERS.export(CUSTOMERS.records(globex)) == data
    copy = Contact.objects.get(organization=globex)
    assert copy.persons.count() == 4 and copy.web_profiles.count() == 4


def test_the_english_headers_grow_too(acme):
    persons = [{"first_name": "A", "last_name": f"B{n}"} for n in range(3)]
    company(acme, persons=persons)
    with translation.override("en"):
        header = csv_rows(CUSTOMERS.export(CUSTOMERS.records(acme)))[0]
    assert header[:2] == ["Customer number", "Company name"]
    assert "Contact person 3 first name" in header and "Tags" in header


def test_a_file_without_contacts_persons_keeps_the_templates_columns(acme):
    with translation.override("de"):
        header = csv_rows(CUSTOMERS.export(CUSTOMERS.records(acme)))[0]
    assert "Ansprechpartner 2 Vorname" in header and "Ansprechpartner 3 Vorname" not in header


def test_every_kind_of_address_and_number_the_archive_flag_and_notes_come_back(acme, globex):
    kinds = dict(
        email_business="a@b.de",
        email_office="buero@b.de",
        email_private="privat@b.de",
        email_other="x@b.de",
        phone_business="+49 30 1",
        phone_office="+49 30 2",
        phone_mobile="+49 170 3",
        phone_private="+49 30 4",
        phone_fax="+49 30 5",
        phone_other="+49 30 6",
        industry="Druck",
        has_shipping_address=True,
        shipping_street="Lagerweg 1",
        shipping_postal_code="01067",
        shipping_city="Dresden",
        shipping_country="DE",
    )
    contact = company(acme, **kinds)
    contact.archived = True
    contact.save(update_fields=["archived"])
    texts = ["Erster Anruf.", "Zweite Zeile\n----\nmit Strichen", "Drittens:\n\nAbsätze bleiben."]
    for text in texts:
        add_note(contact=contact, text=text, by=None)
    with translation.override("de"):
        data = CUSTOMERS.export(CUSTOMERS.records(acme))
        result = import_into(globex, data)
        assert result.counts["new"] == 1, result.errors
        assert CUSTOMERS.export(CUSTOMERS.records(globex)) == data
    copy = Contact.objects.get(organization=globex)
    assert {k: getattr(copy, k) for k in kinds if k != "shipping_country"} == {
        k: v for k, v in kinds.items() if k != "shipping_country"
    }
    assert copy.archived is True
    assert [n.text for n in copy.notes.order_by("id")] == texts
    (row,) = by_header(csv_rows(data))
    assert row["Archiviert"] == "1" and row["E-Mail (privat)"] == "privat@b.de"


def test_the_tags_are_in_one_column_by_name(acme):
    create_contact(
        organization=acme,
        data={"kind": "company", "company_name": "Getaggt GmbH"},
        by=None,
        tags=["Messe 2025", "Großkunde"],
    )
    with translation.override("de"):
        (row,) = by_header(csv_rows(CUSTOMERS.export(CUSTOMERS.records(acme))))
    assert row["Schlagwörter"] == "Großkunde, Messe 2025"


def test_a_cell_too_long_for_excel_is_refused_with_a_message_not_cut(alice_client, acme):
    contact = company(acme)
    for n in range(7):
        add_note(contact=contact, text=f"{n}" * 5000, by=None)
    response = alice_client.get(reverse("importer:export_contacts_xlsx"), **EN)
    assert response.status_code == 302
    page = alice_client.get(response["Location"], **EN).text
    assert "more than an Excel cell keeps (32,767). Export as CSV instead" in page
    csv_export = alice_client.get(reverse("importer:export_contacts"), **EN)
    assert csv_export.content.decode("utf-8-sig").count("6" * 5000) == 1


def test_the_list_exports_its_filter_as_a_workbook(alice_client, acme):
    company(acme, "Kieler Werft GmbH", billing_city="Kiel")
    company(acme, "Bonner Bau GmbH", billing_city="Bonn")
    response = alice_client.get(reverse("importer:export_contacts_xlsx"), {"q": "kiel"}, **DE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = read_workbook(response.content)
    assert book.sheet_names == ["Kunden"]
    assert [row["Firmenname"] for row in by_header(book.rows)] == ["Kieler Werft GmbH"]


def test_the_file_name_keeps_umlauts_with_an_ascii_fallback(alice_client, acme):
    acme.name = "Bäckerei Müller"
    acme.save(update_fields=["name"])
    response = alice_client.get(reverse("importer:export_contacts_xlsx"), **DE)
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Baeckerei Mueller - Kunden ')
    assert "filename*=UTF-8''B%C3%A4ckerei%20M%C3%BCller%20%E2%80%93%20Kunden%20" in disposition
    assert disposition.endswith(".xlsx")


def test_the_list_page_offers_both_formats(alice_client, acme):
    company(acme)
    page = alice_client.get(reverse("contacts:list"), **DE).text
    assert "Als CSV exportieren" in page and "Als Excel exportieren" in page


def test_a_viewer_may_export_and_another_organization_sees_none_of_it(
    vera_client, charlie_client, acme
):
    company(acme, "Geheim GmbH")
    for name in ("importer:export_contacts_xlsx", "importer:export_products_xlsx"):
        assert vera_client.get(reverse(name)).status_code == 200
        assert vera_client.post(reverse(name)).status_code == 405
    foreign = charlie_client.get(reverse("importer:export_contacts_xlsx"))
    assert foreign.status_code == 200
    assert "Geheim GmbH" not in str(read_workbook(foreign.content).rows)


def test_a_person_with_a_company_name_comes_back_a_person(acme, globex):
    create_contact(
        organization=acme,
        data={"kind": "person", "last_name": "Kurz", "salutation": "Frau", "company_name": "Amt"},
        by=None,
    )
    with translation.override("de"):
        data = CUSTOMERS.export(CUSTOMERS.records(acme))
        assert by_header(csv_rows(data))[0]["Kontaktart"] == "Person"
        assert import_into(globex, data).counts["new"] == 1
    copy = Contact.objects.get(organization=globex)
    assert (copy.kind, copy.company_name, copy.salutation) == ("person", "Amt", "Frau")


def test_an_unknown_contact_type_is_refused_in_the_users_language(acme):
    data = "Firmenname;Kontaktart\r\nAmt;Behörde\r\n".encode()
    with translation.override("de"):
        run, _parsed = services.start_import(
            organization=acme, target="customers", file_name="k.csv", data=data, by=None
        )
        result = services.check(run)
    assert [e.message for e in result.errors] == [
        "„Behörde“ ist keine Kontaktart. Schreiben Sie Firma oder Person (Company oder Person)."
    ]


def test_the_preview_shows_the_notes_and_the_archive_flag_as_words(bob_client, acme):
    data = b'Firmenname;Archiviert;Notiz\r\nAmt;1;"Eins\n\n----\n\nZwei"\r\n'
    run, _parsed = services.start_import(
        organization=acme, target="customers", file_name="k.csv", data=data, by=None
    )
    page = bob_client.get(reverse("importer:preview", args=[run.pk]), **EN).text
    assert "<td>Eins · Zwei</td>" in page
    assert "<td>yes</td>" in page
    assert "(&#x27;Eins" not in page


def test_a_header_naming_a_contact_person_beyond_the_limit_is_not_assigned(acme):
    data = "Firmenname;Ansprechpartner 7 Nachname;Ansprechpartner 100001 Nachname\r\nAmt;A;B\r\n"
    run, _parsed = services.start_import(
        organization=acme, target="customers", file_name="k.csv", data=data.encode(), by=None
    )
    assert run.mapping == ["company_name", "person7_last_name", ""]
