"""Request sequences in the shapes iOS and DAVx⁵ send (as their documentation and sabre.io's
client pages describe them), replayed and checked status by status."""

from __future__ import annotations

import re

import pytest

from contacts_app.models import Contact

from .conftest import BOOK, make_company, make_person
from .xmltools import cards_of, found, parse, responses, status, unfold

pytestmark = pytest.mark.django_db

IOS_PRINCIPAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <B:addressbook-home-set xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <B:directory-gateway xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <A:displayname/>
    <C:email-address-set xmlns:C="http://calendarserver.org/ns/"/>
    <A:principal-collection-set/>
    <A:principal-URL/>
    <A:resource-id/>
    <A:supported-report-set/>
  </A:prop>
</A:propfind>"""

IOS_HOME = b"""<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <A:add-member/>
    <E:bulk-requests xmlns:E="http://me.com/_namespace/"/>
    <A:current-user-privilege-set/>
    <A:displayname/>
    <D:max-image-size xmlns:D="urn:ietf:params:xml:ns:carddav"/>
    <D:max-resource-size xmlns:D="urn:ietf:params:xml:ns:carddav"/>
    <C:me-card xmlns:C="http://calendarserver.org/ns/"/>
    <A:owner/>
    <C:push-transports xmlns:C="http://calendarserver.org/ns/"/>
    <C:pushkey xmlns:C="http://calendarserver.org/ns/"/>
    <A:quota-available-bytes/>
    <A:quota-used-bytes/>
    <A:resource-id/>
    <A:resourcetype/>
    <A:supported-report-set/>
    <A:sync-token/>
  </A:prop>
</A:propfind>"""

IOS_BOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <C:getctag xmlns:C="http://calendarserver.org/ns/"/>
    <A:sync-token/>
  </A:prop>
</A:propfind>"""

IOS_SYNC = """<?xml version="1.0" encoding="UTF-8"?>
<A:sync-collection xmlns:A="DAV:">
  <A:sync-token>{token}</A:sync-token>
  <A:sync-level>1</A:sync-level>
  <A:prop>
    <A:getetag/>
  </A:prop>
</A:sync-collection>"""

IOS_MULTIGET = """<?xml version="1.0" encoding="UTF-8"?>
<B:addressbook-multiget xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:carddav">
  <A:prop>
    <A:getetag/>
    <B:address-data/>
  </A:prop>
  {hrefs}
</B:addressbook-multiget>"""

IOS_NEW_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5//EN\r\n"
    "N:Krüger;Lena;;;\r\nFN:Lena Krüger\r\nORG:Krüger Bau;\r\n"
    "item1.TEL;type=pref:+49 171 5550123\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n"
    "EMAIL;type=INTERNET;type=WORK;type=pref:lena@krueger-bau.test\r\n"
    "BDAY;VALUE=date:1985-04-12\r\nUID:2F1C3A5E-8B1D-4C1F-9E55-0A5B3E6D7C11\r\n"
    "X-ABShowAs:PERSON\r\nEND:VCARD\r\n"
)


