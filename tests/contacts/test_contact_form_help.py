"""The contact form's help for the person typing: salutations offered, required names marked,
a first note written along with a new contact."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contacts_app.models import Contact
from history.models import Change

from .conftest import contact_post_data, make_company

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
DE = {"accept-language": "de"}


def _datalist_of(html: str, input_name: str) -> list[str]:
    field = re.search(rf'<input[^>]*name="{re.escape(input_name)}"[^>]*>', html)
    assert field, input_name
    list_id = re.search(r'list="([^"]+)"', field.group(0)).group(1)
    datalist = re.search(rf'<datalist id="{re.escape(list_id)}">(.*?)</datalist>', html, re.S)
    assert datalist, f"no datalist {list_id}"
    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', datalist.group(1))


def test_salutations_are_offered_on_the_contact_and_in_each_contact_person_row(alice_client):
    html = alice_client.get(reverse("contacts:create"), headers=DE).text
    offered = [("Herr", "Herr"), ("Frau", "Frau"), ("Divers", "Divers")]
    assert _datalist_of(html, "salutation") == offered
    # The row template a new contact person is added from carries its own list.
    assert _datalist_of(html, "persons-__prefix__-salutation") == offered
    assert 'placeholder="keine"' in html


def test_salutations_are_explained_in_english(alice_client):
    html = alice_client.get(reverse("contacts:create"), headers=EN).text
    assert _datalist_of(html, "salutation") == [
        ("Herr", "Mr"),
        ("Frau", "Ms"),
        ("Divers", "Mx (diverse)"),
    ]


def test_a_salutation_of_ones_own_is_kept(alice_client, acme):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            kind="person", salutation="Frau Dr. med.", first_name="Ida", last_name="Kühn"
        ),
        headers=EN,
    )
    assert response.status_code == 302
    assert Contact.objects.get(last_name="Kühn").salutation == "Frau Dr. med."


def test_an_edited_contact_person_row_offers_the_salutations(alice_client, acme):
    company = make_company(acme, "Bäckerei Müller")
    company.persons.create(first_name="Sabine", last_name="Weiß", salutation="Frau")
    html = alice_client.get(reverse("contacts:edit", args=[company.pk]), headers=EN).text
    assert ("Frau", "Ms") in _datalist_of(html, "persons-0-salutation")
    assert re.search(r'name="persons-0-salutation" value="Frau"', html)


def test_the_company_name_and_the_last_name_are_marked_required(alice_client):
    html = alice_client.get(reverse("contacts:create"), headers=DE).text
    for name, label in (("company_name", "Firmenname"), ("last_name", "Nachname")):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-required="true"' in field
        label_html = re.search(rf'<label\s+for="id_{name}"[^>]*>(.*?)</label>', html, re.S).group(1)
        assert label in label_html and "*" in label_html
    # A contact person's last name is not asked for.
    person_field = re.search(r'<input[^>]*name="persons-__prefix__-last_name"[^>]*>', html)
    assert "aria-required" not in person_field.group(0)


def test_a_person_needs_no_company_name_nor_a_company_a_last_name(alice_client, acme):
    for data in (
        {"kind": "person", "last_name": "Kühn"},
        {"kind": "company", "company_name": "Bäckerei Müller"},
    ):
        response = alice_client.post(
            reverse("contacts:create"), contact_post_data(**data), headers=EN
        )
        assert response.status_code == 302, data
    response = alice_client.post(
        reverse("contacts:create"), contact_post_data(kind="company"), headers=DE
    )
    assert "Ein Unternehmen braucht einen Namen." in response.text


def test_a_first_note_is_written_with_the_new_contact_and_recorded(alice_client, alice, acme):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(
            company_name="Bäckerei Müller", first_note="Kennt uns von der Messe in Köln."
        ),
        headers=DE,
    )
    contact = Contact.objects.get(company_name="Bäckerei Müller")
    note = contact.notes.get()
    assert note.text == "Kennt uns von der Messe in Köln."
    assert note.author == alice
    assert Change.objects.filter(kind="note", object_id=note.pk, action="created").exists()
    page = alice_client.get(response.url, headers=DE)
    assert "Kennt uns von der Messe in Köln." in page.text


def test_no_note_is_written_when_the_field_is_left_empty(alice_client, acme):
    alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Bäckerei Müller", first_note="   "),
        headers=EN,
    )
    assert not Contact.objects.get(company_name="Bäckerei Müller").notes.exists()


def test_the_edit_form_has_no_first_note(alice_client, acme):
    company = make_company(acme, "Bäckerei Müller")
    assert 'name="first_note"' in alice_client.get(reverse("contacts:create")).text
    html = alice_client.get(reverse("contacts:edit", args=[company.pk])).text
    assert 'name="first_note"' not in html


def test_a_too_long_first_note_is_refused_with_a_message(alice_client, acme):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Bäckerei Müller", first_note="x" * 5001),
        headers=EN,
    )
    assert response.status_code == 200
    assert "at most 5000 characters" in response.text
    assert not Contact.objects.filter(company_name="Bäckerei Müller").exists()
