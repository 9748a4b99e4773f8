"""Writing cards: PUT creates and updates through the contact form's checks and the services,
stale ETags change nothing, DELETE moves to the trash, viewers only read."""

from __future__ import annotations

import pytest

from carddav.models import AppPassword
from contacts_app.models import Contact
from history.models import Change, ChangeSet, Source

from .conftest import BOOK, card_href, make_company, make_person, person_href, vcard
from .xmltools import unfold

pytestmark = pytest.mark.django_db

NEW_SUPPLIER = vcard(
    "UID:4B1E-22",
    "FN:Hafen Logistik GmbH",
    "N:;;;;",
    "ORG:Hafen Logistik GmbH;Disposition",
    "X-ABShowAs:COMPANY",
    "TEL;TYPE=WORK,VOICE:0421 998877",
    "EMAIL;TYPE=INTERNET,WORK:info@hafen.test",
    "ADR;TYPE=WORK:;;Am Hafen 1;Bremen;;28195;Deutschland",
    "URL:https://hafen.test",
    "NOTE:Neuer Lieferant von der Messe",
)


def test_a_new_card_becomes_a_contact_with_a_number_recorded_as_via_carddav(
    alice_dav, alice, alice_client
):
    response = alice_dav.put_card(f"{BOOK}4B1E-22.vcf", NEW_SUPPLIER, if_none_match="*")

    assert response.status_code == 201
    contact = Contact.objects.get(company_name="Hafen Logistik GmbH")
    assert contact.kind == Contact.Kind.COMPANY
    assert contact.customer_number == 10000
    assert contact.phone_business == "0421 998877"
    assert contact.email_business == "info@hafen.test"
    assert (contact.billing_street, contact.billing_city, contact.billing_postal_code) == (
        "Am Hafen 1",
        "Bremen",
        "28195",
    )
    assert contact.billing_country.code == "DE"
    assert list(contact.web_profiles.values_list("kind", "value")) == [
        ("website", "https://hafen.test")
    ]
    assert list(contact.notes.values_list("text", flat=True)) == ["Neuer Lieferant von der Messe"]
    changeset = ChangeSet.objects.filter(source=Source.CARDDAV).earliest("id")
    device = AppPassword.objects.get(user=alice)
    assert (changeset.label, changeset.reference, changeset.actor) == (
        "Alice's iPhone",
        device.pk,
        alice,
    )
    page = alice_client.get(contact.get_absolute_url()).content.decode()
    assert "via CardDAV (Alice&#x27;s iPhone)" in page
    # The phone reads its card back under the name and UID it gave.
    lines = unfold(alice_dav.get(f"{BOOK}4B1E-22.vcf").content.decode())
    assert "UID:4B1E-22" in lines and "TEL;TYPE=WORK,VOICE:+49421998877" in lines


def test_a_new_card_of_a_person_becomes_a_person(alice_dav):
    card = vcard(
        "FN:Hans Meier",
        "N:Meier;Hans;;Dr.;",
        "TEL;TYPE=CELL:0171 999999",
        "EMAIL;TYPE=HOME:hans@example.test",
    )
    assert alice_dav.put_card(f"{BOOK}hans.vcf", card).status_code == 201
    hans = Contact.objects.get(last_name="Meier")
    assert (hans.kind, hans.first_name, hans.title, hans.phone_mobile, hans.email_private) == (
        "person",
        "Hans",
        "Dr.",
        "0171 999999",
        "hans@example.test",
    )


def test_a_vcard_4_card_is_read_too(alice_dav):
    card = vcard(
        "FN:Nord AG",
        "KIND:org",
        "ORG:Nord AG",
        'TEL;VALUE=uri;TYPE="work,voice":tel:+49431123456',
        "EMAIL;TYPE=work;PREF=1:info@nord.test",
        version="4.0",
    )
    assert (
        alice_dav.put_card(
            f"{BOOK}nord.vcf", card, content_type="text/vcard; version=4.0"
        ).status_code
        == 201
    )
    nord = Contact.objects.get(company_name="Nord AG")
    assert (nord.kind, nord.phone_business, nord.email_business) == (
        "company",
        "+49431123456",
        "info@nord.test",
    )


def test_put_with_the_current_etag_updates_the_contact(alice_dav, company):
    got = alice_dav.get(card_href(company))
    card = got.content.decode().replace(
        "info@mueller-maschinen.de", "vertrieb@mueller-maschinen.de"
    )

    response = alice_dav.put_card(card_href(company), card, if_match=got["ETag"])

    assert response.status_code == 204
    company.refresh_from_db()
    assert company.email_business == "vertrieb@mueller-maschinen.de"
    assert company.phone_business == "089 123456"  # as typed: the card's E.164 means the same
    change = Change.objects.filter(object_id=company.pk, changeset__source=Source.CARDDAV).get()
    assert set(change.fields) == {"email_business"}


