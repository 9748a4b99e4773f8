"""Reading the book: PROPFIND, GET with ETags, multiget, sync-collection, the cards themselves."""

from __future__ import annotations

import pytest
import vobject

from contacts_app import services

from .conftest import BOOK, card_href, make_company, make_person, person_href
from .xmltools import cards_of, found, missing, parse, responses, status, unfold

pytestmark = pytest.mark.django_db

PROPS = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"
 xmlns:c="urn:ietf:params:xml:ns:carddav">
<d:prop><d:getetag/><cs:getctag/><d:sync-token/><d:getcontenttype/><c:supported-address-data/>
<d:current-user-privilege-set/><d:resourcetype/><d:quota-used-bytes/></d:prop></d:propfind>"""


def multiget(*hrefs: str, version: str | None = None) -> str:
    data = f' content-type="text/vcard" version="{version}"' if version else ""
    links = "".join(f"<d:href>{h}</d:href>" for h in hrefs)
    return (
        '<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
        f"<d:prop><d:getetag/><c:address-data{data}/></d:prop>{links}</c:addressbook-multiget>"
    )


def sync(token: str = "") -> str:
    return (
        '<d:sync-collection xmlns:d="DAV:"><d:sync-token>'
        f"{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/></d:prop></d:sync-collection>"
    )


def test_propfind_depth_0_answers_the_books_properties(alice_dav, company):
    book = responses(alice_dav.propfind(BOOK, PROPS, depth="0"))
    assert set(book) == {BOOK}
    me = book[BOOK]
    assert found(me, "cs:getctag").text.startswith("urn:x-kontor:sync:")
    assert found(me, "d:sync-token").text == found(me, "cs:getctag").text
    assert found(me, "d:resourcetype/card:addressbook") is not None
    assert missing(me, "d:quota-used-bytes")
    privileges = found(me, "d:current-user-privilege-set")
    assert {p[0].tag for p in privileges} >= {"{DAV:}read", "{DAV:}write", "{DAV:}bind"}


def test_propfind_depth_1_lists_every_card_with_its_etag(alice_dav, company, acme):
    make_person(acme)
    cards = responses(alice_dav.propfind(BOOK, PROPS, depth="1"))
    assert set(cards) == {
        BOOK,
        card_href(company),
        person_href(company),
        f"{BOOK}kontor-contact-{company.pk + 1}.vcf",
    }
    card = cards[card_href(company)]
    assert found(card, "d:getetag").text.startswith('"')
    assert found(card, "d:getcontenttype").text == "text/vcard; charset=utf-8"


def test_get_answers_the_card_with_its_etag_and_304_when_unchanged(alice_dav, company):
    response = alice_dav.get(card_href(company))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    etag = response["ETag"]
    assert alice_dav.get(card_href(company), HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.update_contact(
        contact=company,
        data={"phone_business": "089 999999"},
        expected_version=company.version,
        by=None,
    )
    changed = alice_dav.get(card_href(company), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_company_card_is_a_company_with_typed_e164_numbers_addresses_and_profiles(
    alice_dav, company
):
    lines = unfold(alice_dav.get(card_href(company)).content.decode())
    assert "VERSION:3.0" in lines
    assert "FN:Müller Maschinenbau GmbH" in lines
    assert "ORG:Müller Maschinenbau GmbH" in lines
    assert "N:;;;;" in lines
    assert "X-ABShowAs:COMPANY" in lines
    assert "TEL;TYPE=WORK,VOICE:+4989123456" in lines
    assert "TEL;TYPE=WORK,FAX:+4989123457" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:info@mueller-maschinen.de" in lines
    assert "EMAIL;TYPE=INTERNET,HOME:chef@mueller.test" in lines
    assert "ADR;TYPE=WORK,PREF:;;Hauptstraße 5;München;;80331;Germany" in lines
    assert "URL:https://mueller-maschinen.de" in lines
    assert "X-KONTOR-PROFILE;TYPE=MESSENGER:signal:jana" in lines
    assert not any(line.startswith("NOTE") for line in lines)


def test_a_contact_person_is_a_card_of_their_own(alice_dav, company):
    lines = unfold(alice_dav.get(person_href(company)).content.decode())
    assert "FN:Dr. Jana Schröder" in lines
    assert "N:Schröder;Jana;;Dr.;" in lines
    assert "ORG:Müller Maschinenbau GmbH" in lines
    assert "TITLE:Einkauf" in lines
    assert "TEL;TYPE=WORK,VOICE:+4989123456;ext=12" in lines
    assert "TEL;TYPE=CELL:+491712345678" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:j.schroeder@mueller-maschinen.de" in lines


def test_a_persons_card_has_the_name_in_parts_and_the_notes(alice_dav, acme):
    person = make_person(acme, "Erika", "Mustermann", title="Prof.", phone_mobile="0171 2345678")
    services.add_note(contact=person, text="Kennt uns von der Messe", by=None)
    lines = unfold(alice_dav.get(card_href(person)).content.decode())
    assert "N:Mustermann;Erika;;Prof.;" in lines
    assert "FN:Prof. Erika Mustermann" in lines
    assert "NOTE:Kennt uns von der Messe" in lines
    assert not any(line.startswith(("ORG", "X-ABShowAs")) for line in lines)


def test_every_card_written_is_read_back_by_vobject(alice_dav, company, acme):
    make_person(acme, "Zeilen\u2028Umbruch", "Semi;Colon, Komma")
    for href, card in cards_of(
        alice_dav.report(
            BOOK, multiget(*[h for h in responses(alice_dav.propfind(BOOK)) if h != BOOK])
        )
    ).items():
        parsed = vobject.readOne(card)
        assert parsed.fn.value, href
    for version in ("4.0",):
        for card in cards_of(
            alice_dav.report(BOOK, multiget(card_href(company), version=version))
        ).values():
            assert vobject.readOne(card).version.value == version


def test_version_4_is_written_on_request(alice_dav, company):
    response = alice_dav.get(card_href(company), HTTP_ACCEPT="text/vcard; version=4.0")
    lines = unfold(response.content.decode())
    assert "VERSION:4.0" in lines and "KIND:org" in lines
    assert 'TEL;VALUE=uri;TYPE="work,voice":tel:+4989123456' in lines
    assert "EMAIL;TYPE=work:info@mueller-maschinen.de" in lines
    assert response["ETag"] == alice_dav.get(card_href(company))["ETag"]


def test_multiget_answers_the_cards_asked_for_and_404_for_the_others(alice_dav, company, acme):
    other = make_person(acme)
    answer = responses(
        alice_dav.report(
            BOOK, multiget(card_href(company), person_href(company), f"{BOOK}gone.vcf")
        )
    )
    assert found(answer[card_href(company)], "card:address-data").text.startswith("BEGIN:VCARD")
    assert found(answer[person_href(company)], "d:getetag") is not None
    assert "404" in status(answer[f"{BOOK}gone.vcf"])
    assert card_href(other) not in answer


def test_sync_collection_first_gives_everything_then_only_what_changed(alice_dav, company, acme):
    erika = make_person(acme, "Erika", "Mustermann")
    otto = make_person(acme, "Otto", "Normal")
    first = parse(alice_dav.report(BOOK, sync()))
    token = first.findtext("{DAV:}sync-token")
    assert len(first.findall("{DAV:}response")) == 4

    services.update_contact(
        contact=erika,
        data={"email_private": "erika@neu.test"},
        expected_version=erika.version,
        by=None,
    )
    services.trash_contact(contact=otto, by=None)
    second = alice_dav.report(BOOK, sync(token))

    answer = responses(second)
    assert set(answer) == {card_href(erika), card_href(otto)}
    assert found(answer[card_href(erika)], "d:getetag") is not None
    assert "404" in status(answer[card_href(otto)])
    token = parse(second).findtext("{DAV:}sync-token")
    assert responses(alice_dav.report(BOOK, sync(token))) == {}


def test_archived_contacts_and_removed_contact_persons_leave_the_book(alice_dav, company, acme):
    token = parse(alice_dav.report(BOOK, sync())).findtext("{DAV:}sync-token")
    jana = person_href(company)
    services.update_contact(
        contact=company, data={}, persons=[], expected_version=company.version, by=None
    )
    person = make_person(acme)
    services.set_archived(contact=person, archived=True, by=None)

    answer = responses(alice_dav.report(BOOK, sync(token)))

    assert "404" in status(answer[jana])
    assert "404" in status(answer[card_href(person)])
    assert found(answer[card_href(company)], "d:getetag") is not None
    assert alice_dav.get(card_href(person)).status_code == 404
    assert card_href(person) not in responses(alice_dav.propfind(BOOK))


def test_an_unknown_sync_token_is_refused_with_valid_sync_token(alice_dav, company, acme, globex):
    for token in (
        "urn:x-kontor:sync:1:999999",
        "http://example.com/sync/1",
        f"urn:x-kontor:sync:{globex.pk}:1",
    ):
        response = alice_dav.report(BOOK, sync(token))
        assert response.status_code == 403, token
        assert b"<d:valid-sync-token/>" in response.content
        assert b"sync again from the start" in response.content


def test_editing_a_company_keeps_its_persons_cards(alice_dav, alice_client, company):
    """The contact form saves persons anew; the phone must see an update, not delete + create."""
    from tests.contacts.conftest import contact_post_data

    jana = person_href(company)
    token = parse(alice_dav.report(BOOK, sync())).findtext("{DAV:}sync-token")
    person = company.persons.get()
    data = contact_post_data(
        company_name=company.company_name,
        persons=[
            {
                "first_name": "Jana",
                "last_name": "Schröder",
                "position": "Leitung Einkauf",
                "is_primary": True,
            }
        ],
        version=company.version,
    )
    response = alice_client.post(f"/contacts/{company.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    answer = responses(alice_dav.report(BOOK, sync(token)))

    assert set(answer) == {card_href(company), jana}
    assert found(answer[jana], "d:getetag") is not None
    assert "TITLE:Leitung Einkauf" in unfold(alice_dav.get(jana).content.decode())
    assert company.persons.get().card_id == person.card_id


def test_a_sync_asks_the_same_number_of_queries_for_few_and_many_cards(alice_dav, acme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of(body: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = alice_dav.report(BOOK, body)
        return len(queries), parse(response).findtext("{DAV:}sync-token")

    def change(contacts, industry: str) -> None:
        for contact in contacts:
            contact.refresh_from_db()
            services.update_contact(
                contact=contact,
                data={"industry": industry},
                expected_version=contact.version,
                by=None,
            )

    first = make_company(
        acme,
        "Eins",
        persons=[{"last_name": "A"}],
        profiles=[{"kind": "website", "value": "https://a.de"}],
    )
    queries_of(sync())  # the device's "last used" is written once a minute: not again
    few, token = queries_of(sync())
    change([first], "Handel")
    few_changes, _token = queries_of(sync(token))

    for n in range(20):
        contact = make_company(
            acme,
            f"Firma {n}",
            persons=[{"last_name": f"P{n}"}],
            profiles=[{"kind": "website", "value": f"https://f{n}.de"}],
        )
        services.add_note(contact=contact, text="Notiz", by=None)
    many, token = queries_of(sync())
    change(list(acme.contacts.all()[:10]), "Großhandel")
    many_changes, _token = queries_of(sync(token))

    assert many == few
    assert many_changes == few_changes
    assert len(responses(alice_dav.report(BOOK, sync(token)))) == 10  # persons' cards unchanged
