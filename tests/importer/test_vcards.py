"""Importing vCard files (.vcf) as iPhone, Google, Outlook and CardDAV servers export them."""

from __future__ import annotations

import base64
import re
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from contacts_app.models import Contact, ContactPerson, WebProfile
from importer import services
from importer.formats import is_vcard, read_upload
from importer.models import ImportRun
from importer.reading import MAX_BYTES, ImportFileError

FIXTURES = Path(__file__).parent / "fixtures" / "vcards"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


@pytest.fixture(autouse=True)
def _language_kept():
    """German pages leave their language active in the thread; the next test gets its own."""
    previous = translation.get_language()
    yield
    translation.activate(previous) if previous else translation.deactivate()


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cards(*bodies: str, version: str = "3.0") -> bytes:
    """vCards of `version` around each body (its lines separated by "\\n"), CRLF as sent."""
    text = "".join(
        f"BEGIN:VCARD\nVERSION:{version}\n{body.strip()}\nEND:VCARD\n" for body in bodies
    )
    return text.replace("\n", "\r\n").encode()


def start(org, data: bytes, *, by=None, target: str = "customers", file_name="kontakte.vcf"):
    """The upload of `data` (in the language active), read: the run and the file."""
    return services.start_import(
        organization=org, target=target, file_name=file_name, data=data, by=by
    )


def import_file(org, data: bytes, *, language: str = "de", by=None, target: str = "customers"):
    with translation.override(language):
        run, parsed = start(org, data, by=by, target=target)
        result = services.commit(run, by=by)
    return run, parsed, result


def notes_of(contact: Contact) -> str:
    return "\n".join(note.text for note in contact.notes.all())


def read_error(data: bytes, language: str = "en") -> str:
    with translation.override(language):
        with pytest.raises(ImportFileError) as caught:
            read_upload(data)
        return caught.value.message


# --- What lands on the contacts --------------------------------------------------------------


def test_every_column_of_a_vcard_file_is_assigned_by_itself(acme):
    with translation.override("de"):
        run, parsed = start(acme, sample("iphone-3.0.vcf"))
    assert parsed.is_vcard
    assert all(run.mapping), dict(zip(parsed.headers, run.mapping, strict=True))
    assert "Firmenname" in parsed.headers
    assert len(parsed.rows) == 3


def test_an_iphone_company_card_with_a_person_becomes_a_company_with_its_contact_person(acme):
    _run, _parsed, result = import_file(acme, sample("iphone-3.0.vcf"))
    assert result.counts["new"] == 3, result.errors
    company = Contact.objects.get(company_name="Bäckerei Müller GmbH")
    assert company.kind == Contact.Kind.COMPANY
    assert (company.billing_street, company.billing_postal_code, company.billing_city) == (
        "Hauptstraße 5",
        "10115",
        "Berlin",
    )
    assert company.billing_country.code == "DE"
    assert company.phone_business.replace(" ", "").endswith("301234567")
    person = ContactPerson.objects.get(contact=company)
    assert (person.first_name, person.last_name) == ("Anna", "Schäfer")
    assert person.position == "Geschäftsführerin"
    assert person.email == "anna.schaefer@baeckerei-mueller.de"
    assert person.mobile.replace(" ", "").endswith("1701234567")
    profiles = {(p.kind, p.value) for p in WebProfile.objects.filter(contact=company)}
    assert ("website", "https://www.baeckerei-mueller.de") in profiles
    assert ("linkedin", "http://www.linkedin.com/in/annaschaefer") in profiles
    note = notes_of(company)
    assert "Liefert dienstags, bitte hinten klingeln." in note
    assert "Geburtstag: 1980-05-17" in note


def test_an_iphone_card_shown_as_company_without_a_name_becomes_a_company(acme):
    import_file(acme, sample("iphone-3.0.vcf"))
    printer = Contact.objects.get(company_name="Druckerei Weiß KG")
    assert printer.kind == Contact.Kind.COMPANY
    assert not printer.persons.exists()
    assert printer.email_business == "info@druckerei-weiss.de"
    assert printer.phone_fax.replace(" ", "").endswith("897654329")
    assert printer.billing_city == "München"