def test_an_iphone_discovers_syncs_and_adds_a_contact(alice_dav, acme):
    company = make_company(
        acme, "Nordlicht GmbH", phone_business="0431 123456", persons=[{"last_name": "Berg"}]
    )
    make_person(acme, "Erika", "Mustermann")

    assert alice_dav.dav("PROPFIND", "/.well-known/carddav", depth="0").status_code == 301
    root = responses(
        alice_dav.propfind(
            "/dav/",
            b'<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/></A:prop></A:propfind>',
            depth="0",
        )
    )
    principal_url = found(root["/dav/"], "d:current-user-principal/d:href").text

    principal = responses(alice_dav.propfind(principal_url, IOS_PRINCIPAL, depth="0"))[
        principal_url
    ]
    home_url = found(principal, "card:addressbook-home-set/d:href").text
    assert found(principal, "cs:email-address-set/cs:email-address").text == "alice@acme.test"

    home = responses(alice_dav.propfind(home_url, IOS_HOME, depth="1"))
    book = home[BOOK]
    assert found(book, "d:resourcetype/card:addressbook") is not None
    assert found(book, "d:displayname").text == "Acme GmbH"
    assert found(book, "d:sync-token") is not None
    assert found(book, "d:current-user-privilege-set/d:privilege/d:write") is not None
    assert found(book, "d:supported-report-set") is not None

    ctag = found(responses(alice_dav.propfind(BOOK, IOS_BOOK, depth="0"))[BOOK], "cs:getctag").text

    listing = alice_dav.report(BOOK, IOS_SYNC.format(token=""))
    hrefs = list(responses(listing))
    assert len(hrefs) == 3
    token = parse(listing).findtext("{DAV:}sync-token")
    cards = cards_of(
        alice_dav.report(
            BOOK, IOS_MULTIGET.format(hrefs="".join(f"<A:href>{h}</A:href>" for h in hrefs))
        )
    )
    assert len(cards) == 3
    assert any("X-ABShowAs:COMPANY" in c and "ORG:Nordlicht GmbH" in c for c in cards.values())

    new_href = f"{BOOK}2F1C3A5E-8B1D-4C1F-9E55-0A5B3E6D7C11.vcf"
    assert alice_dav.put_card(new_href, IOS_NEW_CARD, if_none_match="*").status_code == 201
    lena = Contact.objects.get(last_name="Krüger")
    assert lena.phone_other == "+49 171 5550123"
    assert lena.email_business == "lena@krueger-bau.test"

    new_ctag = found(
        responses(alice_dav.propfind(BOOK, IOS_BOOK, depth="0"))[BOOK], "cs:getctag"
    ).text
    assert new_ctag != ctag
    changed = responses(alice_dav.report(BOOK, IOS_SYNC.format(token=token)))
    assert set(changed) == {new_href}
    card = unfold(
        cards_of(alice_dav.report(BOOK, IOS_MULTIGET.format(hrefs=f"<A:href>{new_href}</A:href>")))[
            new_href
        ]
    )
    assert "BDAY;VALUE=date:1985-04-12" in card and "ORG:Krüger Bau;" in card
    assert "UID:2F1C3A5E-8B1D-4C1F-9E55-0A5B3E6D7C11" in card
    assert company.pk


DAVX5_ROOT = (
    b"<?xml version='1.0' encoding='UTF-8' ?>"
    b'<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><prop>'
    b"<resourcetype /><current-user-principal /><CARD:addressbook-home-set /></prop>"
    b"</propfind>"
)
DAVX5_HOME = (
    b"<?xml version='1.0' encoding='UTF-8' ?>"
    b'<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"'
    b' xmlns:CS="http://calendarserver.org/ns/">'
    b"<prop><resourcetype /><displayname /><owner /><current-user-privilege-set />"
    b"<CARD:addressbook-description /><CS:source /></prop></propfind>"
)
DAVX5_CAPABILITIES = (
    b"<?xml version='1.0' encoding='UTF-8' ?>"
    b'<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"'
    b' xmlns:CS="http://calendarserver.org/ns/">'
    b"<prop><CARD:max-resource-size /><CARD:supported-address-data />"
    b"<supported-report-set /><CS:getctag /><sync-token /></prop></propfind>"
)
DAVX5_SYNC = (
    "<?xml version='1.0' encoding='UTF-8' ?>"
    '<sync-collection xmlns="DAV:">'
    "<sync-token>{token}</sync-token><sync-level>1</sync-level><prop><getetag />"
    "</prop></sync-collection>"
)
DAVX5_MULTIGET = (
    "<?xml version='1.0' encoding='UTF-8' ?>"
    '<CARD:addressbook-multiget xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav">'
    "<prop><getcontenttype /><getetag />"
    '<CARD:address-data content-type="text/vcard" version="4.0" />'
    "</prop>{hrefs}</CARD:addressbook-multiget>"
)
DAVX5_CARD = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:6c0a0c1e-52f4-4a6c-8bd7-1f0d3c2b9e10\r\n"
    "PRODID:DAVx5/4.4 ez-vcard/0.12.1\r\nFN:Tom Weber\r\nN:Weber;Tom;;;\r\n"
    "TEL;TYPE=cell:+49 160 1234567\r\nEMAIL;TYPE=home:tom@weber.test\r\n"
    "REV:20240101T120000Z\r\nEND:VCARD\r\n"
)


