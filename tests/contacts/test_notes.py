"""Notes on a contact: added in place with htmx, edited or deleted by their author or an admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.models import Note

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
HTMX = {"HX-Request": "true", "accept-language": "en"}


def test_it_adds_a_note_in_place(bob_client, bob, contact):
    response = bob_client.post(
        reverse("contacts:note_add", args=[contact.pk]),
        {"text": "Called, wants a quote\nby Friday."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    # A fresh, empty form replaces the one that was sent...
    assert 'id="note-form"' in response.text
    assert (
        "Called, wants a quote" not in response.text.split('id="note-form"')[1].split("</form>")[0]
    )
    # ...and the note goes to the top of the list.
    assert 'hx-swap-oob="afterbegin:#notes"' in response.text
    assert "Called, wants a quote<br>by Friday." in response.text
    note = contact.notes.first()
    assert (note.text, note.author) == ("Called, wants a quote\nby Friday.", bob)


def test_it_adds_a_note_without_javascript(bob_client, contact):
    response = bob_client.post(
        reverse("contacts:note_add", args=[contact.pk]), {"text": "Plain form"}, headers=EN
    )
    assert response.status_code == 302
    page = bob_client.get(response.url, headers=EN)
    assert "Note added." in page.text
    assert "Plain form" in page.text


def test_it_shows_the_form_error_for_an_empty_note(bob_client, contact):
    response = bob_client.post(
        reverse("contacts:note_add", args=[contact.pk]), {"text": "  "}, headers=HTMX
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert contact.notes.count() == 1


def test_it_lists_notes_newest_first(alice_client, alice, contact):
    services.add_note(contact=contact, text="Second note", by=alice)
    page = alice_client.get(reverse("contacts:detail", args=[contact.pk]))
    assert page.text.index("Second note") < page.text.index("Prefers calls in the morning.")


def test_the_author_edits_a_note(bob_client, bob, contact):
    note = services.add_note(contact=contact, text="Typo heer", by=bob)
    url = reverse("contacts:note_edit", args=[contact.pk, note.pk])
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(url, {"text": "Typo here"}, headers=EN)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Typo here"
    assert "Note saved." in bob_client.get(response.url, headers=EN).text


def test_an_admin_edits_and_deletes_anyones_note(alice_client, bob, contact):
    note = services.add_note(contact=contact, text="Bob's note", by=bob)
    url = reverse("contacts:note_edit", args=[contact.pk, note.pk])
    assert alice_client.post(url, {"text": "Fixed by alice"}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Fixed by alice"
    delete = reverse("contacts:note_delete", args=[contact.pk, note.pk])
    assert alice_client.post(delete).status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()


def test_a_member_cannot_edit_or_delete_someone_elses_note(bob_client, contact):
    note = contact.notes.get()  # alice's
    edit = reverse("contacts:note_edit", args=[contact.pk, note.pk])
    delete = reverse("contacts:note_delete", args=[contact.pk, note.pk])
    assert bob_client.get(edit).status_code == 403
    assert bob_client.post(edit, {"text": "Overwritten"}).status_code == 403
    assert bob_client.post(delete).status_code == 403
    note.refresh_from_db()
    assert note.text == "Prefers calls in the morning."


def test_a_member_sees_edit_links_only_on_own_notes(bob_client, bob, contact):
    mine = services.add_note(contact=contact, text="Mine", by=bob)
    theirs = contact.notes.exclude(pk=mine.pk).get()
    page = bob_client.get(reverse("contacts:detail", args=[contact.pk]))
    assert reverse("contacts:note_edit", args=[contact.pk, mine.pk]) in page.text
    assert reverse("contacts:note_edit", args=[contact.pk, theirs.pk]) not in page.text
    assert reverse("contacts:note_delete", args=[contact.pk, theirs.pk]) not in page.text


def test_the_author_deletes_a_note(bob_client, bob, contact):
    note = services.add_note(contact=contact, text="Gone soon", by=bob)
    response = bob_client.post(
        reverse("contacts:note_delete", args=[contact.pk, note.pk]), headers=EN
    )
    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()
    assert "Note deleted." in bob_client.get(response.url, headers=EN).text


def test_a_viewer_cannot_add_a_note(vera_client, contact):
    response = vera_client.post(
        reverse("contacts:note_add", args=[contact.pk]), {"text": "x"}, headers=HTMX
    )
    assert response.status_code == 403
    assert contact.notes.count() == 1