def test_values_without_a_field_left_are_appended_to_the_note_not_dropped(acme):
    import_file(acme, sample("iphone-3.0.vcf"))
    person = Contact.objects.get(last_name="Özdemir")
    assert person.kind == Contact.Kind.PERSON
    assert (person.salutation, person.first_name) == ("Herr", "Jürgen")
    assert person.email_business == "juergen@example.org"
    assert person.email_other == "j.oezdemir@example.com"
    assert person.billing_street == "Lindenallee 12"
    note = notes_of(person)
    assert "Weitere E-Mail-Adressen: oezdemir@firma.example (geschäftlich)" in note
    assert "Weitere Telefonnummern: 030 1112223 (geschäftlich)" in note
    assert "Weitere Adressen: Speicherstadt 1, 20457 Hamburg, Deutschland (geschäftlich)" in note
    # Its categories are its tags, now that customers have a tags column.
    assert "Kategorien" not in note
    assert sorted(person.tags.values_list("name", flat=True)) == ["Kunden", "Stammkunden"]


def test_the_note_speaks_the_language_of_the_headers(acme):
    _run, parsed, _result = import_file(acme, sample("iphone-3.0.vcf"), language="en")
    assert "Company name" in parsed.headers
    note = notes_of(Contact.objects.get(last_name="Özdemir"))
    assert "Further phone numbers: 030 1112223 (work)" in note


def test_a_google_export_keeps_its_escaped_addresses_and_drops_the_my_contacts_group(acme):
    import_file(acme, sample("google-3.0.vcf"))
    company = Contact.objects.get(company_name="Vogel IT-Service")
    assert company.billing_country.code == "DE"  # "Germany"
    person = company.persons.get()
    assert (person.last_name, person.position) == ("Vogel", "Inhaberin")
    assert person.email == "lena.vogel@vogel-it.de"
    profiles = {(p.kind, p.value) for p in company.web_profiles.all()}
    assert ("website", "https://www.vogel-it.de") in profiles
    assert ("xing", "https://www.xing.com/profile/Lena_Vogel") in profiles
    note = notes_of(company)
    assert "Rückruf bitte vormittags\nam liebsten dienstags" in note
    # Her private address is not the company's.
    assert company.email_business == ""
    assert "lena@example.net (privat)" in note
    assert [tag.name for tag in company.tags.all()] == ["Lieferanten"]
    assert "myContacts" not in note
    krueger = Contact.objects.get(last_name="Krüger")
    assert krueger.billing_street == "Schloßstraße 2"
    assert "myContacts" not in notes_of(krueger)


def test_an_outlook_2_1_card_in_windows_1252_quoted_printable_keeps_its_umlauts(acme):
    _run, parsed, result = import_file(acme, sample("outlook-2.1.vcf"))
    assert parsed.encoding == "cp1252"
    assert result.counts["new"] == 1, result.errors
    company = Contact.objects.get()
    assert company.company_name == "Großhändler Süd GmbH"
    assert company.billing_street == "Marienstraße 7"
    assert company.phone_fax
    person = company.persons.get()
    assert (person.first_name, person.last_name) == ("Jürgen", "Größer")
    assert person.position == "Einkaufsleiter für Süddeutschland"
    assert person.email == "j.groesser@grosshaendler-sued.de"
    assert notes_of(company) == "Bestellt quartalsweise.\nZuständig für Baden-Württemberg."


def test_a_vcard_4_0_card_with_quoted_types_and_uris(acme):
    import_file(acme, sample("nextcloud-4.0.vcf"))
    person = Contact.objects.get()
    assert person.kind == Contact.Kind.PERSON
    assert (person.title, person.first_name, person.last_name) == ("Dr.", "Paula", "Weiß")
    assert person.phone_mobile.replace(" ", "").replace("-", "").endswith("1705550101")
    assert person.phone_business.replace(" ", "").replace("-", "").endswith("305550100")
    assert person.billing_country.code == "DE"
    profiles = {(p.kind, p.value) for p in person.web_profiles.all()}
    assert ("skype", "paula.weiss") in profiles
    assert ("xing", "https://www.xing.com/profile/Paula_Weiss") in profiles
    assert "Jahrestag: 20100612" in notes_of(person)


