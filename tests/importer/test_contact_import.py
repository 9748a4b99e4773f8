"""Importing customers and suppliers: columns, checks, writing, duplicates, undo, error file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from contacts_app.services import create_contact
from importer import services
from importer.models import ImportRun, OnDuplicate

FIXTURES = Path(__file__).parent / "fixtures"


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def start(org, data: bytes, target: str = "customers", by=None):
    with translation.override("en"):
        run, parsed = services.start_import(
            organization=org, target=target, file_name="test.csv", data=data, by=by
        )
    return run, parsed


def test_it_assigns_every_lexoffice_column_automatically(acme):
    run, parsed = start(acme, sample("kunden-lexoffice-cp1252.csv"))
    unassigned = [h for h, key in zip(parsed.headers, run.mapping, strict=True) if not key]
    assert unassigned == []


def test_it_shows_unknown_english_columns_as_not_imported(acme):
    run, parsed = start(acme, sample("customers-en-utf8-bom.csv"))
    unassigned = [h for h, key in zip(parsed.headers, run.mapping, strict=True) if not key]
    assert unassigned == ["Lead source"]
    assert dict(zip(parsed.headers, run.mapping, strict=True))["Industry"] == "industry"
    assert parsed.headers[0] == "Customer number"


def test_the_preview_writes_nothing(acme):
    run, _parsed = start(acme, sample("kunden-lexoffice-cp1252.csv"))
    result = services.check(run)
    assert result.counts["new"] == 300
    assert result.counts["invalid"] == 0
    assert Contact.objects.count() == 0


def test_it_imports_the_lexoffice_sample_with_umlauts_persons_and_numbers(acme, alice):
    run, _parsed = start(acme, sample("kunden-lexoffice-cp1252.csv"), by=alice)
    result = services.commit(run, by=alice)
    assert result.counts["new"] == 300
    assert Contact.objects.filter(organization=acme).count() == 300
    numbers = list(Contact.objects.values_list("customer_number", flat=True))
    assert len(set(numbers)) == 300
    assert all(10000 <= n <= 69999 for n in numbers)
    assert Contact.objects.filter(customer_number=10000, last_name="Krüger").exists()
    company = Contact.objects.get(company_name="Gärtnerei Meyer GmbH")
    assert company.kind == Contact.Kind.COMPANY
    assert company.billing_country == "AT"
    assert ContactPerson.objects.filter(contact__organization=acme).exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.file_data is None


def test_suppliers_get_numbers_from_70000(acme):
    run, _parsed = start(acme, sample("lieferanten-cp1252.csv"), target="suppliers")
    services.commit(run, by=None)
    numbers = sorted(Contact.objects.values_list("supplier_number", flat=True))
    assert len(numbers) == 80
    assert numbers[0] >= 70000
    assert not Contact.objects.filter(is_customer=True).exists()


def test_each_bad_value_gets_its_own_message_and_the_valid_row_is_imported(acme):
    run, _parsed = start(acme, sample("bad-values-cp1252.csv"))
    result = services.check(run)
    assert result.counts["invalid"] == 7
    assert result.counts["new"] == 2
    errors = {e.line: e for e in result.errors}
    assert "between 10000 and 69999" in errors[2].message
    assert errors[2].column == "Customer number"
    services.commit(run, by=None)
    assert Contact.objects.count() == 2


def test_duplicate_numbers_in_the_file_are_flagged(acme):
    data = csv_bytes(
        "Kundennummer;Firmenname",
        "10500;Erste GmbH",
        "10500;Zweite GmbH",
    )
    run, _parsed = start(acme, data)
    result = services.check(run)
    assert result.counts == {**result.counts, "new": 1, "invalid": 1}
    assert "line 2" in result.errors[0].message


def test_an_existing_number_is_updated_or_skipped_as_chosen(acme, alice):
    create_contact(
        organization=acme,
        by=alice,
        data={"kind": "company", "company_name": "Alt GmbH", "customer_number": 10007},
    )
    data = csv_bytes("Kundennummer;Firmenname;Ort", "10007;ALT GmbH;Köln", "10008;Andere AG;Bonn")
    run, _parsed = start(acme, data)
    run.on_duplicate = OnDuplicate.SKIP
    assert services.check(run).counts["skip"] == 1
    run.on_duplicate = OnDuplicate.UPDATE
    result = services.commit(run, by=alice)
    assert result.counts["update"] == 1
    assert result.counts["new"] == 1
    updated = Contact.objects.get(customer_number=10007)
    assert (updated.company_name, updated.billing_city, updated.version) == ("ALT GmbH", "Köln", 2)


def test_an_unchanged_row_is_reported_as_unchanged(acme, alice):
    create_contact(
        organization=acme,
        by=alice,
        data={
            "kind": "company",
            "company_name": "Gleich GmbH",
            "customer_number": 10001,
            "billing_city": "Ulm",
        },
    )
    run, _parsed = start(acme, csv_bytes("Kundennummer;Firmenname;Ort", "10001;Gleich GmbH;Ulm"))
    assert services.check(run).counts["unchanged"] == 1


def test_rows_without_a_number_skip_numbers_the_file_brings(acme):
    data = csv_bytes("Kundennummer;Firmenname", ";Ohne GmbH", "10000;Mit GmbH")
    run, _parsed = start(acme, data)
    services.commit(run, by=None)
    assert sorted(Contact.objects.values_list("customer_number", flat=True)) == [10000, 10001]


def test_contact_persons_web_profiles_and_notes_become_records(acme):
    data = csv_bytes(
        "Firmenname;Webseite;Ansprechpartner 1 Vorname;Ansprechpartner 1 Nachname;"
        "Ansprechpartner 1 Durchwahl;Notiz",
        "Beispiel GmbH;www.beispiel.de;Anna;Schäfer;12;Zahlt pünktlich",
    )
    run, _parsed = start(acme, data)
    services.commit(run, by=None)
    contact = Contact.objects.get()
    assert contact.persons.get().phone_extension == "12"
    assert WebProfile.objects.get(contact=contact).kind == "website"
    assert Note.objects.get(contact=contact).text == "Zahlt pünktlich"


def test_the_failed_rows_file_has_the_original_cells_and_the_reason(acme):
    run, _parsed = start(acme, sample("bad-values-cp1252.csv"))
    services.commit(run, by=None)
    run.refresh_from_db()
    text = bytes(run.failed_rows).decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert len(lines) == 8  # header and seven invalid rows
    assert lines[0].endswith(";Error")
    assert "Zu kurze Nummer GmbH" in text


def test_undo_deletes_what_nobody_changed_and_keeps_the_rest(acme, alice):
    data = csv_bytes("Firmenname", "Eins GmbH", "Zwei GmbH")
    run, _parsed = start(acme, data)
    services.commit(run, by=alice)
    run.refresh_from_db()
    touched = Contact.objects.get(company_name="Zwei GmbH")
    from contacts_app.services import update_contact

    update_contact(
        contact=touched, data={"billing_city": "Jena"}, by=alice, expected_version=touched.version
    )
    outcome = services.undo(run, by=alice)
    assert outcome.deleted == 1
    assert [k["name"] for k in outcome.kept] == ["Zwei GmbH"]
    assert list(Contact.objects.values_list("company_name", flat=True)) == ["Zwei GmbH"]


def test_an_import_cannot_be_committed_twice(acme):
    run, _parsed = start(acme, csv_bytes("Firmenname", "Eins GmbH"))
    services.commit(run, by=None)
    with pytest.raises(services.ImportFileError):
        services.commit(run, by=None)
    assert Contact.objects.count() == 1


def test_the_last_assignment_prefills_the_next_import(acme):
    data = csv_bytes("Firma;Wohnort", "Eins GmbH;Ulm")
    run, _parsed = start(acme, data)
    assert run.mapping == ["", ""]
    services.set_mapping(run, mapping=["company_name", "billing_city"], on_duplicate="update")
    services.commit(run, by=None)
    again, _parsed = start(acme, data)
    assert again.mapping == ["company_name", "billing_city"]


def test_a_cell_that_looks_like_a_formula_is_imported_as_text_with_a_notice(acme):
    run, _parsed = start(acme, csv_bytes("Firmenname;Notiz", '=HYPERLINK("http://x");-Rabatt'))
    result = services.check(run)
    assert (result.counts["new"], result.counts["invalid"]) == (1, 0)
    assert [(n.line, n.column, n.value) for n in result.notices] == [
        (2, "Company name", '=HYPERLINK("http://x")'),
        (2, "Note", "-Rabatt"),
    ]
    services.commit(run, by=None)
    contact = Contact.objects.get()
    assert contact.company_name == '=HYPERLINK("http://x")'
    assert contact.notes.get().text == "-Rabatt"


def test_imported_contacts_are_found_by_search_and_later_ones_too(acme, alice):
    from contacts_app.selectors import ContactFilter, contact_list

    def found(query: str) -> list[str]:
        return [c.display_name for c in contact_list(acme, ContactFilter(query=query))]

    run, _parsed = start(
        acme,
        csv_bytes(
            "Firmenname;Ort;Ansprechpartner 1 Vorname;Ansprechpartner 1 Nachname",
            "Käserei Möller GmbH;Köln;Sophie;Brandtner",
            "Holzbau Neumann;Leipzig;;",
        ),
    )
    services.commit(run, by=alice)
    assert found("moeller") == ["Käserei Möller GmbH"]
    assert found("brandtn") == ["Käserei Möller GmbH"]  # the contact person's name
    assert found("leipz") == ["Holzbau Neumann"]
    # Contacts saved one by one after an import are indexed as before.
    create_contact(organization=acme, by=alice, data={"kind": "company", "company_name": "Zander"})
    assert found("zande") == ["Zander"]


def test_an_import_that_fails_while_writing_leaves_search_working(acme, alice, monkeypatch):
    from contacts_app.selectors import ContactFilter, contact_list
    from importer.reading import ImportFileError
    from importer.targets import contact_writing

    def exhausted(**_kwargs):
        raise contact_writing.NumberRangeExhausted

    monkeypatch.setattr(contact_writing, "allocate_numbers", exhausted)
    run, _parsed = start(acme, csv_bytes("Firmenname", "Ohne Nummer GmbH"))
    with pytest.raises(ImportFileError):
        services.commit(run, by=alice)
    assert not Contact.objects.filter(organization=acme).exists()
    create_contact(organization=acme, by=alice, data={"kind": "company", "company_name": "Zander"})
    assert [c.display_name for c in contact_list(acme, ContactFilter(query="zande"))] == ["Zander"]


def test_a_company_keeps_no_salutation_or_title_from_a_file_as_in_the_form(acme, alice):
    data = csv_bytes("Firmenname;Anrede;Titel", "Holzbau Berg GmbH;Herr;Dr.", encoding="cp1252")
    run, _parsed = start(acme, data, by=alice)
    services.commit(run, by=alice)
    company = Contact.objects.get(company_name="Holzbau Berg GmbH")
    assert (company.salutation, company.title) == ("", "")

    run, _parsed = start(
        acme,
        csv_bytes(
            "Kundennummer;Firmenname;Anrede", f"{company.customer_number};Holzbau Berg GmbH;Frau"
        ),
        by=alice,
    )
    services.commit(run, by=alice)
    company.refresh_from_db()
    assert company.salutation == ""
