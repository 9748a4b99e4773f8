"""Merging contacts field by field, former numbers, and the undo from the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app import services
from contacts_app.merging import MergeConflict, MergeRefused, merge_contacts
from contacts_app.models import (
    Contact,
    ContactMerge,
    ContactPerson,
    FormerNumber,
    MergedContact,
    Note,
    WebProfile,
)
from contacts_app.selectors import ContactFilter, contact_list
from history.models import Change, ChangeSet, Source

from .conftest import make_company, make_person

EN = {"Accept-Language": "en"}
DE = {"Accept-Language": "de"}


@pytest.fixture
def pair(acme, alice):
    """The same business twice: once well kept (customer), once typed in again (supplier)."""
    kept = make_company(
        acme,
        "Holzbau Müller AG",
        by=alice,
        billing_street="Hauptstraße 5",
        billing_postal_code="80331",
        billing_city="München",
        email_business="info@holzbau-mueller.de",
        persons=[{"first_name": "Jana", "last_name": "Schröder", "is_primary": True}],
        profiles=[{"kind": "website", "value": "https://holzbau-mueller.de"}],
    )
    services.add_note(contact=kept, text="Kunde seit 2012.", by=alice)
    other = make_company(
        acme,
        "Holzbau Mueller AG",
        by=alice,
        is_customer=False,
        is_supplier=True,
        billing_postal_code="80331",
        billing_city="München",
        vat_id="DE123456788",
        phone_business="+49 89 123456",
        persons=[
            {"first_name": "Lukas", "last_name": "Müller", "is_primary": True},
            {"first_name": "Jana", "last_name": "Schröder"},
        ],
        profiles=[
            {"kind": "website", "value": "https://holzbau-mueller.de"},
            {"kind": "xing", "value": "https://www.xing.com/pages/holzbau-mueller"},
        ],
    )
    services.add_note(contact=other, text="Liefert Holz.", by=alice)
    return kept, other


def merge_post(kept, contacts, **picks) -> dict:
    data = {
        "contacts": [c.pk for c in contacts],
        "keep": kept.pk,
        **{f"version_{c.pk}": c.version for c in contacts},
    }
    data.update({f"pick_{name}": source.pk for name, source in picks.items()})
    return data


def merge_url(*contacts) -> str:
    query = "&".join(f"contacts={c.pk}" for c in contacts)
    return f"{reverse('contacts:merge')}?{query}"


def test_the_merge_page_shows_the_contacts_side_by_side_where_they_differ(alice_client, acme, pair):
    kept, other = pair
    page = alice_client.get(merge_url(kept, other), headers=EN)
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="merge-row-company_name"' in html
    assert 'data-testid="merge-row-vat_id"' in html
    assert 'data-testid="merge-row-billing_address"' in html  # the street is only in one
    assert 'data-testid="merge-row-billing_city"' not in html  # an address is one choice
    # The kept contact (the older) is chosen; where it has nothing, the other's value.
    assert f'name="keep" value="{kept.pk}" id="keep-{kept.pk}" checked' in html
    assert f'name="pick_vat_id" value="{other.pk}" id="pick_vat_id-{other.pk}" checked' in html
    assert "Holzbau Mueller AG" in html and "DE123456788" in html


def test_the_merge_page_speaks_german(alice_client, acme, pair):
    page = alice_client.get(merge_url(*pair), headers=DE)
    assert "2 Kontakte zusammenführen" in page.text
    assert "Diesen behalten" in page.text


def test_merging_keeps_the_values_picked_and_moves_everything_to_the_kept_contact(
    alice_client, acme, pair
):
    kept, other = pair
    response = alice_client.post(
        reverse("contacts:merge"),
        merge_post(kept, [kept, other], company_name=kept, vat_id=other, phone_business=other),
        headers=EN,
    )
    assert response.status_code == 302
    assert response["Location"] == kept.get_absolute_url()
    kept.refresh_from_db()
    assert (kept.company_name, kept.vat_id, kept.phone_business) == (
        "Holzbau Müller AG",
        "DE123456788",
        "+49 89 123456",
    )
    assert kept.billing_street == "Hauptstraße 5"
    assert kept.is_customer and kept.is_supplier
    # The supplier number moves along with the role the kept contact did not have.
    assert kept.supplier_number == 70000 and kept.customer_number == 10000
    persons = list(kept.persons.order_by("last_name").values_list("last_name", "is_primary"))
    assert persons == [("Müller", False), ("Schröder", True)]  # Jana Schröder once
    assert sorted(kept.web_profiles.values_list("kind", flat=True)) == ["website", "xing"]
    assert set(kept.notes.values_list("text", flat=True)) == {"Kunde seit 2012.", "Liefert Holz."}
    # The other is in the trash, whole, marked with the merge.
    assert not Contact.objects.filter(pk=other.pk).exists()
    trashed = Contact.all_objects.get(pk=other.pk)
    assert trashed.deleted_at is not None
    assert trashed.persons.count() == 2
    assert MergedContact.objects.get(contact=trashed).merge.kept_id == kept.pk
    followed = alice_client.get(response["Location"], headers=EN)
    assert "2 contacts were merged into “Holzbau Müller AG”." in followed.text


def test_the_merge_is_one_change_in_the_kept_contacts_history_with_the_others_history(
    alice_client, acme, pair
):
    kept, other = pair
    before = ChangeSet.objects.filter(source=Source.MERGE).count()
    alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other], vat_id=other))
    [change] = Change.objects.filter(changeset__source=Source.MERGE, object_id=kept.pk)
    assert {"vat_id", "persons", "profiles", "is_supplier", "supplier_number"} <= set(change.fields)
    assert ChangeSet.objects.filter(source=Source.MERGE).count() == before + 2  # kept, trashed
    # The other's history (its creation, its note) is shown on the kept contact now.
    assert Change.objects.filter(object_id=other.pk, kind="contact", contact_id=kept.pk).exists()
    page = alice_client.get(kept.get_absolute_url(), headers=EN)
    assert "Merged into this contact: Holzbau Mueller AG" in page.text
    assert "of “Holzbau Mueller AG”, merged into this contact" in page.text
    assert page.text.count('data-testid="undo-merge"') == 1


def test_the_merged_away_numbers_stay_reserved_and_find_the_kept_contact(acme, alice):
    kept = make_company(acme, "Alt AG", by=alice)
    other = make_company(acme, "Alt AG", by=alice)
    assert (kept.customer_number, other.customer_number) == (10000, 10001)
    merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={},
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )
    assert list(FormerNumber.objects.values_list("contact", "role", "number")) == [
        (kept.pk, "customer", 10001)
    ]
    found = contact_list(acme, ContactFilter(query="10001"))
    assert list(found.values_list("pk", flat=True)) == [kept.pk]
    # Even once the merged contact is purged from the trash, nobody gets its number.
    services.delete_contact(contact=Contact.all_objects.get(pk=other.pk))
    services.update_contact(contact=kept, data={}, by=alice, expected_version=2)
    assert contact_list(acme, ContactFilter(query="10001")).get().pk == kept.pk
    new = make_company(acme, "Neu GmbH", by=alice)
    assert new.customer_number == 10002


def test_a_number_reserved_as_former_number_is_skipped_by_the_numbering(acme, alice):
    first = make_company(acme, "Erste GmbH")
    FormerNumber.objects.create(organization=acme, contact=first, role="customer", number=10001)
    assert make_company(acme, "Zweite GmbH").customer_number == 10002


def test_undo_brings_everything_back(alice_client, acme, alice, pair):
    kept, other = pair
    alice_client.post(
        reverse("contacts:merge"),
        merge_post(kept, [kept, other], company_name=other, vat_id=other),
    )
    change = Change.objects.get(changeset__source=Source.MERGE, object_id=kept.pk)
    response = alice_client.post(
        reverse("contacts:undo_merge", args=[kept.pk, change.pk]), headers=EN
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    other = Contact.objects.get(pk=other.pk)  # out of the trash
    assert (kept.company_name, kept.vat_id, kept.is_supplier, kept.supplier_number) == (
        "Holzbau Müller AG",
        "",
        False,
        None,
    )
    assert (other.supplier_number, other.vat_id) == (70000, "DE123456788")
    assert list(kept.persons.values_list("last_name", flat=True)) == ["Schröder"]
    assert list(kept.web_profiles.values_list("kind", flat=True)) == ["website"]
    assert list(kept.notes.values_list("text", flat=True)) == ["Kunde seit 2012."]
    assert list(other.notes.values_list("text", flat=True)) == ["Liefert Holz."]
    assert other.persons.count() == 2 and other.web_profiles.count() == 2
    assert not FormerNumber.objects.exists()
    assert ContactMerge.objects.get().undone_at is not None
    assert not Change.objects.filter(object_id=other.pk, kind="contact", contact_id=kept.pk)
    followed = alice_client.get(response["Location"], headers=EN)
    assert "The merge was undone: “Holzbau Mueller AG” is back." in followed.text
    assert 'data-testid="undo-merge"' not in followed.text
    assert "undone" in followed.text


def test_undo_keeps_what_was_changed_on_the_kept_contact_since(acme, alice, pair):
    kept, other = pair
    merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={"vat_id": other.pk, "phone_business": other.pk},
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )
    kept.refresh_from_db()
    services.update_contact(
        contact=kept,
        data={"phone_business": "+49 89 999999", "billing_city": "Muenchen"},
        by=alice,
        expected_version=kept.version,
    )
    merge = ContactMerge.objects.get()
    from contacts_app.merging import undo_merge

    undo_merge(merge=merge, by=alice)
    kept.refresh_from_db()
    assert kept.vat_id == ""  # as the merge left it: back to before
    assert kept.phone_business == "+49 89 999999"  # changed since: kept
    assert kept.billing_city == "Muenchen"


def test_a_merge_is_undone_once(alice_client, acme, pair):
    kept, other = pair
    alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other]))
    change = Change.objects.get(changeset__source=Source.MERGE, object_id=kept.pk)
    url = reverse("contacts:undo_merge", args=[kept.pk, change.pk])
    alice_client.post(url)
    again = alice_client.post(url, headers=EN, follow=True)
    assert "This merge cannot be undone any more." in again.text
    assert Contact.objects.count() == 2


def test_a_merge_whose_contact_was_purged_cannot_be_undone(alice_client, acme, pair):
    kept, other = pair
    alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other]))
    services.delete_contact(contact=Contact.all_objects.get(pk=other.pk))
    change = Change.objects.get(changeset__source=Source.MERGE, object_id=kept.pk)
    response = alice_client.post(
        reverse("contacts:undo_merge", args=[kept.pk, change.pk]), headers=EN, follow=True
    )
    assert "This merge cannot be undone any more." in response.text
    assert 'data-testid="undo-merge"' not in response.text


def test_only_a_merges_entry_undoes_a_merge(alice_client, acme, pair):
    kept, _other = pair
    creation = Change.objects.filter(object_id=kept.pk, kind="contact").earliest("id")
    response = alice_client.post(reverse("contacts:undo_merge", args=[kept.pk, creation.pk]))
    assert response.status_code == 404


def test_merging_five_contacts_and_no_more(alice_client, acme):
    contacts = [make_company(acme, "Fünf GmbH") for _ in range(6)]
    too_many = alice_client.get(merge_url(*contacts), headers=EN, follow=True)
    assert "Choose between 2 and 5 contacts." in too_many.text
    response = alice_client.post(reverse("contacts:merge"), merge_post(contacts[0], contacts[:5]))
    assert response.status_code == 302
    assert Contact.objects.count() == 2
    assert FormerNumber.objects.count() == 4


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (lambda a, b: [a.pk], "Choose between 2 and 5 contacts."),
        (lambda a, b: ["x"], "That is not a contact."),
    ],
)
def test_the_merge_page_refuses_what_cannot_be_merged_with_a_message(
    alice_client, acme, pair, ids, message
):
    url = reverse("contacts:merge")
    response = alice_client.get(url, {"contacts": ids(*pair)}, headers=EN, follow=True)
    assert message in response.text


def test_a_company_and_a_person_cannot_be_merged(alice_client, acme):
    a, b = make_company(acme, "Erika Muster"), make_person(acme, "Erika", "Muster")
    response = alice_client.get(merge_url(a, b), headers=EN, follow=True)
    assert "A company and a person cannot be merged." in response.text
    posted = alice_client.post(reverse("contacts:merge"), merge_post(a, [a, b]), follow=True)
    assert "A company and a person cannot be merged." in posted.text
    assert Contact.objects.count() == 2


def test_a_contact_changed_after_the_page_was_opened_stops_the_merge(
    alice_client, acme, alice, pair
):
    kept, other = pair
    data = merge_post(kept, [kept, other])
    services.update_contact(
        contact=other, data={"vat_id": ""}, by=alice, expected_version=other.version
    )
    response = alice_client.post(reverse("contacts:merge"), data, headers=EN, follow=True)
    assert "“Holzbau Mueller AG” was changed by someone else after this page was opened." in (
        response.text
    )
    assert Contact.objects.count() == 2 and not ContactMerge.objects.exists()


def test_the_service_refuses_a_kept_contact_that_is_not_merged(acme, alice, pair):
    kept, other = pair
    stranger = make_company(acme, "Dritte GmbH")
    versions = {c.pk: c.version for c in (kept, other)}
    with pytest.raises(MergeRefused):
        merge_contacts(
            organization=acme,
            kept_id=stranger.pk,
            contact_ids=[kept.pk, other.pk],
            picks={},
            versions=versions,
            by=alice,
        )
    with pytest.raises(MergeConflict):
        merge_contacts(
            organization=acme,
            kept_id=kept.pk,
            contact_ids=[kept.pk, other.pk],
            picks={},
            versions={kept.pk: 99, other.pk: other.version},
            by=alice,
        )


def test_a_contact_of_another_organization_is_not_found_and_one_gone_is_said_so(
    alice_client, acme, alice, globex, pair
):
    kept, other = pair
    foreign = make_company(globex, "Holzbau Müller AG")
    assert alice_client.get(merge_url(kept, foreign)).status_code == 404
    assert (
        alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, foreign])).status_code
        == 404
    )
    # Moved to the trash (or merged) by someone else since the page was opened: told, not 404.
    services.trash_contact(contact=other, by=alice)
    for response in (
        alice_client.get(merge_url(kept, other), headers=EN, follow=True),
        alice_client.post(
            reverse("contacts:merge"), merge_post(kept, [kept, other]), headers=EN, follow=True
        ),
    ):
        assert response.redirect_chain[-1][0] == reverse("contacts:duplicates")
        assert "One of the contacts is no longer there." in response.text
    assert Contact.objects.filter(pk=kept.pk).exists()


def test_a_viewer_cannot_merge_or_undo(vera_client, alice_client, acme, pair):
    kept, other = pair
    assert vera_client.get(merge_url(kept, other)).status_code == 403
    assert (
        vera_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other])).status_code
        == 403
    )
    assert Contact.objects.count() == 2
    alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other]))
    change = Change.objects.get(changeset__source=Source.MERGE, object_id=kept.pk)
    assert (
        vera_client.post(reverse("contacts:undo_merge", args=[kept.pk, change.pk])).status_code
        == 403
    )
    page = vera_client.get(kept.get_absolute_url())
    assert 'data-testid="undo-merge"' not in page.text
    assert ContactMerge.objects.get().undone_at is None


def test_another_organization_gets_404_for_the_merge_and_its_undo(
    charlie_client, alice_client, acme, pair
):
    kept, other = pair
    assert charlie_client.get(merge_url(kept, other)).status_code == 404
    assert (
        charlie_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other])).status_code
        == 404
    )
    alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other]))
    change = Change.objects.get(changeset__source=Source.MERGE, object_id=kept.pk)
    url = reverse("contacts:undo_merge", args=[kept.pk, change.pk])
    assert charlie_client.post(url).status_code == 404
    assert ContactMerge.objects.get().undone_at is None


def test_a_merge_without_any_change_to_the_kept_contact_is_still_an_entry_to_undo(acme, alice):
    kept = make_company(acme, "Gleich GmbH", by=alice)
    other = make_company(acme, "Gleich GmbH", by=alice)
    merge = merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={},
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )
    assert merge.change is not None and merge.change.object_id == kept.pk


def test_contact_persons_stay_with_the_merged_contact_in_the_trash(acme, alice, pair):
    kept, other = pair
    merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={},
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )
    assert ContactPerson.objects.filter(contact=other).count() == 2
    assert WebProfile.objects.filter(contact=other).count() == 2
    assert Note.objects.filter(contact=other).count() == 0


def test_a_merged_contact_in_the_trash_knows_what_it_was_merged_into(acme, alice, pair):
    from contacts_app.merging import kept_contact_of, undo_merge

    kept, other = pair
    merge = merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={},
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )
    assert kept_contact_of(Contact.all_objects.get(pk=other.pk)) == kept
    undo_merge(merge=merge, by=alice)
    assert kept_contact_of(other) is None


def test_a_merge_is_not_undone_while_its_kept_contact_is_in_the_trash(
    alice_client, acme, alice, pair
):
    kept, other = pair
    alice_client.post(reverse("contacts:merge"), merge_post(kept, [kept, other]))
    change = Change.objects.get(changeset__source=Source.MERGE, object_id=kept.pk)
    services.trash_contact(contact=kept, by=alice)
    from contacts_app.merging import undo_merge

    with pytest.raises(MergeRefused, match="while the contact it kept is in the trash"):
        undo_merge(merge=ContactMerge.objects.get(change=change), by=alice)
    assert not Contact.objects.filter(pk=other.pk).exists()


def test_every_field_of_a_contact_is_picked_or_set_by_the_merge():
    """A field added to contacts later is one more row of the merge page by itself."""
    from contacts_app.history import TRACKED
    from contacts_app.merging import MERGE_CHOICES, SET_BY_THE_MERGE

    picked = {field for choice in MERGE_CHOICES for field in choice.fields}
    assert picked | SET_BY_THE_MERGE == set(TRACKED)
    assert "industry" in picked


def test_a_value_only_the_other_has_is_kept_unless_another_is_picked(acme, alice):
    kept = make_company(acme, "Zwei GmbH", by=alice, email_office="a@zwei.de")
    other = make_company(acme, "Zwei GmbH", by=alice, industry="Holzbau", email_office="b@zwei.de")
    merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={},  # nothing chosen: nothing one of them has is lost for an empty value
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )
    kept.refresh_from_db()
    assert (kept.industry, kept.email_office) == ("Holzbau", "a@zwei.de")


def test_the_kept_contact_carries_every_tag_and_the_undo_takes_back_those_it_brought(
    acme, alice, pair
):
    from contacts_app.merging import undo_merge
    from contacts_app.tags import set_tags

    kept, other = pair
    set_tags(contact=kept, names=["Stammkunde"], by=alice)
    set_tags(contact=other, names=["Holz", "Stammkunde"], by=alice)
    kept.refresh_from_db()
    other.refresh_from_db()

    merge = merge_contacts(
        organization=acme,
        kept_id=kept.pk,
        contact_ids=[kept.pk, other.pk],
        picks={},
        versions={kept.pk: kept.version, other.pk: other.version},
        by=alice,
    )

    kept.refresh_from_db()
    assert sorted(kept.tags.values_list("name", flat=True)) == ["Holz", "Stammkunde"]
    undo_merge(merge=merge, by=alice)
    kept.refresh_from_db()
    assert list(kept.tags.values_list("name", flat=True)) == ["Stammkunde"]
    back = Contact.objects.get(pk=other.pk)
    assert sorted(back.tags.values_list("name", flat=True)) == ["Holz", "Stammkunde"]