def test_an_android_2_1_export_in_quoted_printable_utf_8_with_soft_line_breaks(acme):
    _run, parsed, result = import_file(acme, sample("android-2.1.vcf"))
    assert parsed.skipped_photos == 1
    assert result.counts["new"] == 2, result.errors
    person = Contact.objects.get(last_name="Müller")
    assert person.first_name == "Jörg"
    assert (person.billing_street, person.billing_city) == ("Bürgerstraße 12", "Düsseldorf")
    assert person.phone_mobile == "+49 160 1112223"
    assert notes_of(person) == (
        "Grüße an die Familie, ruft abends zurück. Lieblingskuchen: Apfelstrudel"
    )
    pizzeria = Contact.objects.get(company_name="Pizzeria Da Gino")
    assert pizzeria.kind == Contact.Kind.COMPANY
    assert pizzeria.phone_business == "0221 987654"


def test_contact_groups_are_skipped_and_counted(acme):
    data = cards(
        "N:Berg;Lisa",
        "KIND:group\nFN:Familie\nMEMBER:urn:uuid:1234",
        "X-ADDRESSBOOKSERVER-KIND:group\nN:Kollegen;;;;\nFN:Kollegen",
    )
    parsed = read_upload(data)
    assert (len(parsed.rows), parsed.skipped_groups) == (1, 2)
    import_file(acme, data)
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Berg"]


def test_a_file_of_groups_only_is_refused():
    assert "only contact groups" in read_error(cards("KIND:group\nFN:Familie", version="4.0"))


def test_a_vcard_file_read_again_in_another_encoding_keeps_its_headers(acme):
    with translation.override("de"):
        run, parsed = start(acme, sample("outlook-2.1.vcf"))
        with pytest.raises(ImportFileError) as caught:
            services.change_reading(run, encoding="utf-8", delimiter=",")
        assert "UTF-8" in caught.value.message
        again = services.change_reading(run, encoding="cp1252", delimiter=",")
    assert again.headers == parsed.headers
    assert all(run.mapping)
    assert services.parse(run).rows[0].cells[0] == "Großhändler Süd GmbH"


def test_apple_labels_of_numbers_in_the_note_are_translated_and_own_labels_kept(acme):
    data = cards(
        "N:Roth;Rita\nORG:Roth & Co. KG\n"
        "TEL;type=WORK:030 1\nTEL;type=WORK:030 2\nTEL;type=WORK:030 3\n"
        "item1.TEL:030 4\nitem1.X-ABLabel:_$!<Main>!$_\n"
        "item2.TEL:030 5\nitem2.X-ABLabel:Lager"
    )
    import_file(acme, data)
    note = notes_of(Contact.objects.get())
    assert note == "Weitere Telefonnummern: 030 4 (Zentrale); 030 5 (Lager)"


def test_v2_1_bare_types_choose_the_fields(acme):
    data = cards(
        "N:Meier;Ute\nTEL;CELL:0170 1111111\nTEL;WORK;FAX:030 2222222\nTEL;HOME:030 3333333",
        version="2.1",
    )
    import_file(acme, data)
    person = Contact.objects.get()
    assert person.phone_mobile == "0170 1111111"
    assert person.phone_fax == "030 2222222"
    assert person.phone_business == "030 3333333"


def test_a_card_with_only_a_formatted_name_becomes_a_person(acme):
    import_file(acme, cards("FN:Karl Heinz Brösel"))
    person = Contact.objects.get()
    assert (person.first_name, person.last_name) == ("Karl Heinz", "Brösel")


def test_a_card_with_only_an_organisation_becomes_a_company(acme):
    import_file(acme, cards("ORG:Zweirad Kühn e.K.\nTEL;TYPE=WORK:+49 40 123456"))
    company = Contact.objects.get()
    assert company.kind == Contact.Kind.COMPANY
    assert company.company_name == "Zweirad Kühn e.K."


def test_a_vcard_file_imported_twice_updates_nothing_twice_but_finds_the_duplicates(acme):
    import_file(acme, sample("google-3.0.vcf"))
    with translation.override("de"):
        run, _parsed = start(acme, sample("google-3.0.vcf"))
        result = services.check(run)
    assert result.counts["new"] == 0
    assert Contact.objects.count() == 2


def test_an_import_of_cards_can_be_undone(acme, alice):
    run, _parsed, _result = import_file(acme, sample("iphone-3.0.vcf"), by=alice)
    assert Contact.objects.count() == 3
    services.undo(run, by=alice)
    assert Contact.objects.filter(deleted_at__isnull=True).count() == 0


