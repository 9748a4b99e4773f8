"""Error pages say what happened and what the person can do, in their language.

403 tells the role and whom to ask, 404 leads back, a 403 is no traceback in the log; the
Import menu is only shown to those who may import.
"""

from __future__ import annotations

import logging

import pytest

from contacts_app.services import create_contact

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def test_a_viewer_is_told_what_a_viewer_may_do_and_which_admin_to_ask(vera_client, alice):
    response = vera_client.get("/products/new/", **EN)

    assert response.status_code == 403
    assert "You may not do this" in response.text
    assert "As a viewer in Acme GmbH you can look at contacts and products" in response.text
    assert "ask an admin of Acme GmbH for another role" in response.text
    assert 'href="mailto:alice@acme.test"' in response.text
    assert "Alice Admin" in response.text
    assert 'data-testid="user-menu"' in response.text  # the page has the navigation


def test_the_403_page_speaks_german(vera_client, alice):
    response = vera_client.get("/products/new/", **DE)

    assert response.status_code == 403
    assert "Das dürfen Sie nicht" in response.text
    assert "Als Betrachter in Acme GmbH" in response.text


def test_a_member_is_told_that_managing_the_organization_is_for_admins(bob_client, alice):
    response = bob_client.get("/settings/organization/", **EN)

    assert response.status_code == 403
    assert "As a member of Acme GmbH you can add and change" in response.text
    assert "Alice Admin" in response.text


def test_another_organizations_contact_is_a_styled_404_with_a_way_back(charlie_client, acme, alice):
    contact = create_contact(
        organization=acme, by=alice, data={"kind": "company", "company_name": "Geheim GmbH"}
    )

    response = charlie_client.get(f"/contacts/{contact.pk}/", **EN)

    assert response.status_code == 404
    assert "This page does not exist" in response.text
    assert "Geheim" not in response.text
    assert 'href="/contacts/"' in response.text


def test_the_404_page_speaks_german(client):
    response = client.get("/gibt-es-nicht/", **DE)

    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.text


def test_a_403_is_one_line_in_the_log(vera_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = vera_client.get("/products/new/", **EN)

    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    formatted = logging.Formatter().format(records[0])
    assert "Traceback" not in formatted
    assert formatted.count("\n") == 0


def test_the_import_menu_is_hidden_from_viewers(vera_client):
    response = vera_client.get("/contacts/", **EN)

    assert response.status_code == 200
    assert 'href="/import/"' not in response.text


def test_members_see_the_import_menu(bob_client):
    response = bob_client.get("/contacts/", **EN)

    assert 'href="/import/"' in response.text
