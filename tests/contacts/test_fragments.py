"""htmx fragments: a URL that answers a fragment or a page says so, and no cache keeps the
fragment (else the back button would show it for the page)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.cache import has_vary_header

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_contact_list_varies_with_hx_request(alice_client, contact):
    url = reverse("contacts:list")
    page = alice_client.get(url, {"q": "müller"})
    fragment = alice_client.get(url, {"q": "müller"}, headers=HTMX)
    assert "<html" in page.text and "<html" not in fragment.text
    assert "Müller Maschinenbau GmbH" in fragment.text
    for response in (page, fragment):
        assert has_vary_header(response, "HX-Request")


def test_the_fragment_is_never_stored_but_the_page_may_be(alice_client, contact):
    url = reverse("contacts:list")
    fragment = alice_client.get(url, {"q": "müller"}, headers=HTMX)
    assert "no-store" in fragment["Cache-Control"]
    page = alice_client.get(url, {"q": "müller"})
    assert "no-store" not in page.get("Cache-Control", "")


def test_the_back_button_restoring_the_list_gets_the_whole_page(alice_client, contact):
    response = alice_client.get(
        reverse("contacts:list"),
        {"q": "müller"},
        headers={**HTMX, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
    assert 'id="id_q"' in response.text
    assert has_vary_header(response, "HX-Request")


def test_a_note_added_with_htmx_says_that_the_answer_varies(bob_client, contact):
    response = bob_client.post(
        reverse("contacts:note_add", args=[contact.pk]), {"text": "Rückruf"}, headers=HTMX
    )
    assert response.status_code == 200
    assert has_vary_header(response, "HX-Request")
    assert "no-store" in response["Cache-Control"]
