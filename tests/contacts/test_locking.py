"""Optimistic locking: a save based on an outdated version is refused and overwrites nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.models import Contact

from .conftest import contact_post_data, make_company

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def edit_data(contact: Contact, version: int, **fields) -> dict[str, str]:
    data = {"company_name": contact.company_name, "billing_city": contact.billing_city}
    return contact_post_data(version=version, **{**data, **fields})


def test_it_refuses_a_stale_update_in_the_service(acme, alice, bob):
    contact = make_company(acme, "Alt GmbH")
    opened = contact.version
    services.update_contact(
        contact=contact, data={"company_name": "Bob GmbH"}, by=bob, expected_version=opened
    )
    with pytest.raises(services.ContactChanged) as refused:
        services.update_contact(
            contact=contact, data={"company_name": "Alice GmbH"}, by=alice, expected_version=opened
        )
    assert refused.value.current.updated_by == bob
    contact.refresh_from_db()
    assert contact.company_name == "Bob GmbH"
    assert contact.version == opened + 1


def test_it_counts_up_the_version_with_every_save(acme):
    contact = make_company(acme, "Zähler GmbH")
    assert contact.version == 1
    contact = services.update_contact(
        contact=contact, data={"billing_city": "Ulm"}, by=None, expected_version=1
    )
    services.set_archived(contact=contact, archived=True, by=None)
    contact.refresh_from_db()
    assert contact.version == 3


def test_it_refuses_a_stale_save(acme, alice, bob, alice_client, bob_client):
    contact = make_company(acme, "Alt GmbH", billing_city="Bonn", by=alice)
    url = reverse("contacts:edit", args=[contact.pk])

    # Both open the form at the same version.
    for client in (alice_client, bob_client):
        page = client.get(url)
        assert re.search(r'name="version" value="1"', page.text)

    saved = bob_client.post(url, edit_data(contact, 1, company_name="Bob GmbH"))
    assert saved.status_code == 302

    refused = alice_client.post(
        url, edit_data(contact, 1, company_name="Alice GmbH", billing_city="Köln"), headers=EN
    )
    assert refused.status_code == 200
    assert "Not saved: this contact was changed by Bob Member at" in refused.text
    # alice's input is still in the form...
    assert 'value="Alice GmbH"' in refused.text
    assert 'value="Köln"' in refused.text
    # ...and bob's save is what the database keeps.
    contact.refresh_from_db()
    assert (contact.company_name, contact.billing_city, contact.version) == ("Bob GmbH", "Bonn", 2)
    assert contact.updated_by == bob


def test_it_saves_after_the_user_has_seen_the_conflict(acme, alice, bob, alice_client):
    contact = make_company(acme, "Alt GmbH", by=alice)
    services.update_contact(
        contact=contact, data={"company_name": "Bob GmbH"}, by=bob, expected_version=1
    )
    url = reverse("contacts:edit", args=[contact.pk])
    refused = alice_client.post(url, edit_data(contact, 1, company_name="Alice GmbH"))
    # The refused form carries the version it was compared with, so saving it again is a
    # deliberate choice to replace bob's changes.
    assert 'name="version" value="2"' in refused.text
    saved = alice_client.post(url, edit_data(contact, 2, company_name="Alice GmbH"))
    assert saved.status_code == 302
    contact.refresh_from_db()
    assert contact.company_name == "Alice GmbH"


def test_it_refuses_an_edit_opened_before_the_contact_was_archived(acme, alice, alice_client):
    contact = make_company(acme, "Archiv GmbH", by=alice)
    services.set_archived(contact=contact, archived=True, by=alice)
    url = reverse("contacts:edit", args=[contact.pk])
    refused = alice_client.post(url, edit_data(contact, 1, company_name="Neu GmbH"), headers=EN)
    assert "changed by Alice Admin at" in refused.text
    contact.refresh_from_db()
    assert contact.company_name == "Archiv GmbH"


def test_it_keeps_the_contact_persons_typed_into_a_refused_form(acme, alice, bob, alice_client):
    contact = make_company(acme, "Alt GmbH", by=alice)
    services.update_contact(contact=contact, data={}, by=bob, expected_version=1)
    url = reverse("contacts:edit", args=[contact.pk])
    refused = alice_client.post(
        url,
        edit_data(contact, 1, persons=[{"first_name": "Neue", "last_name": "Ansprechpartnerin"}]),
    )
    assert 'value="Ansprechpartnerin"' in refused.text
    assert not contact.persons.exists()


def test_archiving_from_a_stale_page_still_counts_as_a_change(acme, alice, bob, alice_client):
    contact = make_company(acme, "Spät GmbH", by=alice)
    archived_from = Contact.objects.get(pk=contact.pk)  # bob's page, opened at version 1
    services.update_contact(
        contact=contact, data={"billing_city": "Jena"}, by=alice, expected_version=1
    )  # alice saves: version 2; she opens the form again
    services.set_archived(contact=archived_from, archived=True, by=bob)
    assert archived_from.version == 3

    url = reverse("contacts:edit", args=[contact.pk])
    refused = alice_client.post(url, edit_data(contact, 2, company_name="Neu GmbH"), headers=EN)
    assert "changed by Bob Member at" in refused.text
    contact.refresh_from_db()
    assert (contact.company_name, contact.archived, contact.version) == ("Spät GmbH", True, 3)