def test_a_vcard_file_is_recognised_by_its_content_not_its_name(acme):
    data = b"\xef\xbb\xbf\r\n  " + cards("N:Lange;Eva")
    assert is_vcard(data)
    assert is_vcard(cards("N:Lange;Eva").decode().encode("utf-16"))
    assert not is_vcard(b"Firmenname;Vorname\nBEGIN:VCARD;x\n")
    with translation.override("de"):
        run, parsed = start(acme, data, file_name="liste.txt")
    assert parsed.is_vcard
    assert services.parse(run).is_vcard


@pytest.mark.parametrize(
    "prodid, named",
    [
        ("-//Apple Inc.//iPhone OS 17.1.1//EN", "Apple Contacts (iPhone)"),
        ("-//Apple Inc.//Mac OS X 10.15.7//EN", "Apple Contacts (Mac)"),
        ("-//Apple Inc.//macOS 14.4//EN", "Apple Contacts (Mac)"),
        ("-//Apple Inc.//iCloud Web Address Book 2415B10//EN", "iCloud Contacts"),
        ("-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "Outlook"),
        ("-//Kontor//CardDAV//EN", "Kontor"),
        ("-//Ein Programm//DE", ""),
    ],
)
def test_the_program_that_wrote_the_cards_is_named(prodid, named):
    data = cards("N:Lange;Eva", f"PRODID:{prodid}\nN:Wüst;Günter")
    with translation.override("en"):
        assert read_upload(data).producer == named


def test_the_columns_page_names_the_program_in_the_users_language(bob_client):
    response = upload(bob_client, "Kontakte.vcf", sample("iphone-3.0.vcf"))
    page = bob_client.get(response["Location"], **DE).content.decode()
    assert "vCard-Datei aus Apple Kontakte (iPhone), 3 Karten" in page
    page = bob_client.get(response["Location"], **EN).content.decode()
    assert "vCard file from Apple Contacts (iPhone), 3 cards" in page
    no_prodid = upload(bob_client, "google.vcf", sample("google-3.0.vcf"))
    page = bob_client.get(no_prodid["Location"], **EN).content.decode()
    assert re.search(r"vCard file, \d+ cards", page)


def test_a_vcard_file_cannot_be_imported_as_products(acme):
    with translation.override("en"):
        with pytest.raises(ImportFileError) as caught:
            start(acme, cards("N:A"), target="products")
        assert "customers or suppliers" in caught.value.message


def test_a_card_with_a_bad_e_mail_address_comes_back_in_the_error_file_with_its_line(acme):
    data = cards("N:Gut;Gerda\nEMAIL:gerda@example.de", "N:Schlecht;Sven\nEMAIL:sven(at)example")
    run, _parsed, result = import_file(acme, data)
    assert (result.counts["new"], result.counts["invalid"]) == (1, 1)
    error = result.errors[0]
    assert error.line == 6  # the BEGIN:VCARD of the second card
    failed = bytes(run.failed_rows).decode("utf-8-sig").splitlines()
    assert failed[0].startswith("Firmenname;Anrede;")
    assert "Schlecht" in failed[1] and "sven(at)example" in failed[1]
    assert "Zeile 6" in failed[1]


def test_import_csv_takes_a_vcard_file(acme, capsys):
    call_command(
        "import_csv", str(FIXTURES / "iphone-3.0.vcf"), organization="acme", target="suppliers"
    )
    assert "Imported: 3 new" in capsys.readouterr().out
    assert Contact.objects.filter(is_supplier=True).count() == 3


def test_a_utf_16_vcard_file_with_a_byte_order_mark_is_read(acme):
    data = cards("N:Wüst;Günter\nTEL;TYPE=CELL:0170 1234").decode().encode("utf-16")
    import_file(acme, data)
    assert Contact.objects.get().last_name == "Wüst"


def test_an_end_of_file_mark_after_the_cards_is_no_garbage():
    assert len(read_upload(cards("N:Alt;Anton") + b"\x1a").rows) == 1


# --- Photos and bad files --------------------------------------------------------------------


def _photo(size: int) -> str:
    encoded = base64.b64encode(b"\xff\xd8\xff" + bytes(size)).decode()
    return "PHOTO;ENCODING=b;TYPE=JPEG:" + "\n ".join(
        encoded[i : i + 74] for i in range(0, len(encoded), 74)
    )


def test_a_card_with_a_1_5_mb_photo_is_read_without_the_photo(acme):
    data = cards(f"N:Bild;Berta\n{_photo(1_100_000)}\nNOTE:nach dem Foto")
    assert len(data) < MAX_BYTES
    parsed = read_upload(data)
    assert parsed.skipped_photos == 1
    _run, _parsed, result = import_file(acme, data)
    assert result.counts["new"] == 1
    assert notes_of(Contact.objects.get()) == "nach dem Foto"


def test_a_file_with_a_5_mb_photo_gets_the_size_message():
    data = cards(f"N:Bild;Berta\n{_photo(3_800_000)}")
    assert "larger than 2 MiB" in read_error(data)


def test_ten_thousand_cards_are_read_in_little_memory():
    data = cards(*(f"N:Müller{i};Jö\nTEL:030 {i:07d}" for i in range(10_000)))
    assert len(data) < MAX_BYTES
    tracemalloc.start()
    try:
        parsed = read_upload(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parsed.rows) == 10_000
    assert parsed.rows[-1].line == 9_999 * 5 + 1
    assert peak < 200 * 1024 * 1024


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:eine lange Zeile\r\nohne Leerzeichen\r\n"
            b"END:VCARD\r\n",
            "Line 4 is not a vCard line (“ohne Leerzeichen”). Perhaps a long line was broken",
        ),
        (
            cards("N:Alt;Otto", version="5.0"),
            "The card on line 1 has the version “5.0”; Kontor reads vCards of version 2.1, "
            "3.0 and 4.0.",
        ),
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ende;Ohne\r\n",
            "The card that starts on line 1 has no END:VCARD",
        ),
        (
            cards("N:A;B") + b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:C;D\r\n",
            "The card that starts on line 5 has no END:VCARD",
        ),
        (
            cards("N:A;B") + b"Das hier gehoert nicht dazu\r\n",
            "Line 5 stands outside of every card (“Das hier gehoert nicht dazu”)",
        ),
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + bytes(range(256)) * 20 + b"\r\nEND:VCARD\r\n",
            "This vCard file contains binary data",
        ),
        (
            cards("N;CHARSET=KLINGON;ENCODING=QUOTED-PRINTABLE:M=FCller", version="2.1"),
            "Line 3 names the character set “KLINGON”",
        ),
    ],
)
def test_bad_vcard_files_get_a_clear_message(data, message):
    assert message in read_error(data)


