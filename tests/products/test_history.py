"""Every change to a product is in its history, shown on its page, and any earlier version can
be restored."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from history.models import Action, Change, Source
from products import services
from products.models import Product
from tests.admin_forms import admin_form_data

from .conftest import form_data, make_product

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def changes(product: Product) -> list[Change]:
    return list(Change.objects.filter(kind="product", object_id=product.pk).order_by("id"))


def test_creating_a_product_through_the_form_is_recorded(bob_client, bob):
    bob_client.post(reverse("products:create"), form_data(name="Fliesenkleber"))

    product = Product.objects.get(name="Fliesenkleber")
    (created,) = changes(product)
    assert (created.action, created.changeset.actor, created.changeset.source) == (
        Action.CREATED,
        bob,
        Source.FORM,
    )


def test_an_edit_records_each_changed_field_with_old_and_new_value(bob_client, product):
    response = bob_client.post(
        reverse("products:edit", args=[product.pk]),
        form_data(name="Kaffeemaschine Barista II", number="K-1", price="249,00", tax_rate="19"),
    )

    assert response.status_code == 302
    change = changes(product)[-1]
    assert change.action == Action.CHANGED
    assert change.fields["name"] == ["Kaffeemaschine „Barista“", "Kaffeemaschine Barista II"]
    assert change.fields["net_price"] == ["199.00", "249.00"]
    assert change.fields["gross_price"] == ["212.93", "296.31"]
    assert change.fields["tax_rate"] == [7, 19]
    assert "number" not in change.fields
    assert "search_text" not in change.fields


def test_saving_without_a_change_records_nothing(acme, product):
    services.update_product(product=product, data={"name": product.name}, by=None)
    assert [c.action for c in changes(product)] == [Action.CREATED]


def test_archiving_and_the_trash_are_recorded(bob_client, bob, product):
    bob_client.post(reverse("products:archive", args=[product.pk]))
    bob_client.post(reverse("products:unarchive", args=[product.pk]))
    services.trash_product(product=product, by=bob)
    services.restore_product(product=product, by=bob)

    assert [(c.action, c.fields) for c in changes(product)] == [
        (Action.CREATED, {}),
        (Action.CHANGED, {"archived": [False, True]}),
        (Action.CHANGED, {"archived": [True, False]}),
        (Action.TRASHED, {}),
        (Action.RESTORED, {}),
    ]


def test_the_product_page_shows_the_history(alice_client, product):
    services.update_product(product=product, data={"price": Decimal("249")}, by=product.created_by)

    page = alice_client.get(reverse("products:detail", args=[product.pk]), headers=EN)

    assert 'data-testid="history"' in page.text
    assert '<del class="text-danger-emphasis">199.00 €</del> → <ins' in page.text
    assert "Net price:" in page.text
    assert "by Alice Admin" in page.text
    assert "via form" in page.text
    assert page.text.count('data-testid="restore-version"') == 1  # not the current version


def test_a_viewer_sees_the_history_without_restore_buttons(vera_client, product):
    services.update_product(product=product, data={"name": "Neu"}, by=None)

    page = vera_client.get(reverse("products:detail", args=[product.pk]), headers=EN)

    assert page.text.count('data-testid="history-entry"') == 2
    assert 'data-testid="restore-version"' not in page.text


def test_an_earlier_version_is_restored_and_the_restore_is_recorded(bob_client, bob, product):
    created = changes(product)[0]
    services.update_product(
        product=product,
        data={"name": "Teemaschine", "number": "T-1", "price": Decimal("99"), "tax_rate": 19},
        by=bob,
    )
    services.archive_product(product=product, by=bob)

    response = bob_client.post(
        reverse("products:restore_version", args=[product.pk, created.pk]),
        headers=EN,
        follow=True,
    )

    product.refresh_from_db()
    assert (product.name, product.number, product.tax_rate) == (
        "Kaffeemaschine „Barista“",
        "K-1",
        7,
    )
    assert (product.net_price, product.gross_price, product.archived) == (
        Decimal("199.00"),
        Decimal("212.93"),
        False,
    )
    assert "was restored" in response.text
    restore = changes(product)[-1]
    assert (restore.changeset.source, restore.changeset.actor) == (Source.RESTORE, bob)
    assert restore.fields["name"] == ["Teemaschine", "Kaffeemaschine „Barista“"]


def test_a_version_whose_number_is_taken_now_is_not_restored(bob_client, acme, product):
    created = changes(product)[0]
    services.update_product(product=product, data={"number": "K-2"}, by=None)
    services.trash_product(product=make_product(acme, "Nachfolger", number="K-1"), by=None)

    response = bob_client.post(
        reverse("products:restore_version", args=[product.pk, created.pk]),
        headers=EN,
        follow=True,
    )

    assert response.status_code == 200
    assert "This version cannot be restored: The product “Nachfolger” in the trash" in response.text
    product.refresh_from_db()
    assert product.number == "K-2"


def test_a_viewer_cannot_restore_a_version(vera_client, product):
    created = changes(product)[0]
    services.update_product(product=product, data={"name": "Neu"}, by=None)

    response = vera_client.post(reverse("products:restore_version", args=[product.pk, created.pk]))

    assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).name == "Neu"


def test_a_change_of_another_product_is_not_found(bob_client, acme, product):
    other = make_product(acme, "Anderes")

    response = bob_client.post(
        reverse("products:restore_version", args=[product.pk, changes(other)[0].pk])
    )

    assert response.status_code == 404


# --- Django's admin -----------------------------------------------------------------------------


@pytest.fixture
def root_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root@kontor.test", "x"))
    return client


def save_in_admin(client: Client, product: Product | None = None, **changes):
    url = (
        f"/admin/products/product/{product.pk}/change/"
        if product
        else "/admin/products/product/add/"
    )
    form = client.get(url, headers=EN)
    return client.post(url, admin_form_data(form, **changes), headers=EN)


def test_an_admin_edit_is_recorded_through_the_admin(root_client, product):
    response = save_in_admin(root_client, product, name="Barista Pro", net_price="210.00")

    assert response.status_code == 302, response.context["adminform"].form.errors
    change = changes(product)[-1]
    assert change.changeset.source == Source.ADMIN
    assert change.changeset.actor.email == "root@kontor.test"
    assert change.fields["name"] == ["Kaffeemaschine „Barista“", "Barista Pro"]
    assert change.fields["net_price"] == ["199.00", "210.00"]
    assert change.fields["gross_price"] == ["212.93", "224.70"]


def test_a_product_added_in_the_admin_is_recorded(root_client, acme):
    response = save_in_admin(
        root_client,
        organization=str(acme.pk),
        kind="product",
        name="Neu im Admin",
        unit="Stück",
        tax_rate="19",
        leading_price="net",
        net_price="10.00",
        gross_price="0",
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(name="Neu im Admin")
    assert product.gross_price == Decimal("11.90")
    (created,) = changes(product)
    assert (created.action, created.changeset.source) == (Action.CREATED, Source.ADMIN)


def test_the_admin_refuses_the_number_of_a_product_in_the_trash(root_client, acme, product):
    services.trash_product(product=make_product(acme, "Im Papierkorb", number="P-9"), by=None)

    response = save_in_admin(root_client, product, number="P-9")

    assert response.status_code == 200
    assert "in the trash has the number “P-9”" in str(
        response.context["adminform"].form.errors["number"]
    )
    assert Product.objects.get(pk=product.pk).number == "K-1"