def test_a_card_sent_back_unchanged_changes_nothing(alice_dav, company, acme):
    plain = make_person(  # no address; only the second of two fields of a kind filled
        acme, "Erika", "Mustermann", phone_office="030 1234567", email_office="e@m.test"
    )
    company.persons.update(card_properties="BDAY:1980-02-03")
    for accept in ("text/vcard", "text/vcard; version=4.0"):
        for href in (card_href(company), person_href(company), card_href(plain)):
            got = alice_dav.get(href, HTTP_ACCEPT=accept)
            response = alice_dav.put_card(href, got.content.decode(), if_match=got["ETag"])
            assert response.status_code == 204, (accept, href, response.content)
            assert alice_dav.get(href)["ETag"] == got["ETag"], (accept, href)
    assert not Change.objects.filter(changeset__source=Source.CARDDAV).exists()


def test_a_stale_etag_answers_412_and_changes_nothing(alice_dav, company):
    got = alice_dav.get(card_href(company))
    stale = got["ETag"]
    alice_dav.put_card(
        card_href(company), got.content.decode().replace("München", "Augsburg"), if_match=stale
    )

    response = alice_dav.put_card(
        card_href(company), got.content.decode().replace("München", "Passau"), if_match=stale
    )

    assert response.status_code == 412
    company.refresh_from_db()
    assert company.billing_city == "Augsburg"
    assert (
        alice_dav.put_card(
            f"{BOOK}kontor-contact-{company.pk}.vcf", NEW_SUPPLIER, if_none_match="*"
        ).status_code
        == 412
    )
    assert alice_dav.dav("DELETE", card_href(company), if_match=stale).status_code == 412
    assert Contact.objects.filter(pk=company.pk).exists()


def test_delete_moves_the_contact_to_the_trash(alice_dav, company):
    etag = alice_dav.get(card_href(company))["ETag"]
    assert alice_dav.dav("DELETE", card_href(company), if_match=etag).status_code == 204
    assert not Contact.objects.filter(pk=company.pk).exists()
    trashed = Contact.all_objects.get(pk=company.pk)
    assert trashed.deleted_at is not None
    assert ChangeSet.objects.filter(source=Source.CARDDAV, changes__action="trashed").exists()
    assert alice_dav.get(card_href(company)).status_code == 404
    # Its name stays taken while it is in the trash.
    response = alice_dav.put_card(card_href(company), NEW_SUPPLIER)
    assert response.status_code == 409 and "trash" in response.content.decode()


def test_a_contact_persons_card_edits_and_deletes_the_person(alice_dav, company):
    href = person_href(company)
    got = alice_dav.get(href)
    card = (
        got.content.decode()
        .replace("TITLE:Einkauf", "TITLE:Leitung Einkauf")
        .replace(";ext=12", ";ext=14")
    )

    assert alice_dav.put_card(href, card, if_match=got["ETag"]).status_code == 204

    jana = company.persons.get()
    assert (jana.position, jana.phone, jana.phone_extension) == (
        "Leitung Einkauf",
        "+4989123456",
        "14",
    )
    assert jana.card_id + ".vcf" == href.rsplit("/", 1)[1]
    assert alice_dav.dav("DELETE", href).status_code == 204
    assert not company.persons.exists()
    assert Contact.objects.filter(pk=company.pk).exists()


def test_a_card_the_form_refuses_is_refused_with_the_reason_and_changes_nothing(alice_dav, company):
    got = alice_dav.get(card_href(company))
    card = got.content.decode().replace("+4989123456", "call me maybe")

    response = alice_dav.put_card(card_href(company), card, if_match=got["ETag"])

    assert response.status_code == 403
    text = response.content.decode()
    assert "<card:valid-address-data/>" in text
    assert "Kontor cannot save this card" in text and "is not a phone number" in text
    company.refresh_from_db()
    assert company.phone_business == "089 123456"
    bad_code = vcard("FN:X GmbH", "ORG:X GmbH", "ADR;TYPE=WORK:;;Weg 1;Berlin;;1234;Germany")
    response = alice_dav.put_card(f"{BOOK}x.vcf", bad_code)
    assert response.status_code == 403 and "postal code" in response.content.decode().lower()
    assert not Contact.objects.filter(company_name="X GmbH").exists()


def test_the_reason_is_given_in_german_to_a_german_phone(alice_dav):
    card = vcard("FN:Y GmbH", "ORG:Y GmbH", "TEL;TYPE=WORK:kein Anschluss")
    response = alice_dav.put_card(f"{BOOK}y.vcf", card, accept_language="de")
    assert response.status_code == 403
    assert "Kontor kann diese Karte nicht speichern" in response.content.decode()


def test_what_is_no_vcard_is_refused(alice_dav):
    for body in (
        "hello",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        vcard("FN:x", version="2.1"),
        vcard("FN:Team", "X-ADDRESSBOOKSERVER-KIND:group"),
    ):
        response = alice_dav.put_card(f"{BOOK}junk.vcf", body)
        assert response.status_code in (400, 403), body
        assert response.content
    assert not Contact.objects.exists()


