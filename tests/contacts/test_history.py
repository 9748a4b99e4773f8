"""Every change to a contact is in its history, and any earlier version can be restored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.models import Contact
from history.models import Change, Source

from .conftest import contact_post_data, make_company

pytestmark = pytest.mark.django_db

JANA = {"first_name": "Jana", "last_name": "Schröder", "email": "jana@nordlicht.de"}


def edit(client, contact: Contact, **fields):
    contact.refresh_from_db()
    persons = fields.pop("persons", [])
    data = contact_post_data(
        company_name=fields.pop("company_name", contact.company_name),
        billing_city=fields.pop("billing_city", contact.billing_city),
        version=contact.version,
        persons=persons,
        initial_persons=contact.persons.count(),
        **fields,
    )
    return client.post(reverse("contacts:edit", args=[contact.pk]), data)


def changes(contact: Contact) -> list[Change]:
    return list(Change.objects.filter(contact_id=contact.pk).order_by("id"))


def test_creating_a_contact_through_the_form_is_recorded(alice_client, alice):
    alice_client.post(reverse("contacts:create"), contact_post_data(company_name="Nordlicht GmbH"))

    contact = Contact.objects.get(company_name="Nordlicht GmbH")
    (created,) = changes(contact)
    assert created.action == "created"
    assert created.changeset.actor == alice
    assert created.changeset.source == Source.FORM


def test_an_edit_records_each_changed_field_with_old_and_new_value(alice_client, acme, bob):
    contact = make_company(acme, "Nordlicht GmbH", billing_city="Kiel")

    response = edit(alice_client, contact, company_name="Nordlicht AG", billing_city="Lübeck")

    assert response.status_code == 302
    change = changes(contact)[-1]
    assert change.action == "changed"
    assert change.fields["company_name"] == ["Nordlicht GmbH", "Nordlicht AG"]
    assert change.fields["billing_city"] == ["Kiel", "Lübeck"]
    assert "vat_id" not in change.fields


def test_contact_persons_are_part_of_the_history(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH")

    edit(alice_client, contact, persons=[JANA])

    old, new = changes(contact)[-1].fields["persons"]
    assert old == []
    assert [(p["first_name"], p["last_name"]) for p in new] == [("Jana", "Schröder")]


def test_saving_without_a_change_records_nothing(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", billing_city="Kiel")

    edit(alice_client, contact)

    assert [c.action for c in changes(contact)] == ["created"]


def test_archiving_and_notes_are_recorded(alice_client, acme, alice):
    contact = make_company(acme, "Nordlicht GmbH")
    alice_client.post(reverse("contacts:archive", args=[contact.pk]))
    alice_client.post(reverse("contacts:note_add", args=[contact.pk]), {"text": "Ruft an"})
    note = contact.notes.get()
    alice_client.post(
        reverse("contacts:note_edit", args=[contact.pk, note.pk]), {"text": "Ruft morgen an"}
    )
    alice_client.post(reverse("contacts:note_delete", args=[contact.pk, note.pk]))

    recorded = [(c.kind, c.action, c.fields) for c in changes(contact)]
    assert recorded == [
        ("contact", "created", {}),
        ("contact", "changed", {"archived": [False, True]}),
        ("note", "created", {"text": [None, "Ruft an"]}),
        ("note", "changed", {"text": ["Ruft an", "Ruft morgen an"]}),
        ("note", "deleted", {"text": ["Ruft morgen an", None]}),
    ]
    assert all(c.changeset.actor == alice for c in changes(contact)[1:])


def test_the_contact_page_shows_the_timeline(alice_client, acme, alice):
    contact = make_company(acme, "Nordlicht GmbH", by=alice, billing_city="Kiel")
    edit(alice_client, contact, billing_city="Lübeck")

    page = alice_client.get(
        reverse("contacts:detail", args=[contact.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "History" in page.text
    assert "City:" in page.text
    assert '<del class="text-danger-emphasis">Kiel</del> → <ins' in page.text
    assert "by Alice Admin" in page.text
    assert page.text.count('data-testid="restore-version"') == 1  # not the current version


def test_an_earlier_version_is_restored_whole_and_the_restore_is_recorded(
    alice_client, acme, alice
):
    contact = make_company(acme, "Nordlicht GmbH", billing_city="Kiel", persons=[JANA])
    created = changes(contact)[0]
    edit(alice_client, contact, company_name="Südlicht AG", billing_city="Passau", persons=[])

    response = alice_client.post(
        reverse("contacts:restore_version", args=[contact.pk, created.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    contact.refresh_from_db()
    assert (contact.company_name, contact.billing_city) == ("Nordlicht GmbH", "Kiel")
    assert list(contact.persons.values_list("last_name", flat=True)) == ["Schröder"]
    assert "was restored" in response.text
    restore = changes(contact)[-1]
    assert restore.changeset.source == Source.RESTORE
    assert restore.fields["company_name"] == ["Südlicht AG", "Nordlicht GmbH"]


def test_a_version_whose_number_is_taken_now_is_not_restored(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", customer_number=10500)
    created = changes(contact)[0]
    services.update_contact(
        contact=contact, data={"customer_number": 10600}, by=None, expected_version=1
    )
    make_company(acme, "Nachbar GmbH", customer_number=10500)

    response = alice_client.post(
        reverse("contacts:restore_version", args=[contact.pk, created.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert response.status_code == 200
    assert "its number now belongs to another contact" in response.text
    contact.refresh_from_db()
    assert contact.customer_number == 10600


def test_a_viewer_cannot_restore(vera_client, acme):
    contact = make_company(acme, "Nordlicht GmbH")
    services.update_contact(
        contact=contact, data={"company_name": "Neu GmbH"}, by=None, expected_version=1
    )

    response = vera_client.post(
        reverse("contacts:restore_version", args=[contact.pk, changes(contact)[0].pk])
    )

    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.company_name == "Neu GmbH"


def test_a_change_of_another_contact_is_not_found(alice_client, acme):
    one = make_company(acme, "Eins GmbH")
    other = make_company(acme, "Zwei GmbH")

    response = alice_client.post(
        reverse("contacts:restore_version", args=[one.pk, changes(other)[0].pk])
    )

    assert response.status_code == 404
