"""Deleting a product moves it to the trash: hidden everywhere, its number still taken, back as
it was on restore, deleted for good by an admin or after TRASH_DAYS."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from history.models import Action, Change, Source
from products import services
from products.models import Product

from .conftest import form_data, make_product

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
TRASH = reverse("trash:products")


def test_a_deleted_product_is_listed_in_the_trash(bob_client, product):
    bob_client.post(reverse("products:delete", args=[product.pk]))

    page = bob_client.get(TRASH, headers=EN)

    assert [p.pk for p in page.context["page"].object_list] == [product.pk]
    assert "Kaffeemaschine „Barista“" in page.text
    assert "No. K-1" in page.text
    assert "by Bob Member" in page.text
    assert "in 30 days" in page.text
    assert page.context["counts"] == {"contacts": 0, "products": 1}


def test_the_product_list_links_to_the_trash(vera_client, product):
    page = vera_client.get(reverse("products:list"), headers=EN)
    assert TRASH in page.text


def test_restoring_brings_the_product_back_and_is_recorded(bob_client, bob, product):
    bob_client.post(reverse("products:delete", args=[product.pk]))

    response = bob_client.post(reverse("trash:product_restore", args=[product.pk]), headers=EN)

    assert response.url == product.get_absolute_url()
    page = bob_client.get(response.url, headers=EN)
    assert "“K-1 Kaffeemaschine „Barista“” is back from the trash." in page.text
    restored = Product.objects.get(pk=product.pk)
    assert (restored.number, str(restored.net_price), restored.deleted_at) == (
        "K-1",
        "199.00",
        None,
    )
    recorded = Change.objects.filter(kind="product", object_id=product.pk).order_by("id")
    assert [(c.action, c.changeset.source, c.changeset.actor) for c in recorded[1:]] == [
        (Action.TRASHED, Source.FORM, bob),
        (Action.RESTORED, Source.TRASH, bob),
    ]


@pytest.mark.parametrize("name", ["detail", "edit", "delete"])
def test_a_product_in_the_trash_has_no_pages(alice_client, product, name):
    services.trash_product(product=product, by=None)
    assert alice_client.get(reverse(f"products:{name}", args=[product.pk])).status_code == 404


@pytest.mark.parametrize("name", ["archive", "unarchive", "delete", "edit"])
def test_a_product_in_the_trash_cannot_be_changed(alice_client, product, name):
    services.trash_product(product=product, by=None)
    response = alice_client.post(reverse(f"products:{name}", args=[product.pk]), form_data())
    assert response.status_code == 404
    assert Product.all_objects.get(pk=product.pk).name == "Kaffeemaschine „Barista“"


def test_a_product_in_the_trash_is_not_listed_found_nor_exported(alice_client, acme, product):
    make_product(acme, "Kaffeefilter", number="K-2")
    services.trash_product(product=product, by=None)

    listed = alice_client.get(reverse("products:list"), {"q": "kaffee", "status": "all"})
    export = alice_client.get(reverse("importer:export_products")).content.decode("utf-8-sig")

    assert [p.name for p in listed.context["page"].object_list] == ["Kaffeefilter"]
    assert "Kaffeefilter" in export
    assert "Barista" not in export


def test_the_number_of_a_product_in_the_trash_stays_taken(bob_client, product):
    services.trash_product(product=product, by=None)

    response = bob_client.post(
        reverse("products:create"), form_data(name="Neue Maschine", number="K-1"), headers=EN
    )

    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        "The product “Kaffeemaschine „Barista“” in the trash has the number “K-1”. Restore it "
        "and change its number, or delete it for good first."
    ]
    assert not Product.all_objects.filter(name="Neue Maschine").exists()


def test_the_services_refuse_the_number_of_a_product_in_the_trash(acme, product):
    services.trash_product(product=product, by=None)

    with pytest.raises(ValidationError) as refused:
        make_product(acme, "Neue Maschine", number="K-1")

    assert "in the trash has the number “K-1”" in str(refused.value.message_dict["number"])


def test_a_viewer_cannot_restore_and_a_member_cannot_delete_for_good(
    vera_client, bob_client, product
):
    services.trash_product(product=product, by=None)

    restore = vera_client.post(reverse("trash:product_restore", args=[product.pk]))
    delete_page = bob_client.get(reverse("trash:product_delete", args=[product.pk]))
    delete = bob_client.post(reverse("trash:product_delete", args=[product.pk]))

    assert (restore.status_code, delete_page.status_code, delete.status_code) == (403, 403, 403)
    assert Product.all_objects.trashed().filter(pk=product.pk).exists()


def test_an_admin_deletes_a_product_for_good_after_confirming(alice_client, alice, product):
    services.trash_product(product=product, by=None)
    url = reverse("trash:product_delete", args=[product.pk])

    confirm = alice_client.get(url, headers=EN)
    response = alice_client.post(url, headers=EN, follow=True)

    assert "Delete “K-1 Kaffeemaschine „Barista“” for good?" in confirm.text
    assert "“K-1 Kaffeemaschine „Barista“” was deleted for good." in response.text
    assert response.redirect_chain[-1][0] == TRASH
    assert not Product.all_objects.filter(pk=product.pk).exists()
    deleted = Change.objects.filter(kind="product", object_id=product.pk).latest("id")
    assert (deleted.action, deleted.changeset.actor, deleted.changeset.source) == (
        Action.DELETED,
        alice,
        Source.TRASH,
    )
    assert deleted.fields == {"name": ["Kaffeemaschine „Barista“", None], "number": ["K-1", None]}


def test_another_organization_cannot_reach_a_product_in_the_trash(charlie_client, product):
    services.trash_product(product=product, by=None)

    assert not charlie_client.get(TRASH).context["page"].object_list
    for name in ("trash:product_restore", "trash:product_delete"):
        assert charlie_client.post(reverse(name, args=[product.pk])).status_code == 404
    assert Product.all_objects.trashed().filter(pk=product.pk).exists()
