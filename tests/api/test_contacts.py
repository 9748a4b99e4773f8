"""/api/v1/contacts as lexoffice's clients use it: create, read, change, delete."""

from __future__ import annotations

import pytest

from api.ids import CONTACT, to_uuid
from contacts_app.models import Contact
from history.models import ChangeSet, Source

from .helpers import company_payload, make_contact, person_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts"


def created(api, payload) -> Contact:
    response = api.post(URL, payload)
    assert response.status_code == 201, response.content
    return Contact.objects.get(pk=int(response.json()["id"].split("-")[-1], 16))


def test_it_creates_a_company_with_lexoffices_answer(api, acme):
    response = api.post(URL, company_payload())

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "resourceUri", "createdDate", "updatedDate", "version"}
    assert body["resourceUri"] == f"http://testserver{URL}/{body['id']}"
    assert response["Location"] == body["resourceUri"]
    contact = Contact.objects.get(organization=acme)
    assert body["id"] == to_uuid(CONTACT, contact.pk)
    assert contact.company_name == "Müller GmbH"
    assert contact.customer_number == 10000
    assert contact.email_business == "info@mueller.example"
    assert contact.phone_mobile == "+49 170 1234567"
    assert contact.billing_postal_code == "10115"
    assert [p.last_name for p in contact.persons.all()] == ["Muster"]


def test_it_reads_a_contact_in_lexoffices_shape(api, acme):
    contact = created(api, company_payload(note="Kauft jeden Montag"))

    body = api.get(f"{URL}/{to_uuid(CONTACT, contact.pk)}").json()

    assert body["roles"] == {"customer": {"number": contact.customer_number}}
    assert body["company"]["name"] == "Müller GmbH"
    assert body["company"]["contactPersons"][0]["emailAddress"] == "max@mueller.example"
    assert body["addresses"]["billing"] == [
        {
            "supplement": "",
            "street": "Hauptstr. 1",
            "zip": "10115",
            "city": "Berlin",
            "countryCode": "DE",
        }
    ]
    assert body["emailAddresses"] == {"business": ["info@mueller.example"]}
    assert body["phoneNumbers"] == {"mobile": ["+49 170 1234567"]}
    assert body["note"] == "Kauft jeden Montag"
    assert body["archived"] is False
    assert body["version"] == contact.version
    assert "person" not in body


def test_a_plain_id_works_as_well(api, acme):
    contact = make_contact(acme, "Plain GmbH")

    assert api.get(f"{URL}/{contact.pk}").json()["company"]["name"] == "Plain GmbH"


def test_a_person_is_created_with_the_persons_fields(api, acme):
    contact = created(api, person_payload())

    assert (contact.kind, contact.first_name, contact.last_name) == (
        "person",
        "Erika",
        "Mustermann",
    )
    assert contact.salutation == "Frau"


def test_numbers_are_read_only(api, acme):
    payload = company_payload(roles={"customer": {"number": 55555}, "vendor": {"number": 1}})

    contact = created(api, payload)

    assert (contact.customer_number, contact.supplier_number) == (10000, 70000)
    body = api.get(f"{URL}/{contact.pk}").json()
    assert body["roles"] == {"customer": {"number": 10000}, "vendor": {"number": 70000}}
    changed = {**payload, "version": contact.version, "roles": {"customer": {"number": 4}}}
    assert api.put(f"{URL}/{contact.pk}", changed).status_code == 200
    contact.refresh_from_db()
    assert contact.customer_number == 10000


def test_numbers_continue_as_for_new_contacts_on_the_pages(api, acme):
    make_contact(acme, "Erster", customer_number=10041)

    contact = created(api, company_payload())

    assert contact.customer_number == 10042


def test_more_than_lexoffice_takes_on_write(api, acme):
    payload = company_payload(
        emailAddresses={
            "business": ["a@firma.example"],
            "office": ["b@firma.example"],
            "private": ["c@firma.example"],
            "other": ["d@firma.example"],
        },
        phoneNumbers={
            "business": ["030 111111"],
            "office": ["030 222222"],
            "mobile": ["0170 3333333"],
            "private": ["030 444444"],
            "fax": ["030 555555"],
            "other": ["030 666666"],
        },
    )
    payload["company"]["contactPersons"].append({"firstName": "Eva", "lastName": "Zweite"})
    payload["addresses"]["shipping"] = [
        {"street": "Lager 2", "zip": "20095", "city": "Hamburg", "countryCode": "DE"}
    ]

    contact = created(api, payload)

    assert [getattr(contact, f) for f in Contact.EMAIL_FIELDS] == [
        "a@firma.example",
        "b@firma.example",
        "c@firma.example",
        "d@firma.example",
    ]
    assert contact.phone_fax == "030 555555"
    assert contact.persons.count() == 2
    assert contact.has_shipping_address and contact.shipping_city == "Hamburg"


def test_more_entries_than_kontor_has_slots_name_the_field(api, acme):
    payload = company_payload(emailAddresses={"business": ["a@x.example", "b@x.example"]})
    payload["addresses"]["billing"].append({"city": "Köln", "countryCode": "DE"})

    response = api.post(URL, payload)

    assert response.status_code == 400
    fields = {d["field"]: d["message"] for d in response.json()["details"]}
    assert fields["emailAddresses.business"].startswith("Kontor keeps one e-mail address")
    assert fields["addresses.billing"] == "Kontor keeps one billing address per contact."
    assert not Contact.objects.exists()


