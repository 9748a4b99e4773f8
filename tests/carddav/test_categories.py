"""A card's CATEGORIES are the contact's tags: served with the card, set by a PUT (unknown
ones created), recorded in the history as coming from the device."""

from __future__ import annotations

import pytest

from contacts_app import tags
from contacts_app.models import Tag
from history.models import Change, Source

from .conftest import BOOK, card_href, make_company, vcard
from .xmltools import unfold

pytestmark = pytest.mark.django_db


def tag_names(contact) -> list[str]:
    return sorted(contact.tags.values_list("name", flat=True))


@pytest.fixture
def tagged(acme):
    company = make_company(acme, "Bäckerei Müller")
    tags.set_tags(contact=company, names=["Stammkunde", "Messe 2025"], by=None)
    return company


def categories_of(text: str) -> list[str]:
    return [line for line in unfold(text) if line.startswith("CATEGORIES")]


def test_the_card_carries_the_tags_as_categories(alice_dav, tagged):
    for accept in ("text/vcard", "text/vcard; version=4.0"):
        card = alice_dav.get(card_href(tagged), HTTP_ACCEPT=accept).content.decode()
        assert categories_of(card) == ["CATEGORIES:Messe 2025,Stammkunde"], accept


def test_a_tag_with_a_comma_is_one_category(alice_dav, acme):
    company = make_company(acme)
    tags.set_tags(contact=company, names=["Kunde; alt"], by=None)
    card = alice_dav.get(card_href(company)).content.decode()
    assert categories_of(card) == ["CATEGORIES:Kunde\\; alt"]


def test_a_put_with_categories_sets_the_tags_and_creates_new_ones(alice_dav, tagged, acme):
    got = alice_dav.get(card_href(tagged))
    card = got.content.decode().replace(
        "CATEGORIES:Messe 2025,Stammkunde", "CATEGORIES:Stammkunde,Weihnachtskarte"
    )
    response = alice_dav.put_card(card_href(tagged), card, if_match=got["ETag"])
    assert response.status_code == 204, response.content
    assert tag_names(tagged) == ["Stammkunde", "Weihnachtskarte"]
    assert Tag.objects.filter(organization=acme, name="Weihnachtskarte").exists()
    change = Change.objects.filter(object_id=tagged.pk, changeset__source=Source.CARDDAV).get()
    assert change.changeset.label == "Alice's iPhone"
    assert "tags" in change.fields
    # The phone reads back what it wrote, with a new ETag.
    again = alice_dav.get(card_href(tagged))
    assert again["ETag"] != got["ETag"]
    assert categories_of(again.content.decode()) == ["CATEGORIES:Stammkunde,Weihnachtskarte"]


def test_a_card_sent_back_with_its_categories_changes_nothing(alice_dav, tagged):
    got = alice_dav.get(card_href(tagged))
    response = alice_dav.put_card(card_href(tagged), got.content.decode(), if_match=got["ETag"])
    assert response.status_code == 204
    assert alice_dav.get(card_href(tagged))["ETag"] == got["ETag"]
    assert not Change.objects.filter(changeset__source=Source.CARDDAV).exists()


def test_a_card_without_categories_keeps_the_tags(alice_dav, tagged):
    got = alice_dav.get(card_href(tagged))
    card = got.content.decode().replace("CATEGORIES:Messe 2025,Stammkunde\r\n", "")
    response = alice_dav.put_card(card_href(tagged), card, if_match=got["ETag"])
    assert response.status_code == 204
    assert tag_names(tagged) == ["Messe 2025", "Stammkunde"]


def test_an_empty_categories_line_removes_the_tags(alice_dav, tagged):
    got = alice_dav.get(card_href(tagged))
    card = got.content.decode().replace("CATEGORIES:Messe 2025,Stammkunde", "CATEGORIES:")
    response = alice_dav.put_card(card_href(tagged), card, if_match=got["ETag"])
    assert response.status_code == 204
    assert tag_names(tagged) == []


def test_a_new_card_with_categories_becomes_a_tagged_contact(alice_dav, acme):
    card = vcard(
        "UID:neu-1",
        "FN:Hafen Logistik GmbH",
        "N:;;;;",
        "ORG:Hafen Logistik GmbH",
        "X-ABShowAs:COMPANY",
        "CATEGORIES:Lieferant,Messe 2025",
    )
    assert alice_dav.put_card(f"{BOOK}neu.vcf", card).status_code == 201
    contact = acme.contacts.get(company_name="Hafen Logistik GmbH")
    assert tag_names(contact) == ["Lieferant", "Messe 2025"]
    # Kept as tags, not as a line of its own beside them.
    assert "CATEGORIES" not in contact.card_properties
    assert categories_of(alice_dav.get(f"{BOOK}neu.vcf").content.decode()) == [
        "CATEGORIES:Lieferant,Messe 2025"
    ]


def test_a_category_the_tags_refuse_is_refused_with_the_reason(alice_dav, tagged):
    got = alice_dav.get(card_href(tagged))
    card = got.content.decode().replace(
        "CATEGORIES:Messe 2025,Stammkunde", "CATEGORIES:" + "x" * 80
    )
    response = alice_dav.put_card(
        card_href(tagged), card, if_match=got["ETag"], accept_language="de"
    )
    assert response.status_code == 403
    assert "Schlagw" in response.content.decode()
    assert tag_names(tagged) == ["Messe 2025", "Stammkunde"]
