"""Tags: names compared as the search folds them, colours from the palette, tags on the contact
form and page, the list filtered by tags, the tags page, and every change in the history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts_app import services, tags
from contacts_app.models import Contact, ContactTag, Tag
from history.models import Change, Source

from .conftest import contact_post_data, make_company, make_person

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "kontor.css"


def tag_names(contact: Contact) -> list[str]:
    return sorted(contact.tags.values_list("name", flat=True))


def edit(client, contact: Contact, **fields):
    contact.refresh_from_db()
    data = contact_post_data(company_name=contact.company_name, version=contact.version, **fields)
    return client.post(reverse("contacts:edit", args=[contact.pk]), data)


# --- names and colours --------------------------------------------------------------------


@pytest.mark.parametrize("other", ["vip", "VIP ", "Vip"])
def test_it_takes_names_differing_in_capitals_for_one_tag(acme, other):
    tags.create_tag(organization=acme, name="VIP")
    with pytest.raises(tags.TagNameTaken):
        tags.create_tag(organization=acme, name=other)


@pytest.mark.parametrize("other", ["Muller", "Mueller", "MÜLLER", "mueller"])
def test_it_takes_names_differing_in_umlauts_for_one_tag(acme, other):
    tags.create_tag(organization=acme, name="Müller")
    with pytest.raises(tags.TagNameTaken) as taken:
        tags.create_tag(organization=acme, name=other)
    assert taken.value.existing.name == "Müller"


def test_the_same_name_is_a_different_tag_in_another_organization(acme, globex):
    tags.create_tag(organization=acme, name="VIP")
    assert tags.create_tag(organization=globex, name="VIP").organization == globex


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A tag needs a name."),
        ("x" * 51, "A tag name has at most 50 characters"),
        ("Messe, Berlin", "A tag name cannot contain a comma"),
        ("Ne\x07u", "A tag name cannot contain control characters."),
    ],
)
def test_the_tag_form_refuses_a_bad_name_with_the_reason(alice_client, acme, name, message):
    response = alice_client.post(
        reverse("contacts:tag_create"),
        {"name": name, "colour": "blue"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Tag.objects.exists()


def test_the_tag_form_refuses_a_name_another_tag_has(alice_client, acme):
    tags.create_tag(organization=acme, name="Stammkunde")
    response = alice_client.post(
        reverse("contacts:tag_create"),
        {"name": "stammkunde", "colour": "blue"},
        headers={"accept-language": "en"},
    )
    assert "There is a tag “Stammkunde” already." in response.text
    assert Tag.objects.count() == 1


def test_a_tag_is_created_with_its_colour(alice_client, acme):
    response = alice_client.post(
        reverse("contacts:tag_create"), {"name": "  Messe   2025 ", "colour": "green"}
    )
    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.colour, tag.organization) == ("Messe 2025", "green", acme)


def test_a_colour_outside_the_palette_is_refused(alice_client, acme):
    response = alice_client.post(reverse("contacts:tag_create"), {"name": "A", "colour": "#f00"})
    assert response.status_code == 200
    assert not Tag.objects.exists()


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", Tag.Colour.values)
def test_every_colour_of_the_palette_is_readable(colour):
    rule = re.search(
        rf"\.tag-{colour}\s*{{\s*background-color:\s*(#[0-9a-f]{{6}});\s*color:\s*(#[0-9a-f]{{6}});",
        CSS.read_text(),
    )
    assert rule, f"kontor.css has no .tag-{colour}"
    light, dark = sorted(map(_luminance, rule.groups()))
    assert (dark + 0.05) / (light + 0.05) >= 4.5  # WCAG AA for normal text


def test_new_tags_take_the_palettes_colours_in_turn(acme):
    made = tags.resolve_tags(acme, ["A", "B", "C"])
    assert [t.colour for t in made] == Tag.Colour.values[:3]


# --- on the contact form and page ---------------------------------------------------------


def test_the_contact_form_gives_existing_and_new_tags(alice_client, acme, alice):
    vip = tags.create_tag(organization=acme, name="VIP", colour="red")
    contact = make_company(acme, "Nordlicht GmbH")

    response = edit(alice_client, contact, tags=["vip", "Messe 2025, Newsletter"])

    assert response.status_code == 302
    assert tag_names(contact) == ["Messe 2025", "Newsletter", "VIP"]
    assert contact.tags.get(name="VIP") == vip  # the existing tag, not a second one
    assert Tag.objects.filter(organization=acme).count() == 3


def test_a_new_contact_gets_its_tags(alice_client, acme):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Nordlicht GmbH", tags="Messe 2025"),
    )
    assert response.status_code == 302
    contact = Contact.objects.get(company_name="Nordlicht GmbH")
    assert tag_names(contact) == ["Messe 2025"]


def test_the_contact_form_takes_tags_off(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", tags=["VIP", "Messe"])
    edit(alice_client, contact, tags=["VIP"])
    assert tag_names(contact) == ["VIP"]
    assert Tag.objects.filter(name="Messe").exists()  # the tag stays for others


def test_the_contact_form_refuses_a_bad_tag_and_keeps_the_rest(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", tags=["VIP"])
    response = edit(alice_client, contact, tags=["VIP", "x" * 60], billing_city="Kiel")
    assert response.status_code == 200
    assert "A tag name has at most 50 characters" in response.text
    contact.refresh_from_db()
    assert contact.billing_city == ""
    assert tag_names(contact) == ["VIP"]


def test_the_contact_form_shows_the_contacts_tags(alice_client, acme):
    tags.create_tag(organization=acme, name="Newsletter")
    contact = make_company(acme, "Nordlicht GmbH", tags=["VIP"])
    page = alice_client.get(reverse("contacts:edit", args=[contact.pk])).text
    assert re.search(r'<option value="VIP"[^>]*selected', page)
    assert re.search(r'<option value="Newsletter"(?![^>]*selected)', page)


def test_the_contact_page_shows_its_tags_linking_to_the_list(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", tags=["VIP"])
    vip = Tag.objects.get(name="VIP")
    page = alice_client.get(reverse("contacts:detail", args=[contact.pk])).text
    assert f'href="{reverse("contacts:list")}?tag={vip.pk}">VIP</a>' in page


# --- the list filtered by tags ------------------------------------------------------------


@pytest.fixture
def tagged(acme):
    return {
        "both": make_company(acme, "Alpha GmbH", tags=["VIP", "Messe"]),
        "vip": make_company(acme, "Beta GmbH", tags=["VIP"]),
        "messe": make_person(acme, "Carla", "Cordes"),
        "none": make_company(acme, "Delta AG"),
    }


def listed(client, **params) -> list[str]:
    response = client.get(reverse("contacts:list"), params)
    assert response.status_code == 200
    return re.findall(r"data-row-link>([^<]*)</a>", response.text)


def test_the_list_shows_each_contacts_tags(alice_client, tagged):
    page = alice_client.get(reverse("contacts:list")).text
    row = re.search(r"<tr[^>]*>.*?Alpha GmbH.*?</tr>", page, re.S).group(0)
    assert re.findall(r'class="tag tag-\w+">([^<]*)<', row) == ["Messe", "VIP"]


def test_the_list_filters_by_one_tag_or_by_several(alice_client, acme, tagged):
    tags.set_tags(contact=tagged["messe"], names=["Messe"], by=None)
    vip, messe = acme.tags.get(name="VIP"), acme.tags.get(name="Messe")
    assert listed(alice_client, tag=vip.pk) == ["Alpha GmbH", "Beta GmbH"]
    assert listed(alice_client, tag=messe.pk) == ["Alpha GmbH", "Carla Cordes"]
    assert listed(alice_client, tag=[vip.pk, messe.pk]) == ["Alpha GmbH"]
    assert listed(alice_client, tag=vip.pk, q="beta") == ["Beta GmbH"]


@pytest.mark.parametrize("archived", [False, True])
def test_a_tags_count_leaves_out_the_trash_and_the_other_archive(acme, alice, archived):
    from contacts_app.selectors import ContactFilter, contact_list, count_contacts

    make_company(acme, "Aktiv", tags=["VIP", "Messe"])
    stored = make_company(acme, "Archiviert", tags=["VIP", "Messe"])
    services.set_archived(contact=stored, archived=True, by=alice)
    for name, archive in (("Weg", False), ("Archiviert und weg", True)):
        gone = make_company(acme, name, tags=["VIP", "Messe"])
        services.set_archived(contact=gone, archived=archive, by=alice)
        services.trash_contact(contact=gone, by=alice)
    make_company(acme, "Ohne", tags=["Messe"])
    vip, messe = acme.tags.get(name="VIP").pk, acme.tags.get(name="Messe").pk
    for chosen in ((vip,), (vip, messe), (messe,)):
        flt = ContactFilter(tags=chosen, archived=archived)
        contacts = contact_list(acme, flt)
        assert count_contacts(acme, flt, contacts) == contacts.count()
    counted = count_contacts(acme, ContactFilter(tags=(vip,), archived=archived), contacts)
    assert counted == 1
    assert [
        c.display_name for c in contact_list(acme, ContactFilter(tags=(vip,), archived=archived))
    ] == ["Archiviert" if archived else "Aktiv"]


def test_the_list_orders_tagged_contacts_alike_however_it_finds_the_page(
    alice_client, acme, monkeypatch
):
    from contacts_app import selectors

    for n in range(30):
        make_person(acme, "Hans", f"Maier {n:02d}", tags=["VIP"] if n % 2 else [])
    vip = acme.tags.get(name="VIP").pk
    for sort in ("name", "-name", "number", "-changed"):
        sorted_themselves = listed(alice_client, tag=vip, sort=sort)
        monkeypatch.setattr(selectors, "SORT_TAGGED_UP_TO", -1)  # walk the sort index
        assert listed(alice_client, tag=vip, sort=sort) == sorted_themselves
        monkeypatch.undo()
        assert len(sorted_themselves) == 15


def test_the_list_filter_offers_the_organizations_tags(alice_client, acme, globex, tagged):
    tags.create_tag(organization=globex, name="Geheim")
    page = alice_client.get(reverse("contacts:list")).text
    offered = re.findall(r'name="tag" value="\d+"[^>]*data-name="([^"]*)"', page)
    assert offered == ["Messe", "VIP"]


@pytest.mark.parametrize("value", ["foreign", "999999", "abc"])
def test_a_tag_that_is_not_the_organizations_is_not_found_on_the_list(
    alice_client, globex, tagged, value
):
    secret = tags.create_tag(organization=globex, name="Geheim")
    tag = secret.pk if value == "foreign" else value
    assert alice_client.get(reverse("contacts:list"), {"tag": tag}).status_code == 404
    headers = {"HX-Request": "true"}
    response = alice_client.get(reverse("contacts:list"), {"tag": tag}, headers=headers)
    assert response.status_code == 404


def test_the_export_of_the_list_answers_404_for_another_organizations_tag(
    alice_client, globex, tagged
):
    secret = tags.create_tag(organization=globex, name="Geheim")
    response = alice_client.get(reverse("importer:export_contacts"), {"tag": secret.pk})
    assert response.status_code == 404


def test_the_export_of_the_list_keeps_to_its_tag(alice_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    response = alice_client.get(reverse("importer:export_contacts"), {"tag": vip.pk})
    text = response.content.decode("utf-8-sig")
    assert "Alpha GmbH" in text and "Beta GmbH" in text
    assert "Delta AG" not in text


# --- the tags page ------------------------------------------------------------------------


def test_the_tags_page_lists_the_tags_with_their_live_contacts(vera_client, acme, globex, tagged):
    services.trash_contact(contact=tagged["vip"], by=None)
    tags.create_tag(organization=globex, name="Geheim")
    page = vera_client.get(reverse("contacts:tag_list"), headers={"accept-language": "en"}).text
    rows = re.findall(r'data-testid="tag-row">.*?</tr>', page, re.S)
    assert len(rows) == 2
    assert "Messe" in rows[0] and "1 contact" in rows[0]
    assert "VIP" in rows[1] and "1 contact" in rows[1]
    assert "Geheim" not in page
    assert reverse("contacts:tag_create") not in page  # a viewer only reads


def test_a_viewer_cannot_change_tags(vera_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    assert vera_client.get(reverse("contacts:tag_create")).status_code == 403
    assert vera_client.post(reverse("contacts:tag_create"), {"name": "X"}).status_code == 403
    for name in ("contacts:tag_edit", "contacts:tag_merge", "contacts:tag_delete"):
        assert vera_client.post(reverse(name, args=[vip.pk])).status_code == 403
    assert Tag.objects.filter(organization=acme).count() == 2


def test_renaming_a_tag_is_a_change_of_every_contact_carrying_it(bob_client, bob, acme, tagged):
    vip = acme.tags.get(name="VIP")
    versions = {c.pk: Contact.objects.get(pk=c.pk).version for c in tagged.values()}

    response = bob_client.post(
        reverse("contacts:tag_edit", args=[vip.pk]),
        {"name": "Premium", "colour": "purple"},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 302
    vip.refresh_from_db()
    assert (vip.name, vip.colour) == ("Premium", "purple")
    changes = Change.objects.filter(fields__has_key="tags").order_by("object_id")
    assert [(c.object_id, c.fields["tags"]) for c in changes] == [
        (tagged["both"].pk, [["Messe", "VIP"], ["Messe", "Premium"]]),
        (tagged["vip"].pk, [["VIP"], ["Premium"]]),
    ]
    assert changes[0].changeset == changes[1].changeset
    assert changes[0].changeset.actor == bob
    for key, contact in tagged.items():
        expected = versions[contact.pk] + (1 if key in ("both", "vip") else 0)
        assert Contact.objects.get(pk=contact.pk).version == expected


def test_recolouring_a_tag_changes_no_contact(alice_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    alice_client.post(reverse("contacts:tag_edit", args=[vip.pk]), {"name": "VIP", "colour": "red"})
    assert acme.tags.get(name="VIP").colour == "red"
    assert not Change.objects.filter(fields__has_key="tags").exists()


def test_a_tag_cannot_be_renamed_to_another_tags_name(alice_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    response = alice_client.post(
        reverse("contacts:tag_edit", args=[vip.pk]),
        {"name": "messe", "colour": "red"},
        headers={"accept-language": "en"},
    )
    assert "There is a tag “Messe” already." in response.text
    assert acme.tags.filter(name="VIP").exists()


def test_a_tag_may_be_renamed_to_another_spelling_of_itself(alice_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    alice_client.post(reverse("contacts:tag_edit", args=[vip.pk]), {"name": "Vip", "colour": "red"})
    assert acme.tags.get(pk=vip.pk).name == "Vip"


def test_merging_gives_the_contacts_the_other_tag_and_deletes_the_merged_one(
    alice_client, acme, tagged
):
    vip, messe = acme.tags.get(name="VIP"), acme.tags.get(name="Messe")
    response = alice_client.post(
        reverse("contacts:tag_merge", args=[vip.pk]),
        {"into": messe.pk},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=vip.pk).exists()
    assert tag_names(tagged["both"]) == ["Messe"]
    assert tag_names(tagged["vip"]) == ["Messe"]
    changes = {c.object_id: c.fields["tags"] for c in Change.objects.filter(fields__has_key="tags")}
    assert changes == {
        tagged["both"].pk: [["Messe", "VIP"], ["Messe"]],
        tagged["vip"].pk: [["VIP"], ["Messe"]],
    }
    page = alice_client.get(response["Location"], headers={"accept-language": "en"}).text
    assert "“VIP” merged into “Messe”: 2 contacts carry “Messe” instead." in page


def test_a_tag_cannot_be_merged_into_itself(alice_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    response = alice_client.post(
        reverse("contacts:tag_merge", args=[vip.pk]),
        {"into": vip.pk},
        headers={"accept-language": "en"},
    )
    assert "Choose another tag to merge into." in response.text
    assert Tag.objects.filter(pk=vip.pk).exists()


def test_a_tag_cannot_be_merged_into_another_organizations(alice_client, acme, globex, tagged):
    vip = acme.tags.get(name="VIP")
    secret = tags.create_tag(organization=globex, name="Geheim")
    response = alice_client.post(reverse("contacts:tag_merge", args=[vip.pk]), {"into": secret.pk})
    assert response.status_code == 404
    assert tag_names(tagged["vip"]) == ["VIP"]
    assert not ContactTag.objects.filter(tag=secret).exists()


def test_deleting_a_tag_takes_it_off_its_contacts_which_stay(alice_client, acme, tagged):
    vip = acme.tags.get(name="VIP")
    confirm = alice_client.get(reverse("contacts:tag_delete", args=[vip.pk]))
    assert "It is taken off 2 contacts" in confirm.content.decode()
    alice_client.post(reverse("contacts:tag_delete", args=[vip.pk]))
    assert not Tag.objects.filter(pk=vip.pk).exists()
    assert Contact.objects.filter(pk=tagged["vip"].pk).exists()
    assert tag_names(tagged["both"]) == ["Messe"]
    change = Change.objects.get(object_id=tagged["vip"].pk, fields__has_key="tags")
    assert change.fields["tags"] == [["VIP"], []]


# --- the history --------------------------------------------------------------------------


def test_tag_changes_are_in_the_contacts_timeline(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH")
    edit(alice_client, contact, tags=["VIP", "Messe"])
    change = Change.objects.filter(object_id=contact.pk).latest("id")
    assert change.fields["tags"] == [[], ["Messe", "VIP"]]
    page = alice_client.get(
        reverse("contacts:detail", args=[contact.pk]), headers={"accept-language": "en"}
    ).text
    assert re.search(r"Tags:</span> <del[^>]*>—</del> → <ins[^>]*>Messe, VIP</ins>", page)


def test_restoring_a_version_brings_back_its_tags_even_a_deleted_one(alice_client, acme):
    contact = make_company(acme, "Nordlicht GmbH", tags=["VIP"])
    edit(alice_client, contact, tags=["Messe"])
    with_messe = Change.objects.filter(object_id=contact.pk).latest("id")
    tags.delete_tag(tag=acme.tags.get(name="Messe"), by=None)
    assert tag_names(contact) == []

    alice_client.post(reverse("contacts:restore_version", args=[contact.pk, with_messe.pk]))

    assert tag_names(contact) == ["Messe"]  # the tag was made again
    created = Change.objects.filter(object_id=contact.pk).earliest("id")
    alice_client.post(reverse("contacts:restore_version", args=[contact.pk, created.pk]))
    assert tag_names(contact) == ["VIP"]


def test_a_form_opened_before_a_tag_was_renamed_is_told_of_the_change(alice_client, bob, acme):
    contact = make_company(acme, "Nordlicht GmbH", tags=["VIP"])
    opened_version = contact.version
    tags.update_tag(tag=acme.tags.get(name="VIP"), name="Premium", colour="blue", by=bob)
    data = contact_post_data(
        company_name="Nordlicht GmbH", version=opened_version, tags=["VIP"], billing_city="Kiel"
    )
    response = alice_client.post(reverse("contacts:edit", args=[contact.pk]), data)
    assert response.status_code == 200
    assert 'data-testid="conflict"' in response.text
    assert tag_names(contact) == ["Premium"]


# --- the services the import calls --------------------------------------------------------


def test_set_tags_records_one_change_and_counts_up_the_version(acme, alice):
    contact = make_company(acme, "Nordlicht GmbH")
    version = contact.version
    assert tags.set_tags(contact=contact, names=["VIP", "vip", "Messe"], by=alice) is True
    assert tags.set_tags(contact=contact, names=["Messe", "VIP"], by=alice) is False
    assert tag_names(contact) == ["Messe", "VIP"]
    assert contact.version == version + 1
    (change,) = Change.objects.filter(object_id=contact.pk, fields__has_key="tags")
    assert change.changeset.source == Source.FORM


def test_set_tags_in_bulk_leaves_other_organizations_contacts_alone(acme, globex):
    own = make_company(acme, "Nordlicht GmbH")
    foreign = make_company(globex, "Globex Tochter")
    changed = tags.set_tags_in_bulk(
        organization=acme,
        names_by_contact={own.pk: ["VIP"], foreign.pk: ["VIP"]},
        by=None,
        via=services.FORM,
    )
    assert changed == 1
    assert tag_names(own) == ["VIP"]
    assert tag_names(foreign) == []
    assert not Tag.objects.filter(organization=globex).exists()


def test_set_tags_in_bulk_refuses_a_bad_name_before_writing_anything(acme):
    first = make_company(acme, "Nordlicht GmbH")
    second = make_company(acme, "Südwind AG")
    with pytest.raises(ValidationError):
        tags.set_tags_in_bulk(
            organization=acme,
            names_by_contact={first.pk: ["VIP"], second.pk: ["a, b"]},
            by=None,
            via=services.FORM,
        )
    assert not Tag.objects.exists()