def test_the_messages_are_german_for_german_users():
    message = read_error(b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ende;Ohne\r\n", language="de")
    assert "Die Karte ab Zeile 1 hat kein END:VCARD" in message


# --- Through the pages -----------------------------------------------------------------------


def upload(client, name: str, data: bytes, target: str = "customers", headers=DE):
    file = SimpleUploadedFile(name, data, content_type="text/vcard")
    return client.post(f"/import/{target}/upload/", {"file": file}, **headers)


def test_a_vcard_file_is_imported_through_the_pages_without_assigning_columns(bob_client):
    response = upload(bob_client, "iPhone Kontakte.vcf", sample("iphone-3.0.vcf"))
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.get()
    columns = bob_client.get(response["Location"], **DE).content.decode()
    assert "vCard-Datei aus Apple Kontakte (iPhone), 3 Karten" in columns
    assert "1 Foto wird übersprungen" in columns
    preview = bob_client.get(f"/import/runs/{run.pk}/preview/", **DE)
    assert preview.status_code == 200
    assert "(iPhone), 3 Karten · 1 Foto wird übersprungen" in preview.content.decode()
    done = bob_client.post(f"/import/runs/{run.pk}/confirm/", **DE)
    assert done.status_code == 302
    company = Contact.objects.get(company_name="Bäckerei Müller GmbH")
    assert company.persons.get().last_name == "Schäfer"
    assert Contact.objects.count() == 3


def test_a_broken_vcard_file_is_refused_on_the_upload_page(bob_client):
    response = upload(bob_client, "kaputt.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:A;B\r\n")
    assert response.status_code == 400
    assert "hat kein END:VCARD" in response.content.decode()
    assert not ImportRun.objects.filter(status="draft").exists()
