"""Bulk actions on the list: the ticked contacts or all that match get a tag, lose one, are
archived, made active again, moved to the trash or exported; one transaction and one change set
each; viewers get no check boxes and may not act."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts_app import tags
from contacts_app.models import Contact
from history.models import Action, Change, ChangeSet, Source
from tests.workbooks import read_workbook

from .conftest import make_company

pytestmark = pytest.mark.django_db

BULK_URLS = [
    "contacts:bulk_tag_add",
    "contacts:bulk_tag_remove",
    "contacts:bulk_archive",
    "contacts:bulk_unarchive",
    "contacts:bulk_trash",
    "contacts:bulk_export",
]


@pytest.fixture
def firms(acme) -> list[Contact]:
    """30 companies: more than one page of the list (25)."""
    return [make_company(acme, f"Firma {n:02d}", billing_city="Kiel") for n in range(30)]


def post(client, name: str, **data):
    return client.post(reverse(name), data, headers={"accept-language": "en"})


def message_of(client, response) -> str:
    assert response.status_code == 302
    page = client.get(response["Location"], headers={"accept-language": "en"})
    return page.text


def test_alice_adds_a_new_tag_to_three_ticked_contacts(alice_client, alice, acme, firms):
    chosen = [firms[1].pk, firms[5].pk, firms[7].pk]

    response = post(alice_client, "contacts:bulk_tag_add", ids=chosen, tag_name="Messe 2025")

    assert "Tag “Messe 2025” added to 3 contacts." in message_of(alice_client, response)
    messe = acme.tags.get(name="Messe 2025")
    assert sorted(Contact.objects.filter(tags=messe).values_list("pk", flat=True)) == chosen
    (changeset,) = ChangeSet.objects.filter(source=Source.BULK)
    assert changeset.actor == alice
    changes = changeset.changes.order_by("object_id")
    assert [(c.object_id, c.fields) for c in changes] == [
        (pk, {"tags": [[], ["Messe 2025"]]}) for pk in chosen
    ]
    assert all(Contact.objects.get(pk=pk).version == 2 for pk in chosen)


def test_adding_a_tag_some_have_already_changes_only_the_others(alice_client, acme, firms):
    tags.set_tags(contact=firms[0], names=["VIP"], by=None)
    post(alice_client, "contacts:bulk_tag_add", ids=[firms[0].pk, firms[1].pk], tag_name="vip")
    assert acme.tags.count() == 1  # "vip" is the tag "VIP"
    bulk = Change.objects.filter(changeset__source=Source.BULK)
    assert list(bulk.values_list("object_id", flat=True)) == [firms[1].pk]


def test_removing_a_tag_from_the_ticked_contacts(alice_client, acme, firms):
    for firm in firms[:3]:
        tags.set_tags(contact=firm, names=["VIP", "Messe"], by=None)

    response = post(
        alice_client, "contacts:bulk_tag_remove", ids=[firms[0].pk, firms[1].pk], tag_name="VIP"
    )

    assert "Tag “VIP” removed from 2 contacts." in message_of(alice_client, response)
    assert [t.name for t in firms[0].tags.all()] == ["Messe"]
    assert sorted(t.name for t in firms[2].tags.all()) == ["Messe", "VIP"]
    change = Change.objects.get(changeset__source=Source.BULK, object_id=firms[0].pk)
    assert change.fields == {"tags": [["Messe", "VIP"], ["Messe"]]}


def test_removing_a_tag_nobody_has_says_so_and_creates_nothing(alice_client, acme, firms):
    response = post(alice_client, "contacts:bulk_tag_remove", ids=[firms[0].pk], tag_name="Neu")
    assert "No chosen contact has the tag “Neu”." in message_of(alice_client, response)
    assert not acme.tags.exists()


def test_all_that_match_reaches_beyond_the_page(alice_client, acme, firms):
    make_company(acme, "Andere GmbH", billing_city="Bonn")

    response = post(
        alice_client, "contacts:bulk_tag_add", all_matching="1", q="kiel", tag_name="Nord"
    )

    assert "added to 30 contacts." in message_of(alice_client, response)
    assert acme.tags.get(name="Nord").contacts.count() == 30
    assert not Contact.objects.get(company_name="Andere GmbH").tags.exists()


def test_all_that_match_keeps_to_the_lists_tag_filter(alice_client, acme, firms):
    for firm in firms[:4]:
        tags.set_tags(contact=firm, names=["VIP"], by=None)
    vip = acme.tags.get(name="VIP")

    response = post(alice_client, "contacts:bulk_archive", all_matching="1", tag=vip.pk)

    assert "4 contacts archived." in message_of(alice_client, response)
    assert Contact.objects.filter(archived=True).count() == 4


def test_archiving_and_unarchiving_in_bulk_are_recorded(alice_client, bob, acme, firms):
    ids = [firms[0].pk, firms[1].pk]
    response = post(alice_client, "contacts:bulk_archive", ids=ids)
    assert "2 contacts archived." in message_of(alice_client, response)
    assert set(Contact.objects.filter(archived=True).values_list("pk", flat=True)) == set(ids)
    archived = Change.objects.filter(changeset__source=Source.BULK)
    assert [c.fields for c in archived] == [{"archived": [False, True]}] * 2

    response = post(alice_client, "contacts:bulk_unarchive", ids=ids, archived="on")
    assert "2 contacts are active again." in message_of(alice_client, response)
    assert not Contact.objects.filter(archived=True).exists()
    # Back to the archived list it came from.
    assert "archived=on" in response["Location"]


def test_archiving_skips_contacts_archived_already(alice_client, acme, firms):
    alice_client.post(reverse("contacts:archive", args=[firms[0].pk]))
    post(alice_client, "contacts:bulk_archive", ids=[firms[0].pk, firms[1].pk])
    bulk = Change.objects.filter(changeset__source=Source.BULK)
    assert list(bulk.values_list("object_id", flat=True)) == [firms[1].pk]


def test_moving_to_the_trash_in_bulk(alice_client, alice, acme, firms):
    ids = [firms[2].pk, firms[3].pk, firms[4].pk]

    response = post(alice_client, "contacts:bulk_trash", ids=ids)

    page = message_of(alice_client, response)
    assert "3 contacts moved to the trash." in page
    assert "Firma 02" not in page
    trashed = Contact.all_objects.filter(pk__in=ids)
    assert all(c.deleted_at and c.deleted_by == alice for c in trashed)
    changes = Change.objects.filter(changeset__source=Source.BULK)
    assert sorted(changes.values_list("object_id", flat=True)) == ids
    assert {c.action for c in changes} == {Action.TRASHED}
    assert Contact.objects.filter(organization=acme).count() == 27


def test_nothing_ticked_changes_nothing_and_says_so(alice_client, firms):
    response = post(alice_client, "contacts:bulk_archive")
    assert "Tick at least one contact first." in message_of(alice_client, response)
    assert not Contact.objects.filter(archived=True).exists()
    assert not ChangeSet.objects.filter(source=Source.BULK).exists()


def test_a_missing_or_bad_tag_name_changes_nothing(alice_client, acme, firms):
    response = post(alice_client, "contacts:bulk_tag_add", ids=[firms[0].pk], tag_name="")
    assert "Type the tag to add or remove." in message_of(alice_client, response)
    response = post(alice_client, "contacts:bulk_tag_add", ids=[firms[0].pk], tag_name="a, b")
    assert "A tag name cannot contain a comma" in message_of(alice_client, response)
    assert not acme.tags.exists()


def test_another_organizations_contacts_are_left_alone(alice_client, globex, firms):
    foreign = make_company(globex, "Globex Tochter")
    post(alice_client, "contacts:bulk_archive", ids=[foreign.pk, firms[0].pk])
    post(alice_client, "contacts:bulk_trash", ids=[foreign.pk])
    post(alice_client, "contacts:bulk_tag_add", ids=[foreign.pk], tag_name="X")
    foreign.refresh_from_db()
    assert not foreign.archived and foreign.deleted_at is None and not foreign.tags.exists()
    assert Contact.objects.get(pk=firms[0].pk).archived


def test_another_organizations_tag_in_the_filter_is_not_found(alice_client, globex, firms):
    secret = tags.create_tag(organization=globex, name="Geheim")
    response = post(alice_client, "contacts:bulk_archive", all_matching="1", tag=secret.pk)
    assert response.status_code == 404
    assert not Contact.objects.filter(archived=True).exists()


def test_a_viewer_sees_no_check_boxes_and_may_not_act(vera_client, acme, firms):
    page = vera_client.get(reverse("contacts:list")).text
    assert "data-bulk-row" not in page and 'data-testid="bulk-bar"' not in page
    for name in BULK_URLS:
        response = vera_client.post(reverse(name), {"ids": [firms[0].pk], "tag_name": "X"})
        assert response.status_code == 403, name
    assert not Contact.objects.filter(archived=True).exists()
    assert not acme.tags.exists()


def test_a_member_sees_a_check_box_per_row(bob_client, firms):
    page = bob_client.get(reverse("contacts:list")).text
    assert page.count("data-bulk-row") == 25
    assert "Choose all 30 that match" in page


def test_bulk_pages_answer_only_post(alice_client):
    for name in BULK_URLS:
        assert alice_client.get(reverse(name)).status_code == 405, name


def test_the_export_hands_the_ticked_contacts_to_the_lists_export(alice_client, firms):
    response = post(
        alice_client, "contacts:bulk_export", ids=[firms[3].pk, firms[8].pk], format="csv"
    )
    assert response.status_code == 303
    assert response["Location"].startswith(reverse("importer:export_contacts") + "?")
    exported = alice_client.get(response["Location"]).content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(exported.splitlines()[0], delimiters=";,")
    rows = list(csv.reader(io.StringIO(exported), dialect))
    names = sorted(cell for row in rows[1:] for cell in row if cell.startswith("Firma"))
    assert names == ["Firma 03", "Firma 08"]


def test_the_export_of_all_that_match_hands_over_the_filter(alice_client, acme, firms):
    make_company(acme, "Andere GmbH", billing_city="Bonn")
    response = post(alice_client, "contacts:bulk_export", all_matching="1", q="kiel", format="csv")
    exported = alice_client.get(response["Location"]).content.decode("utf-8-sig")
    assert exported.count("Firma") == 30
    assert "Andere GmbH" not in exported


def test_the_ticked_contacts_go_to_the_excel_export_too(alice_client, firms):
    response = post(alice_client, "contacts:bulk_export", ids=[firms[2].pk], format="xlsx")
    assert response.status_code == 303
    assert response["Location"].startswith(reverse("importer:export_contacts_xlsx") + "?")
    book = read_workbook(alice_client.get(response["Location"]).content)
    assert [cell for row in book.rows[1:] for cell in row if cell.startswith("Firma")] == [
        "Firma 02"
    ]
    page = alice_client.get(reverse("contacts:list"), headers={"accept-language": "en"}).text
    assert 'data-testid="bulk-export-csv"' in page and "Export as Excel" in page


def test_a_format_there_is_no_export_for_is_refused(alice_client, firms):
    response = post(alice_client, "contacts:bulk_export", ids=[firms[0].pk], format="ods")
    assert response.status_code == 302  # back to the list with a message, no file


@pytest.mark.parametrize("name", ["contacts:bulk_tag_add", "contacts:bulk_archive"])
def test_a_bulk_action_asks_the_database_the_same_however_many_it_changes(alice_client, acme, name):
    def queries(count: int) -> int:
        Contact.objects.filter(organization=acme).delete()
        acme.tags.all().delete()
        for n in range(count):
            make_company(acme, f"Firma {n}")
        with CaptureQueriesContext(connection) as captured:
            post(alice_client, name, all_matching="1", tag_name="Neu")
        return len(captured)

    alice_client.get(reverse("contacts:list"))  # the first request stores the organization
    assert queries(3) == queries(60)
