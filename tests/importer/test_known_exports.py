"""Other programs' exports: recognised by their headers and assigned without a click, several
phone numbers and e-mail addresses put where they belong, a row with a company and a person
made a company with its contact person, tags from categories and labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from contacts_app.models import Contact, ContactPerson, Tag
from contacts_app.services import create_contact
from contacts_app.tags import set_tags
from history.models import Change, Source
from importer import known_exports, services
from importer.checking import MixedRows
from importer.targets import CUSTOMERS

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def start(org, data: bytes, *, language: str = "de", name: str = "kontakte.csv"):
    with translation.override(language):
        return services.start_import(
            organization=org, target="customers", file_name=name, data=data, by=None
        )


def imported(org, data: bytes, *, language: str = "de", mixed_rows: str = ""):
    run, _parsed = start(org, data, language=language)
    if mixed_rows:
        services.set_mixed_rows(run, mixed_rows)
    with translation.override(language):
        result = services.commit(run, by=None)
    assert result.counts["invalid"] == 0, [e.message for e in result.errors]
    return run, result


def contact(org, name: str) -> Contact:
    return Contact.objects.get(organization=org, display_name=name)


def tag_names(contact: Contact) -> list[str]:
    return sorted(contact.tags.values_list("name", flat=True))


def note_of(contact: Contact) -> str:
    return "\n".join(contact.notes.values_list("text", flat=True))


@pytest.mark.parametrize(
    ("name", "export"),
    [
        ("outlook-de-cp1252.csv", "outlook_de"),
        ("outlook-en-utf8-bom.csv", "outlook_en"),
        ("google-contacts.csv", "google"),
        ("google-contacts-old.csv", "google_old"),
        ("kunden-lexoffice-cp1252.csv", "lexoffice_template"),
        ("customers-en-utf8-bom.csv", None),
    ],
)
def test_it_recognises_an_export_by_its_header_row(acme, name, export):
    _run, parsed = start(acme, sample(name))
    found = known_exports.recognise(parsed.headers, CUSTOMERS)
    assert (found.key if found else None) == export


def test_every_column_of_an_outlook_export_kontor_has_a_place_for_is_assigned(acme):
    run, parsed = start(acme, sample("outlook-de-cp1252.csv"))
    assigned = dict(zip(parsed.headers, run.mapping, strict=True))
    assert assigned["Firma"] == "company_name"
    assert assigned["Kategorien"] == "tags"
    assert assigned["E-Mail 2: Adresse"] == "email_1_value"
    # Outlook's "Ort" is a meeting place, not the city; the birthday has no place in Kontor.
    assert assigned["Ort"] == ""
    assert assigned["Geburtstag"] == ""


def test_a_lexoffice_export_with_both_numbers_is_assigned(acme):
    header = (
        "Kundennummer;Lieferantennummer;Firmenname;Kontakt;Straße 1;PLZ 1;Ort 1;E-Mail 1;Telefon 1"
    )
    data = f"{header}\r\n10010;;Bäckerei Nord GmbH;;Hafenstraße 2;20457;Hamburg;a@b.de;040 123\r\n"
    run, parsed = start(acme, data.encode("cp1252"))
    assert known_exports.recognise(parsed.headers, CUSTOMERS).key == "lexoffice"
    assert run.mapping == [
        "customer_number",
        "",
        "company_name",
        "",
        "billing_street",
        "billing_postal_code",
        "billing_city",
        "email_business",
        "phone_business",
    ]


def test_kontors_own_export_is_recognised_and_carries_the_tags(acme, globex):
    customer = create_contact(
        organization=acme, data={"kind": "person", "last_name": "Krause"}, by=None
    )
    set_tags(contact=customer, names=["Stammkunde", "Newsletter"], by=None)
    with translation.override("de"):
        data = CUSTOMERS.export(CUSTOMERS.records(acme))
        run, parsed = services.start_import(
            organization=globex, target="customers", file_name="e.csv", data=data, by=None
        )
        assert known_exports.recognise(parsed.headers, CUSTOMERS).key == "kontor_de"
        services.commit(run, by=None)
    assert tag_names(contact(globex, "Krause")) == ["Newsletter", "Stammkunde"]


def test_an_outlook_row_with_company_and_person_becomes_the_company_with_its_contact_person(
    acme,
):
    imported(acme, sample("outlook-de-cp1252.csv"))
    company = contact(acme, "Bäckerei Müller GmbH")
    assert company.is_company
    assert (company.billing_street, company.billing_postal_code, company.billing_city) == (
        "Hauptstraße 5",
        "50667",
        "Köln",
    )
    assert company.phone_business == "+49 221 123450"
    assert company.phone_fax == "+49 221 123459"
    assert company.phone_other == "+49 221 123451"  # Telefon geschäftlich 2
    # The person's address went with the person, the second one is the company's.
    assert (company.email_business, company.email_other) == ("einkauf@baeckerei-mueller.de", "")
    person = company.persons.get()
    assert (person.salutation, person.first_name, person.last_name) == ("Frau", "Anna", "Schäfer")
    assert person.position == "Einkaufsleiterin"
    assert person.email == "anna.schaefer@baeckerei-mueller.de"
    assert person.mobile == "+49 170 5550101"
    assert tag_names(company) == ["Großhandel", "Kunden"]
    assert "Liefert dienstags." in note_of(company)
    assert "Abteilung: Einkauf" in note_of(company)


def test_a_row_with_only_a_person_becomes_a_person_and_no_number_is_dropped(acme):
    imported(acme, sample("outlook-de-cp1252.csv"))
    person = contact(acme, "Jürgen Karl Weiß")
    assert not person.is_company
    assert person.first_name == "Jürgen Karl"  # with the middle name
    assert person.phone_business == "+49 89 1112220"
    assert person.phone_mobile == "+49 171 2223334"
    assert person.phone_other == "+49 89 4445550"  # Telefon privat, the first without a field
    assert (person.email_business, person.email_other) == (
        "juergen.weiss@example.de",
        "jk.weiss@example.org",
    )
    # No business address: the private one is the contact's address.
    assert (person.billing_street, person.billing_city) == ("Lindenweg 3", "München")
    note = note_of(person)
    assert (
        "Weitere Telefonnummern: Telefon privat 2: +49 89 4445551, Weiteres Telefon: "
        "+49 89 7776665, Autotelefon: +49 172 9998887"
    ) in note
    assert "Weitere E-Mail-Adressen: E-Mail 3: weiss@example.net" in note
    assert "Position: Berater" in note
    assert not person.persons.exists()


def test_a_row_with_only_a_company_becomes_a_company_and_tags_compare_folded(acme):
    imported(acme, sample("outlook-de-cp1252.csv"))
    company = contact(acme, "Gärtnerei Krüger KG")
    assert company.is_company and not company.persons.exists()
    assert company.email_business == "info@gaertnerei-krueger.de"
    assert company.phone_business == "+49 341 600700"  # Telefon Firma
    # "kunden" in this row is the tag "Kunden" of the first row, not a second one.
    assert tag_names(company) == ["Kunden", "Lieferanten"]
    assert Tag.objects.filter(organization=acme, name__iexact="kunden").count() == 1


def test_every_row_a_person_keeps_the_company_in_the_note(acme):
    imported(acme, sample("outlook-de-cp1252.csv"), mixed_rows=MixedRows.PERSONS)
    anna = contact(acme, "Anna Schäfer")
    assert not anna.is_company and not anna.persons.exists()
    assert anna.email_business == "anna.schaefer@baeckerei-mueller.de"
    assert anna.phone_mobile == "+49 170 5550101"
    assert "Firma: Bäckerei Müller GmbH" in note_of(anna)
    assert "Position: Einkaufsleiterin" in note_of(anna)
    # A row with a company only is a company all the same.
    assert contact(acme, "Gärtnerei Krüger KG").is_company


def test_an_english_outlook_export_with_a_bom(acme):
    imported(acme, sample("outlook-en-utf8-bom.csv"), language="en")
    company = contact(acme, "Brown & Sons Ltd")
    person = company.persons.get()
    assert (person.first_name, person.last_name, person.position) == (
        "Oliver",
        "Brown",
        "Managing Director",
    )
    assert person.email == "oliver@brown-sons.example"
    assert company.phone_business == "+49 30 5556660"
    assert tag_names(company) == ["Customers", "VIP"]
    emma = contact(acme, "Emma Clark")
    assert (emma.phone_mobile, emma.phone_other) == ("+49 151 9998887", "+49 40 3334445")
    assert (emma.billing_street, emma.billing_city) == ("Elbchaussee 1", "Hamburg")


def test_google_labels_decide_the_kind_and_its_groups_of_everyone_are_dropped(acme):
    imported(acme, sample("google-contacts.csv"))
    company = contact(acme, "Vogel Design")
    lena = company.persons.get()
    assert lena.email == "lena@vogel-design.example"  # "* Work"
    assert lena.position == "Inhaberin"
    # "Phone 2 - Value" holds two mobile numbers: the first is Lena's, the second is kept.
    assert lena.mobile == "+49 176 44556677"
    assert company.phone_other == "+49 176 11223344"
    assert company.phone_business == "+49 711 220033"
    assert company.email_business == "lena.vogel@example.de"
    assert tag_names(company) == ["Kunden"]  # without "* myContacts" and "* starred"
    max_ = contact(acme, "Max Öztürk")
    assert (max_.phone_mobile, max_.phone_other, max_.phone_fax) == (
        "+49 152 1234567",
        "+49 30 7654321",
        "+49 30 7654329",
    )
    assert tag_names(max_) == ["Freunde"]
    assert Tag.objects.filter(organization=acme, name__icontains="mycontacts").count() == 0


def test_the_older_google_export(acme):
    imported(acme, sample("google-contacts-old.csv"))
    company = contact(acme, "Schmitz Bau GmbH")
    paul = company.persons.get()
    assert (paul.first_name, paul.last_name, paul.position) == ("Paul", "Schmitz", "Bauleiter")
    assert (paul.email, paul.mobile) == ("paul@schmitz-bau.example", "+49 173 5556667")
    assert company.phone_business == "+49 228 990011"
    assert company.billing_country == "DE"
    assert tag_names(company) == ["Handwerker"]


def test_assigning_firma_no_longer_fails_every_company_row(acme):
    """Part of an Outlook file assigned by hand: company, person and position side by side."""
    data = (
        b"Firma;Vorname;Nachname;Position;E-Mail-Adresse\r\n"
        b"Hof Lindner GbR;Eva;Lindner;Inhaberin;eva@hof-lindner.example\r\n"
        b"Lindner Technik;;;;info@lindner-technik.example\r\n"
    )
    run, _parsed = start(acme, data)
    services.set_mapping(
        run,
        mapping=["company_name", "first_name", "last_name", "person1_position", "email_business"],
        on_duplicate="update",
    )
    with translation.override("de"):
        result = services.commit(run, by=None)
    assert result.counts["new"] == 2 and result.counts["invalid"] == 0
    eva = ContactPerson.objects.get(last_name="Lindner")
    assert (eva.contact.display_name, eva.position) == ("Hof Lindner GbR", "Inhaberin")


def test_tags_are_added_to_an_updated_contact_recorded_and_undone(acme):
    existing = create_contact(
        organization=acme,
        data={"kind": "person", "last_name": "Krause", "customer_number": 10007},
        by=None,
    )
    set_tags(contact=existing, names=["Müller"], by=None)
    data = 'Kundennummer;Nachname;Schlagwörter\r\n10007;Krause;"mueller; Stammkunde"\r\n'
    run, result = imported(acme, data.encode())
    assert result.counts["update"] == 1
    existing.refresh_from_db()
    # "mueller" is the tag "Müller" already; "Stammkunde" is created.
    assert tag_names(existing) == ["Müller", "Stammkunde"]
    change = Change.objects.get(contact_id=existing.pk, changeset__source=Source.IMPORT)
    assert change.fields["tags"] == [["Müller"], ["Müller", "Stammkunde"]]
    services.undo(run, by=None)
    assert tag_names(existing) == ["Müller"]
    assert not Tag.objects.filter(organization=acme, name="Stammkunde").exists()


def test_undoing_the_import_takes_the_new_contacts_and_their_tags_away(acme):
    run, _result = imported(acme, sample("google-contacts.csv"))
    assert Contact.objects.filter(organization=acme).count() == 2
    # A tag the import created that a colleague gives a contact meanwhile stays.
    kept = create_contact(organization=acme, data={"kind": "person", "last_name": "Ott"}, by=None)
    set_tags(contact=kept, names=["Freunde"], by=None)
    services.undo(run, by=None)
    assert Contact.objects.filter(organization=acme).count() == 1
    # The other tags the import created are gone with its contacts.
    assert list(Tag.objects.filter(organization=acme).values_list("name", flat=True)) == ["Freunde"]


def test_a_tag_name_that_cannot_be_one_fails_its_row_with_a_message(acme):
    long_name = "x" * 200
    data = f"Nachname;Schlagwörter\r\nKrause;{long_name}\r\n".encode()
    run, _parsed = start(acme, data)
    with translation.override("de"):
        result = services.check(run)
    assert result.counts["invalid"] == 1
    error = result.errors[0]
    assert error.column == "Schlagwörter"
    assert error.message.startswith("Ein Schlagwort hat höchstens 50 Zeichen: „xxx")


def test_a_header_kontor_does_not_know_gets_a_suggestion_that_is_not_applied(acme):
    data = b"Nachname;Handynummer;Geburtsort\r\nKrause;+49 170 1234567;Bremen\r\n"
    # "Geburtsort" ends like "Ort", which is no reason to take it for the city.
    run, parsed = start(acme, data)
    assert run.mapping == ["last_name", "", ""]
    suggested = known_exports.suggestions(parsed.headers, run.mapping, CUSTOMERS.import_columns)
    assert {parsed.headers[i]: c.key for i, c in suggested.items()} == {
        "Handynummer": "phone_mobile"
    }


def test_import_csv_recognises_the_export_too(acme, tmp_path, capsys):
    path = tmp_path / "outlook.csv"
    path.write_bytes(sample("outlook-de-cp1252.csv"))
    call_command("import_csv", str(path), organization=acme.slug, target="customers")
    out = capsys.readouterr().out
    assert "Recognised: Outlook export (German)" in out
    assert "3 new" in out
    person = ContactPerson.objects.get(last_name="Schäfer")
    assert person.contact.display_name == "Bäckerei Müller GmbH"


def test_import_csv_can_make_every_row_a_person(acme, tmp_path, capsys):
    path = tmp_path / "outlook.csv"
    path.write_bytes(sample("outlook-de-cp1252.csv"))
    call_command(
        "import_csv", str(path), organization=acme.slug, target="customers", every_row_a_person=True
    )
    assert not ContactPerson.objects.exists()
    assert contact(acme, "Anna Schäfer").is_company is False