def test_the_form_refuses_what_the_page_refuses_in_one_shape(api, acme):
    payload = company_payload()
    payload["company"]["vatRegistrationId"] = "DE123456789"
    payload["addresses"]["billing"][0]["zip"] = "1011"
    payload["company"]["contactPersons"][0]["emailAddress"] = "kein-at"

    response = api.post(URL, payload)

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["error"] == "Bad Request"
    fields = {d["field"] for d in body["details"]}
    assert fields == {
        "company.vatRegistrationId",
        "addresses.billing[0].zip",
        "company.contactPersons[0].emailAddress",
    }
    assert not Contact.objects.exists()


def test_errors_come_in_the_language_asked_for(acme, shop_key):
    from .conftest import ApiClient

    german = ApiClient(shop_key[1], language="de")
    payload = company_payload()
    payload["company"]["name"] = ""

    response = german.post(URL, payload)

    messages = {d["field"]: d["message"] for d in response.json()["details"]}
    assert messages["company.name"] == "Ein Unternehmen braucht einen Namen."
    assert response.json()["message"] == "Die Anfrage ist ungültig: siehe details."


def test_a_body_that_is_no_json_is_a_400_in_the_same_shape(api):
    response = api.client.post(URL, "{not json", content_type="application/json", **api.headers)

    assert response.status_code == 400
    assert response.json()["message"] == "The request body is not valid JSON."


def test_neither_company_nor_person_is_refused(api):
    response = api.post(URL, {"roles": {"customer": {}}})

    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "company"


def test_a_change_needs_the_current_version_else_409(api, acme):
    contact = created(api, company_payload())
    url = f"{URL}/{contact.pk}"
    fresh = {**company_payload("Müller & Söhne GmbH"), "version": contact.version}

    first = api.put(url, fresh)
    stale = api.put(url, {**company_payload("Anders GmbH"), "version": contact.version})

    assert first.status_code == 200
    assert first.json()["version"] == contact.version + 1
    assert stale.status_code == 409
    assert stale.json()["status"] == 409
    contact.refresh_from_db()
    assert contact.company_name == "Müller & Söhne GmbH"


def test_a_change_without_a_version_is_refused(api, acme):
    contact = created(api, company_payload())

    response = api.put(f"{URL}/{contact.pk}", company_payload("Neu GmbH"))

    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "version"


def test_a_put_replaces_lexoffices_fields_and_keeps_kontors_own(api, acme):
    contact = created(api, company_payload(industry="Handel"))
    person = contact.persons.get()
    person.position = "Einkauf"
    person.save()
    payload = company_payload(version=contact.version, emailAddresses={}, phoneNumbers={})

    assert api.put(f"{URL}/{contact.pk}", payload).status_code == 200

    contact.refresh_from_db()
    assert contact.email_business == "" and contact.phone_mobile == ""
    assert contact.industry == "Handel"
    assert contact.persons.get().position == "Einkauf"


def test_a_contact_stays_a_company(api, acme):
    contact = created(api, company_payload())

    response = api.put(f"{URL}/{contact.pk}", person_payload(version=contact.version))

    assert response.status_code == 400
    assert "stays a company" in response.json()["details"][0]["message"]


def test_writes_are_in_the_history_as_via_the_api_with_the_keys_name(api, acme, alice):
    contact = created(api, company_payload())
    api.put(f"{URL}/{contact.pk}", {**company_payload("Neu GmbH"), "version": contact.version})

    changesets = ChangeSet.objects.filter(organization=acme)
    assert {(c.source, c.label) for c in changesets} == {(Source.API, "Online shop")}
    assert changesets.count() == 2
    assert all(c.actor == alice for c in changesets)


def test_the_history_on_the_contacts_page_says_via_api(api, acme, alice_client):
    contact = created(api, company_payload())

    page = alice_client.get(f"/contacts/{contact.pk}/").content.decode()

    assert "via API (Online shop)" in " ".join(page.split())


def test_delete_moves_the_contact_to_the_trash(api, acme):
    contact = created(api, company_payload())

    response = api.delete(f"{URL}/{contact.pk}")

    assert response.status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is not None
    assert api.get(f"{URL}/{contact.pk}").status_code == 404


def test_archiving_through_a_put_is_recorded(api, acme):
    contact = created(api, company_payload())

    api.put(f"{URL}/{contact.pk}", company_payload(version=contact.version, archived=True))

    contact.refresh_from_db()
    assert contact.archived
    assert api.get(f"{URL}/{contact.pk}").json()["archived"] is True


def test_a_new_note_is_added_and_the_same_one_is_not_repeated(api, acme):
    contact = created(api, company_payload(note="Erste Notiz"))
    url = f"{URL}/{contact.pk}"
    api.put(url, company_payload(version=contact.version, note="Erste Notiz"))
    contact.refresh_from_db()
    api.put(url, company_payload(version=contact.version, note="Zweite Notiz"))

    assert list(contact.notes.values_list("text", flat=True)) == ["Zweite Notiz", "Erste Notiz"]
    assert api.get(url).json()["note"] == "Zweite Notiz"


def test_tags_are_written_read_and_kept_when_left_out(api, acme):
    contact = created(api, company_payload(tags=["Stammkunde", "Newsletter"]))
    url = f"{URL}/{contact.pk}"
    assert api.get(url).json()["tags"] == ["Newsletter", "Stammkunde"]

    api.put(url, company_payload(version=contact.version))  # no tags: they stay
    contact.refresh_from_db()
    assert api.get(url).json()["tags"] == ["Newsletter", "Stammkunde"]

    api.put(url, company_payload(version=contact.version, tags=["VIP"]))
    assert api.get(url).json()["tags"] == ["VIP"]


def test_a_tag_the_form_refuses_is_a_400_naming_tags(api, acme):
    response = api.post(URL, company_payload(tags=["x" * 300]))

    assert response.status_code == 400
    assert {d["field"] for d in response.json()["details"]} == {"tags"}
    assert not Contact.objects.exists()