def test_davx5_discovers_syncs_by_collection_sync_and_writes(bob_dav, acme):
    erika = make_person(acme, "Erika", "Mustermann")
    make_company(acme, "Nordlicht GmbH")

    redirect = bob_dav.dav("PROPFIND", "/.well-known/carddav", depth="0")
    assert (redirect.status_code, redirect["Location"]) == (301, "/dav/")
    root = responses(bob_dav.propfind("/dav/", DAVX5_ROOT, depth="0"))["/dav/"]
    principal_url = found(root, "d:current-user-principal/d:href").text
    principal = responses(bob_dav.propfind(principal_url, DAVX5_ROOT, depth="0"))[principal_url]
    home_url = found(principal, "card:addressbook-home-set/d:href").text
    home = responses(bob_dav.propfind(home_url, DAVX5_HOME, depth="1"))
    assert found(home[BOOK], "d:displayname").text == "Acme GmbH"

    capabilities = responses(bob_dav.propfind(BOOK, DAVX5_CAPABILITIES, depth="0"))[BOOK]
    versions = {t.get("version") for t in found(capabilities, "card:supported-address-data")}
    assert "4.0" in versions
    report_set = found(capabilities, "d:supported-report-set")
    assert report_set.find(".//{DAV:}sync-collection") is not None

    first = bob_dav.report(BOOK, DAVX5_SYNC.format(token=""))
    hrefs = list(responses(first))
    token = parse(first).findtext("{DAV:}sync-token")
    answer = bob_dav.report(
        BOOK, DAVX5_MULTIGET.format(hrefs="".join(f"<href>{h}</href>" for h in hrefs))
    )
    cards = cards_of(answer)
    assert all(c.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n") for c in cards.values())
    etags = {h: found(r, "d:getetag").text for h, r in responses(answer).items()}

    new_href = f"{BOOK}6c0a0c1e-52f4-4a6c-8bd7-1f0d3c2b9e10.vcf"
    put = bob_dav.put_card(
        new_href, DAVX5_CARD, if_none_match="*", content_type="text/vcard;version=4.0"
    )
    assert put.status_code == 201
    assert Contact.objects.filter(
        last_name="Weber", phone_mobile="+49 160 1234567", email_private="tom@weber.test"
    ).exists()

    erika_href = f"{BOOK}kontor-contact-{erika.pk}.vcf"
    edited = re.sub(r"FN:[^\r]*", "FN:Erika Musterfrau", cards[erika_href]).replace(
        "N:Mustermann;", "N:Musterfrau;"
    )
    assert (
        bob_dav.put_card(
            erika_href, edited, if_match=etags[erika_href], content_type="text/vcard;version=4.0"
        ).status_code
        == 204
    )
    erika.refresh_from_db()
    assert erika.last_name == "Musterfrau"
    stale = bob_dav.put_card(
        erika_href,
        cards[erika_href],
        if_match=etags[erika_href],
        content_type="text/vcard;version=4.0",
    )
    assert stale.status_code == 412
    erika.refresh_from_db()
    assert erika.last_name == "Musterfrau"

    current = responses(
        bob_dav.report(BOOK, DAVX5_MULTIGET.format(hrefs=f"<href>{erika_href}</href>"))
    )
    assert (
        bob_dav.dav(
            "DELETE", erika_href, if_match=found(current[erika_href], "d:getetag").text
        ).status_code
        == 204
    )

    changes = responses(bob_dav.report(BOOK, DAVX5_SYNC.format(token=token)))
    assert set(changes) == {new_href, erika_href}
    assert "404" in status(changes[erika_href])
    assert found(changes[new_href], "d:getetag") is not None
