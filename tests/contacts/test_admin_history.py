"""Saving a contact in Django's admin is recorded in the history like a save on its page."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from contacts_app import services
from contacts_app.models import Contact
from history.models import Action, Change, Source
from tests.admin_forms import admin_form_data

from .conftest import make_company

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("root@kontor.test", "x")


@pytest.fixture
def root_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


def change_url(contact: Contact) -> str:
    return f"/admin/contacts/contact/{contact.pk}/change/"


def save_in_admin(client: Client, contact: Contact, **changes):
    form = client.get(change_url(contact), headers=EN)
    assert form.status_code == 200
    return client.post(change_url(contact), admin_form_data(form, **changes), headers=EN)


def test_an_admin_edit_records_each_changed_field_through_the_admin(root_client, root, contact):
    response = save_in_admin(
        root_client,
        contact,
        company_name="Müller Maschinen AG",
        billing_city="Augsburg",
        **{"persons-0-last_name": "Schröder-Brandt"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    change = Change.objects.filter(kind="contact", object_id=contact.pk).latest("id")
    assert (change.action, change.changeset.source, change.changeset.actor) == (
        Action.CHANGED,
        Source.ADMIN,
        root,
    )
    assert change.fields["company_name"] == ["Müller Maschinenbau GmbH", "Müller Maschinen AG"]
    assert change.fields["billing_city"] == ["München", "Augsburg"]
    old_persons, new_persons = change.fields["persons"]
    assert [p["last_name"] for p in old_persons] == ["Schröder"]
    assert [p["last_name"] for p in new_persons] == ["Schröder-Brandt"]
    saved = Contact.objects.get(pk=contact.pk)
    assert (saved.display_name, saved.version) == ("Müller Maschinen AG", contact.version + 1)


def test_notes_changed_in_the_admin_are_recorded(root_client, contact):
    save_in_admin(root_client, contact, **{"notes-0-text": "Calls in the afternoon now."})

    change = Change.objects.filter(kind="note", contact_id=contact.pk).latest("id")
    assert change.action == Action.CHANGED
    assert change.fields == {
        "text": ["Prefers calls in the morning.", "Calls in the afternoon now."]
    }
    assert change.changeset.source == Source.ADMIN


def test_saving_unchanged_in_the_admin_records_nothing(root_client, contact):
    before = Change.objects.count()

    response = save_in_admin(root_client, contact)

    assert response.status_code == 302
    assert Change.objects.count() == before


def test_the_admin_refuses_the_number_of_a_contact_in_the_trash(root_client, acme, contact):
    other = make_company(acme, "Im Papierkorb", customer_number=10500)
    services.trash_contact(contact=other, by=None)

    response = save_in_admin(root_client, contact, customer_number="10500")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["customer_number"] == [
        "Another contact has this number (perhaps one in the trash)."
    ]
    assert Contact.objects.get(pk=contact.pk).customer_number == 10000


def test_deleting_in_the_admin_is_recorded(root_client, root, contact):
    response = root_client.post(
        f"/admin/contacts/contact/{contact.pk}/delete/", {"post": "yes"}, headers=EN
    )

    assert response.status_code == 302
    assert not Contact.all_objects.filter(pk=contact.pk).exists()
    deleted = Change.objects.filter(kind="contact", object_id=contact.pk).latest("id")
    assert (deleted.action, deleted.changeset.source, deleted.changeset.actor) == (
        Action.DELETED,
        Source.ADMIN,
        root,
    )
