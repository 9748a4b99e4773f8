import pytest
from tests.carddav.conftest import make_company, make_person, BOOK, vcard
pytestmark = pytest.mark.django_db

def test_smoke(acme, alice_dav):
    c = make_company(acme, phone_business="089 123456", email_business="info@m.de", billing_street="Hauptstr. 5", billing_city="München", billing_postal_code="80331", persons=[{"first_name": "Jana", "last_name": "Schröder", "phone": "089 1234", "phone_extension": "12", "position": "Einkauf"}], profiles=[{"kind": "website", "value": "https://m.de"}])
    make_person(acme, phone_mobile="0171 2345678")
    r = alice_dav.propfind("/dav/", depth="0", body=b'<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>')
    print(r.status_code, r.content.decode())
    r = alice_dav.propfind("/dav/books/", depth="1", body=b"")
    print(r.status_code, r.content.decode())
    r = alice_dav.propfind(BOOK, depth="1")
    print(r.status_code, r.content.decode())
    r = alice_dav.get(BOOK + f"kontor-contact-{c.pk}.vcf")
    print(r.status_code, r.headers, r.content.decode())
    card = r.content.decode()
    r = alice_dav.put_card(BOOK + f"kontor-contact-{c.pk}.vcf", card, if_match=r["ETag"])
    print(r.status_code, r.content.decode())
    r = alice_dav.put_card(BOOK + "new-1.vcf", vcard("FN:Hans Meier", "N:Meier;Hans;;;", "TEL;TYPE=CELL:0171 999999", "BDAY:1980-01-01", "NOTE:met at fair"), if_none_match="*")
    print(r.status_code, r.content.decode())
    r = alice_dav.get(BOOK + "new-1.vcf")
    print(r.status_code, r.content.decode())
    r = alice_dav.report(BOOK, '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>')
    print(r.status_code, r.content.decode())
