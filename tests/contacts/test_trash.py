"""Deleting a contact moves it to the trash: hidden everywhere, its numbers kept, back whole on
restore, deleted for good by an admin or after TRASH_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts_app import services
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from history.models import Action, Change, Source

from .conftest import contact_post_data, make_company

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
TRASH = reverse("trash:contacts")


def trash(contact: Contact, by=None, days_ago: int = 0) -> None:
    services.trash_contact(contact=contact, by=by)
    if days_ago:
        moved = timezone.now() - timedelta(days=days_ago)
        Contact.all_objects.filter(pk=contact.pk).update(deleted_at=moved)


def test_a_deleted_contact_is_listed_in_the_trash_with_what_comes_back(bob_client, bob, contact):
    bob_client.post(reverse("contacts:delete", args=[contact.pk]))

    page = bob_client.get(TRASH, headers=EN)

    assert page.status_code == 200
    (row,) = page.context["page"].object_list
    assert row.pk == contact.pk
    assert "Müller Maschinenbau GmbH" in page.text
    assert "Customer 10000" in page.text
    assert "1 contact person · 1 web profile · 1 note" in page.text
    assert "by Bob Member" in page.text
    assert "in 30 days" in page.text
    assert reverse("trash:contact_restore", args=[contact.pk]) in page.text
    assert reverse("trash:contact_delete", args=[contact.pk]) not in page.text  # admins only


def test_restoring_brings_the_contact_back_whole_and_is_recorded(bob_client, bob, contact):
    bob_client.post(reverse("contacts:delete", args=[contact.pk]))

    response = bob_client.post(reverse("trash:contact_restore", args=[contact.pk]), headers=EN)

    assert response.status_code == 302
    assert response.url == contact.get_absolute_url()
    page = bob_client.get(response.url, headers=EN)
    assert "“Müller Maschinenbau GmbH” is back from the trash." in page.text
    for text in [
        "Jana",
        "Schröder",
        "https://mueller-maschinen.de",
        "Prefers calls in the morning.",
    ]:
        assert text in page.text
    restored = Contact.objects.get(pk=contact.pk)
    assert (restored.customer_number, restored.deleted_at, restored.deleted_by) == (
        10000,
        None,
        None,
    )
    recorded = Change.objects.filter(kind="contact", object_id=contact.pk).order_by("id")
    assert [(c.action, c.changeset.source, c.changeset.actor) for c in recorded[1:]] == [
        (Action.TRASHED, Source.FORM, bob),
        (Action.RESTORED, Source.TRASH, bob),
    ]
    assert "restored from the trash" in page.text  # the timeline
    assert not bob_client.get(TRASH).context["page"].object_list


@pytest.mark.parametrize(
    "name",
    ["detail", "edit", "delete", "vcard"],
)
def test_a_contact_in_the_trash_has_no_pages(alice_client, contact, name):
    trash(contact)
    assert alice_client.get(reverse(f"contacts:{name}", args=[contact.pk])).status_code == 404


@pytest.mark.parametrize("name", ["archive", "unarchive", "note_add", "delete"])
def test_a_contact_in_the_trash_cannot_be_changed(alice_client, contact, name):
    trash(contact)
    response = alice_client.post(reverse(f"contacts:{name}", args=[contact.pk]), {"text": "x"})
    assert response.status_code == 404
    assert Contact.all_objects.get(pk=contact.pk).archived is False
    assert Note.objects.filter(contact=contact).count() == 1


def test_a_version_of_a_contact_in_the_trash_is_not_restored(alice_client, contact):
    created = Change.objects.filter(kind="contact", object_id=contact.pk).earliest("id")
    trash(contact)

    url = reverse("contacts:restore_version", args=[contact.pk, created.pk])

    assert alice_client.post(url).status_code == 404


def test_a_contact_in_the_trash_is_not_found_by_search_nor_exported(alice_client, acme, contact):
    make_company(acme, "Müller Bäckerei")
    trash(contact)

    found = alice_client.get(reverse("contacts:list"), {"q": "Müller"})
    export = alice_client.get(reverse("importer:export_contacts"))

    assert [c.display_name for c in found.context["page"].object_list] == ["Müller Bäckerei"]
    assert "Müller Bäckerei" in export.content.decode("utf-8-sig")
    assert "Maschinenbau" not in export.content.decode("utf-8-sig")


def test_the_number_of_a_contact_in_the_trash_is_not_handed_out_again(alice_client, acme):
    # Brought in with its number (as by an import): no number has been handed out yet.
    first = make_company(acme, "Erster Kunde", customer_number=10000)
    trash(first)

    alice_client.post(reverse("contacts:create"), contact_post_data(company_name="Neu GmbH"))

    assert Contact.objects.get(company_name="Neu GmbH").customer_number == 10001
    services.restore_contact(contact=first, by=None)
    assert Contact.objects.get(pk=first.pk).customer_number == 10000


def test_filling_the_gaps_below_an_imported_top_number_skips_the_trash(acme):
    make_company(acme, "Oben", customer_number=69999)
    trash(make_company(acme, "Unten", customer_number=10000))

    assert make_company(acme, "Neu").customer_number == 10001


def test_a_version_with_the_number_of_a_contact_in_the_trash_is_refused(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", customer_number=10500)
    created = Change.objects.filter(kind="contact", object_id=contact.pk).earliest("id")
    services.update_contact(
        contact=contact, data={"customer_number": 10600}, by=None, expected_version=1
    )
    trash(make_company(acme, "Im Papierkorb", customer_number=10500))

    response = alice_client.post(
        reverse("contacts:restore_version", args=[contact.pk, created.pk]), headers=EN, follow=True
    )

    assert "its number now belongs to another contact" in response.text
    assert Contact.objects.get(pk=contact.pk).customer_number == 10600


def test_the_trash_counts_the_days_left(alice_client, acme, settings):
    settings.TRASH_DAYS = 14
    trash(make_company(acme, "Vor zehn Tagen"), days_ago=10)
    trash(make_company(acme, "Überfällig"), days_ago=15)

    page = alice_client.get(TRASH, headers=EN)

    assert "stay here for 14 days" in page.text
    assert "in 4 days" in page.text
    assert "at the next clean-up" in page.text


def test_a_viewer_sees_the_trash_but_cannot_restore(vera_client, contact):
    trash(contact)

    page = vera_client.get(TRASH, headers=EN)
    response = vera_client.post(reverse("trash:contact_restore", args=[contact.pk]))

    assert "Müller Maschinenbau GmbH" in page.text
    assert 'data-testid="restore"' not in page.text
    assert response.status_code == 403
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is not None


def test_a_member_cannot_delete_for_good(bob_client, contact):
    trash(contact)
    url = reverse("trash:contact_delete", args=[contact.pk])

    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url).status_code == 403
    assert Contact.all_objects.filter(pk=contact.pk).exists()


def test_an_admin_deletes_for_good_after_confirming(alice_client, alice, contact):
    trash(contact)
    url = reverse("trash:contact_delete", args=[contact.pk])

    confirm = alice_client.get(url, headers=EN)
    response = alice_client.post(url, headers=EN, follow=True)

    assert "Delete “Müller Maschinenbau GmbH” for good?" in confirm.text
    assert "“Müller Maschinenbau GmbH” was deleted for good." in response.text
    assert not Contact.all_objects.filter(pk=contact.pk).exists()
    assert not ContactPerson.objects.exists()
    assert not WebProfile.objects.exists()
    assert not Note.objects.exists()
    deleted = Change.objects.filter(kind="contact", object_id=contact.pk).latest("id")
    assert deleted.action == Action.DELETED
    assert (deleted.changeset.actor, deleted.changeset.source) == (alice, Source.TRASH)
    assert deleted.fields["display_name"] == ["Müller Maschinenbau GmbH", None]


def test_a_live_contact_is_neither_restored_nor_deleted_through_the_trash(alice_client, contact):
    restore = alice_client.post(reverse("trash:contact_restore", args=[contact.pk]))
    delete = alice_client.post(reverse("trash:contact_delete", args=[contact.pk]))

    assert (restore.status_code, delete.status_code) == (404, 404)
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_another_organizations_trash_is_not_shown_nor_reachable(charlie_client, contact):
    trash(contact)

    page = charlie_client.get(TRASH)

    assert not page.context["page"].object_list
    assert page.context["counts"] == {"contacts": 0, "products": 0}
    for name in ("trash:contact_restore", "trash:contact_delete"):
        assert charlie_client.post(reverse(name, args=[contact.pk])).status_code == 404
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is not None


def test_the_trash_page_asks_as_many_queries_for_one_contact_as_for_thirty(alice_client, acme):
    def fill(count: int) -> None:
        for index in range(count):
            company = make_company(acme, f"Firma {index}", persons=[{"last_name": f"P{index}"}])
            services.add_note(contact=company, text="Notiz", by=None)
            trash(company)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = alice_client.get(TRASH, headers=EN)
        assert page.status_code == 200
        return len(captured)

    alice_client.get(TRASH)  # the first request of a session stores the organization in it
    fill(1)
    alone = queries()
    fill(29)
    many = queries()

    assert alone == many <= 10
    page = alice_client.get(TRASH, headers=EN)
    assert page.text.count("1 contact person · 0 web profiles · 1 note") == 30


def test_the_trash_speaks_german(bob_client, contact):
    deleted = bob_client.post(
        reverse("contacts:delete", args=[contact.pk]),
        headers={"Accept-Language": "de"},
        follow=True,
    )
    page = bob_client.get(TRASH, headers={"Accept-Language": "de"})

    assert (
        "„Müller Maschinenbau GmbH“ wurde in den Papierkorb verschoben. Dort kann der Eintrag "
        "30 Tage lang wiederhergestellt werden." in deleted.text
    )
    assert '<h1 class="h3 mb-1">Papierkorb</h1>' in page.text
    assert "1 Ansprechpartner · 1 Webprofil · 1 Notiz" in page.text
    assert "in 30 Tagen" in page.text
    assert "Wiederherstellen" in page.text
