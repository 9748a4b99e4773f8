"""Complete error files, text that looks like a formula kept as data, and the field's own checks
in the import."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from contacts_app.models import Contact
from contacts_app.services import add_note, trash_contact
from importer import services
from importer.checking import RowChoice
from importer.documents import template_csv
from importer.exporting import export_target
from importer.formulas import escape_formula, shield_cell, unescape_formula
from importer.models import ImportRun
from importer.targets import TARGETS
from tests.contacts.conftest import make_company

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
pytestmark = pytest.mark.django_db


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client, data: bytes) -> ImportRun:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("kunden.csv", data, content_type="text/csv")
    response = client.post("/import/customers/upload/", {"file": file}, **EN)
    assert response.status_code == 302
    return ImportRun.objects.latest("pk")


def rows_of(data: bytes, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


# --- complete error files --------------------------------------------------------------------

FILE_AND_DATABASE = csv_bytes(
    "Kundennummer;Firmenname;Ort;E-Mail",
    "10001;Alt GmbH;Köln;info@alt.example",  # the database refuses it: a person has 10001
    "10002;Neu GmbH;Bonn;kein-mail",  # the file's check refuses it
    "10003;Gut GmbH;Ulm;",
)


@pytest.fixture
def person_10001(acme):
    from tests.contacts.conftest import make_person

    return make_person(acme, "Anna", "Alt", customer_number=10001)


def test_a_row_the_database_refuses_comes_back_with_all_its_cells(bob_client, acme, person_10001):
    run = upload(bob_client, FILE_AND_DATABASE)
    with translation.override("en"):
        services.set_choices(run, on_mismatch=RowChoice.UPDATE)
    assert bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).status_code == 200
    bob_client.post(f"/import/runs/{run.pk}/confirm/", **EN)
    header, *rows = rows_of(bob_client.get(f"/import/runs/{run.pk}/failed.csv", **EN).content)
    assert header == ["Kundennummer", "Firmenname", "Ort", "E-Mail", "Error"]
    assert [row[:4] for row in rows] == [
        ["10001", "Alt GmbH", "Köln", "info@alt.example"],
        ["10002", "Neu GmbH", "Bonn", "kein-mail"],
    ]
    assert "a row cannot make it a company" in rows[0][4]
    assert "Not a valid e-mail address." in rows[1][4]


def test_the_preview_offers_the_error_file_before_importing(bob_client, acme, person_10001):
    run = upload(bob_client, FILE_AND_DATABASE)
    with translation.override("en"):
        services.set_choices(run, on_mismatch=RowChoice.UPDATE)
    page = bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).content.decode()
    assert f'href="/import/runs/{run.pk}/preview/failed.csv"' in page
    response = bob_client.get(f"/import/runs/{run.pk}/preview/failed.csv", **EN)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kunden-errors.csv"'
    assert [row[:2] for row in rows_of(response.content)[1:]] == [
        ["10001", "Alt GmbH"],
        ["10002", "Neu GmbH"],
    ]
    assert not Contact.objects.filter(company_name="Gut GmbH").exists()


def test_with_only_bad_rows_the_error_file_is_still_offered(bob_client, acme):
    run = upload(bob_client, csv_bytes("Firmenname;E-Mail", "A GmbH;kein-mail", ";x@y.example"))
    page = bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).content.decode()
    assert "Nothing to import" in page
    assert "Download the 2 rows with errors (CSV)" in page
    response = bob_client.get(f"/import/runs/{run.pk}/preview/failed.csv", **EN)
    assert [row[:2] for row in rows_of(response.content)[1:]] == [
        ["A GmbH", "kein-mail"],
        ["", "x@y.example"],
    ]


def test_a_file_without_errors_has_no_error_file(bob_client, acme):
    run = upload(bob_client, csv_bytes("Firmenname", "A GmbH"))
    assert bob_client.get(f"/import/runs/{run.pk}/preview/failed.csv").status_code == 404


def test_the_error_file_of_a_preview_is_for_editors_of_the_organization(
    vera_client, charlie_client, bob_client, acme
):
    run = upload(bob_client, csv_bytes("Firmenname;E-Mail", "A GmbH;kein-mail"))
    url = f"/import/runs/{run.pk}/preview/failed.csv"
    assert charlie_client.get(url).status_code == 404
    assert vera_client.get(url).status_code == 403


# --- text that looks like a formula ----------------------------------------------------------

TRICKY = [
    "=SUMME(A1:A3)",
    "+49 30 1234567",
    "-5 % Rabatt",
    "@kontor",
    "'=schon markiert",
    "''+zwei Apostrophe",
    "'nur ein Apostroph",
    "Text mit = in der Mitte",
]


@given(st.text(max_size=30))
def test_escaping_is_undone_exactly_by_the_import(text):
    assert unescape_formula(escape_formula(text)) == text
    assert not escape_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("raw", ["=1+1", "'=1+1", " @x", "\t-3", "plain", "'plain"])
def test_a_cell_passed_back_in_the_error_file_reads_as_it_did(raw):
    shielded = shield_cell(raw)
    assert not shielded.startswith(("=", "+", "-", "@", "\t", "\r"))
    stripped = raw.strip()
    assert unescape_formula(shielded.strip()) == unescape_formula(stripped)


def test_export_then_import_returns_the_original_text(acme, globex, alice):
    contact = make_company(
        acme, TRICKY[0], by=alice, billing_city=TRICKY[2], phone_business=TRICKY[1]
    )
    for text in TRICKY:
        add_note(contact=contact, text=text, by=alice)
    make_company(acme, "'=schon markiert GmbH", by=alice, billing_street="''+Gasse 1")
    with translation.override("de"):
        data = export_target(acme, "customers")
        for row in rows_of(data)[1:]:
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
        run, _parsed = services.start_import(
            organization=globex, target="customers", file_name="e.csv", data=data, by=None
        )
        result = services.commit(run, by=None)
    assert result.counts["new"] == 2 and result.counts["invalid"] == 0
    copy = Contact.objects.get(organization=globex, company_name=TRICKY[0])
    assert (copy.billing_city, copy.phone_business) == (TRICKY[2], TRICKY[1])
    assert [note.text for note in copy.notes.order_by("id")] == list(TRICKY)
    other = Contact.objects.get(organization=globex, billing_street="''+Gasse 1")
    assert other.company_name == "'=schon markiert GmbH"


def test_cells_that_look_like_formulas_are_a_notice_in_the_preview(bob_client, acme):
    run = upload(
        bob_client, csv_bytes("Firmenname;Notiz;Telefon", "=A1 GmbH;@bitte anrufen;+49 30 1")
    )
    page = bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).content.decode()
    assert "2 notices" in page
    assert 'data-testid="errors"' not in page
    assert "Import now (1 new, 0 updated)" in page


def test_the_template_escapes_its_examples(acme):
    with translation.override("de"):
        header, example = rows_of(template_csv(TARGETS[0]))
    assert example[header.index("Telefon")] == "'+49 30 1234567"


# --- the field's own checks ------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.key)
def test_every_example_of_the_template_passes_its_columns_check(target):
    from django.core.exceptions import ValidationError

    for column in target.columns:
        if column.example:
            try:
                column.parse(column.example)
            except ValidationError as error:  # pragma: no cover - the failure says which
                pytest.fail(f"{target.key} {column.key} {column.example!r}: {error.messages}")


def test_postal_codes_and_tax_numbers_are_stored_in_their_usual_form(acme):
    data = csv_bytes(
        "Firmenname;PLZ;Land;Steuernummer",
        "Berlin GmbH;D-10115;Deutschland;21/815/08150",
        "Amsterdam BV;1011ab;Niederlande;NL-123",
    )
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=acme, target="customers", file_name="k.csv", data=data, by=None
        )
        services.check(run)  # kept, and the import starts from what it kept
        assert ImportRun.objects.get(pk=run.pk).checked_rows is not None
        services.commit(ImportRun.objects.get(pk=run.pk), by=None)
    stored = dict(Contact.objects.values_list("company_name", "billing_postal_code"))
    assert stored == {"Berlin GmbH": "10115", "Amsterdam BV": "1011 AB"}
    assert Contact.objects.get(company_name="Berlin GmbH").tax_number == "21/815/08150"


def test_a_german_tax_number_in_no_lands_format_is_refused(acme):
    data = csv_bytes("Firmenname;Steuernummer", "A GmbH;12345")
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=acme, target="customers", file_name="k.csv", data=data, by=None
        )
        [error] = services.check(run).errors
    assert error.column == "Tax number"
    assert error.message.startswith("“12345” is not a German tax number (Steuernummer)")


def test_a_trashed_contacts_row_refused_at_import_keeps_its_cells(bob_client, acme, alice):
    gone = make_company(acme, "Weg GmbH", customer_number=10001)
    trash_contact(contact=gone, by=alice)
    run = upload(bob_client, csv_bytes("Kundennummer;Firmenname;Ort", "10001;Weg GmbH;Jena"))
    with translation.override("en"):
        services.set_choices(run, rows={2: RowChoice.UPDATE})
    response = bob_client.get(f"/import/runs/{run.pk}/preview/failed.csv", **EN)
    [row] = rows_of(response.content)[1:]
    assert row[:3] == ["10001", "Weg GmbH", "Jena"]
    assert "in the trash: restore it from the trash first" in row[3]
