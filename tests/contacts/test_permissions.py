"""Who may do what: viewers read, members and admins edit, other organizations see nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.models import Contact

from .conftest import contact_post_data

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def contact_urls(contact: Contact) -> dict[str, set[str]]:
    """Every URL that belongs to one contact, notes included, with the methods it answers."""
    note = contact.notes.get()
    both, post = {"GET", "POST"}, {"POST"}
    return {
        reverse("contacts:detail", args=[contact.pk]): {"GET"},
        reverse("contacts:edit", args=[contact.pk]): both,
        reverse("contacts:archive", args=[contact.pk]): post,
        reverse("contacts:unarchive", args=[contact.pk]): post,
        reverse("contacts:delete", args=[contact.pk]): both,
        reverse("contacts:vcard", args=[contact.pk]): {"GET"},
        reverse("contacts:note_add", args=[contact.pk]): post,
        reverse("contacts:note_edit", args=[contact.pk, note.pk]): both,
        reverse("contacts:note_delete", args=[contact.pk, note.pk]): post,
    }


def post_urls(contact: Contact) -> list[str]:
    """The URLs that change something."""
    return [url for url, methods in contact_urls(contact).items() if "POST" in methods] + [
        reverse("contacts:create")
    ]


def test_a_viewer_sees_no_edit_controls(vera_client, contact):
    listing = vera_client.get(reverse("contacts:list"), headers=EN)
    assert listing.status_code == 200
    assert "Müller Maschinenbau GmbH" in listing.text
    assert reverse("contacts:create") not in listing.text
    assert "New contact" not in listing.text

    detail = vera_client.get(reverse("contacts:detail", args=[contact.pk]), headers=EN)
    assert detail.status_code == 200
    assert "Prefers calls in the morning." in detail.text
    assert "Download vCard" in detail.text
    for url in post_urls(contact):
        assert url not in detail.text, url
    assert 'id="note-form"' not in detail.text


def test_a_viewer_gets_403_on_every_post(vera_client, contact):
    for url in post_urls(contact):
        response = vera_client.post(url, contact_post_data(company_name="Vera GmbH", text="x"))
        assert response.status_code == 403, url
    contact.refresh_from_db()
    assert contact.company_name == "Müller Maschinenbau GmbH"
    assert not contact.archived
    assert contact.notes.count() == 1
    assert Contact.objects.count() == 1


def test_a_viewer_gets_403_on_the_edit_forms(vera_client, contact):
    note = contact.notes.get()
    for url in [
        reverse("contacts:create"),
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:delete", args=[contact.pk]),
        reverse("contacts:note_edit", args=[contact.pk, note.pk]),
    ]:
        assert vera_client.get(url).status_code == 403, url


def test_a_viewer_may_download_the_vcard(vera_client, contact):
    assert vera_client.get(reverse("contacts:vcard", args=[contact.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["alice_client", "bob_client"])
def test_members_and_admins_edit(request, persona, contact):
    client = request.getfixturevalue(persona)
    detail = client.get(reverse("contacts:detail", args=[contact.pk]), headers=EN)
    assert reverse("contacts:edit", args=[contact.pk]) in detail.text
    assert 'id="note-form"' in detail.text

    response = client.post(
        reverse("contacts:edit", args=[contact.pk]),
        contact_post_data(company_name="Umbenannt GmbH", version=contact.version),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.company_name == "Umbenannt GmbH"

    created = client.post(reverse("contacts:create"), contact_post_data(company_name="Neu KG"))
    assert created.status_code == 302
    assert client.post(reverse("contacts:archive", args=[contact.pk])).status_code == 302


def test_another_organization_gets_404_on_every_contact_url(charlie_client, contact):
    data = contact_post_data(company_name="Globex hijack", text="x", version=1)
    for url, methods in contact_urls(contact).items():
        for method in methods:
            response = getattr(charlie_client, method.lower())(url, data)
            assert response.status_code == 404, f"{method} {url}"
    contact.refresh_from_db()
    assert contact.company_name == "Müller Maschinenbau GmbH"
    assert not contact.archived
    assert contact.notes.count() == 1


def test_another_organization_gets_the_same_answer_as_for_a_contact_that_does_not_exist(
    charlie_client, contact
):
    # Also where a method is not allowed (GET on archive, POST on the vCard), so the answer never
    # tells whether some organization has a contact with that id.
    missing = contact.pk + 1000
    note = contact.notes.get()
    for url in contact_urls(contact):
        elsewhere = url.replace(f"/{contact.pk}/", f"/{missing}/").replace(
            f"/notes/{note.pk}/", f"/notes/{note.pk + 1000}/"
        )
        for method in ("get", "post"):
            theirs = getattr(charlie_client, method)(url).status_code
            nobodys = getattr(charlie_client, method)(elsewhere).status_code
            assert theirs == nobodys, f"{method} {url}"
            assert theirs == 404, f"{method} {url}"


def test_another_organization_does_not_see_the_contact_in_its_list(charlie_client, contact):
    response = charlie_client.get(reverse("contacts:list"), {"q": "müller"})
    assert response.status_code == 200
    assert "Müller Maschinenbau GmbH" not in response.text


def test_a_note_of_another_organizations_contact_is_not_found_under_ones_own(
    alice_client, acme, globex, charlie, contact
):
    from .conftest import make_company

    theirs = make_company(globex, "Globex Kunde")
    note = services.add_note(contact=theirs, text="secret", by=charlie)
    for name in ("note_edit", "note_delete"):
        url = reverse(f"contacts:{name}", args=[contact.pk, note.pk])
        assert alice_client.post(url, {"text": "mine now"}).status_code == 404
    note.refresh_from_db()
    assert note.text == "secret"


def test_anonymous_visitors_are_sent_to_the_login(client, contact):
    response = client.get(reverse("contacts:detail", args=[contact.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