def test_properties_kontor_has_no_field_for_are_kept_and_written_back(alice_dav, company):
    got = alice_dav.get(card_href(company))
    extra = [
        "BDAY:1970-01-01",
        "NICKNAME:Müller",
        "CATEGORIES:Messe,VIP",
        "item1.X-ABLabel:Zentrale",
        "item1.EMAIL;TYPE=INTERNET:zentrale@mueller.test",
        "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 50,
    ]
    card = got.content.decode().replace("END:VCARD", "\r\n".join(extra) + "\r\nEND:VCARD")

    assert alice_dav.put_card(card_href(company), card, if_match=got["ETag"]).status_code == 204

    lines = unfold(alice_dav.get(card_href(company)).content.decode())
    for line in [
        "BDAY:1970-01-01",
        "NICKNAME:Müller",
        "CATEGORIES:Messe,VIP",
        "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 50,
    ]:
        assert line in lines
    company.refresh_from_db()
    assert company.email_other == "zentrale@mueller.test"
    assert "item1.X-ABLabel:Zentrale" not in lines  # its e-mail address went into a field
    # A phone that edits another field and sends the card back keeps them.
    got = alice_dav.get(card_href(company))
    assert (
        alice_dav.put_card(
            card_href(company),
            got.content.decode().replace("München", "Freising"),
            if_match=got["ETag"],
        ).status_code
        == 204
    )
    assert "BDAY:1970-01-01" in unfold(alice_dav.get(card_href(company)).content.decode())


def test_a_card_above_the_limit_is_refused_with_413(alice_dav, settings):
    settings.CARDDAV_CARD_MAX_BYTES = 1024
    card = vcard("FN:Big", "N:Big;;;;", "NOTE:" + "x" * 2000)
    response = alice_dav.put_card(f"{BOOK}big.vcf", card)
    assert response.status_code == 413
    assert "at most 1 KiB" in response.content.decode()
    assert not Contact.objects.exists()


def test_viewers_books_are_read_only_and_say_so(vera_dav, company):
    body = b'<propfind xmlns="DAV:"><prop><current-user-privilege-set/></prop></propfind>'
    text = vera_dav.propfind(BOOK, body, depth="0").content.decode()
    assert "<d:read/>" in text and "<d:write" not in text and "<d:bind/>" not in text
    got = vera_dav.get(card_href(company))
    assert got.status_code == 200
    for response in (
        vera_dav.put_card(
            card_href(company), got.content.decode().replace("München", "Ulm"), if_match=got["ETag"]
        ),
        vera_dav.put_card(f"{BOOK}new.vcf", NEW_SUPPLIER),
        vera_dav.dav("DELETE", card_href(company)),
    ):
        assert response.status_code == 403
        assert b"need-privileges" in response.content
    company.refresh_from_db()
    assert company.billing_city == "München" and Contact.objects.count() == 1


def test_a_member_writes_like_an_admin(bob_dav):
    assert (
        bob_dav.put_card(f"{BOOK}bob.vcf", vcard("FN:Bobs Kunde", "N:Kunde;Bob;;;")).status_code
        == 201
    )
    assert Contact.objects.filter(last_name="Kunde").exists()


def test_a_new_card_without_a_name_is_refused_as_the_form_would(alice_dav, acme):
    response = alice_dav.put_card(f"{BOOK}empty.vcf", vcard("EMAIL:a@b.test"))
    assert response.status_code == 403
    assert "needs a last name" in response.content.decode()
    make_person(acme)
    assert Contact.objects.count() == 1


def test_the_phones_note_becomes_a_note_of_the_contact(alice_dav, acme):
    person = make_person(acme)
    href = card_href(person)
    got = alice_dav.get(href)
    card = got.content.decode().replace("END:VCARD", "NOTE:Ruft lieber vormittags an\r\nEND:VCARD")
    assert alice_dav.put_card(href, card, if_match=got["ETag"]).status_code == 204
    assert list(person.notes.values_list("text", flat=True)) == ["Ruft lieber vormittags an"]
    got = alice_dav.get(href)
    assert alice_dav.put_card(href, got.content.decode(), if_match=got["ETag"]).status_code == 204
    assert person.notes.count() == 1
    assert make_company(acme, "Z").pk


def test_two_phones_creating_a_card_of_one_name_at_once_make_one_contact(alice_dav, monkeypatch):
    card = vcard("FN:Doppelt GmbH", "ORG:Doppelt GmbH")
    assert alice_dav.put_card(f"{BOOK}doppelt.vcf", card).status_code == 201
    # The second request looked before the first had saved: it saw no card of that name.
    monkeypatch.setattr("carddav.writing.card_named", lambda organization, name: None)
    monkeypatch.setattr("carddav.writing.name_is_taken", lambda organization, name: False)

    response = alice_dav.put_card(f"{BOOK}doppelt.vcf", card, if_none_match="*")

    assert response.status_code == 412
    assert Contact.objects.filter(company_name="Doppelt GmbH").count() == 1
