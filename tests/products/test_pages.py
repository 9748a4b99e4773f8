"""The product pages: list, search, filters, create, edit, archive and delete."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from products.models import Product

from .conftest import form_data, make_product

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
LIST = reverse("products:list")


def names_in(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


# --- list, search, filters -------------------------------------------------------------------


def test_the_list_shows_the_organizations_products_only(alice_client, acme, globex):
    make_product(acme, "Brötchen", number="A-1")
    make_product(globex, "Fremdes Produkt")

    response = alice_client.get(LIST, headers=EN)

    assert response.status_code == 200
    assert names_in(response) == ["Brötchen"]
    assert "Fremdes Produkt" not in response.text
    assert "1 product" in response.text


def test_the_empty_list_invites_to_create_or_import(alice_client, acme):
    response = alice_client.get(LIST, headers=EN)
    assert "No products yet." in response.text
    assert reverse("products:create") in response.text
    assert reverse("importer:start") in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kaffee", ["Kaffeemaschine Barista"]),
        ("KAFFEE", ["Kaffeemaschine Barista"]),
        ("BRÖTCHEN", ["Brötchen"]),
        ("broetchen", ["Brötchen"]),
        ("brotchen", ["Brötchen"]),
        ("a-100", ["Brötchen", "Fliesenkleber"]),
        ("A-1001", ["Fliesenkleber"]),
        ("4006381333931", ["Fliesenkleber"]),
        ("frei haus", ["Fliesenkleber"]),
        ("ÜBER GROSSHANDEL", ["Kaffeemaschine Barista"]),
        ("über großhandel", ["Kaffeemaschine Barista"]),
        ("stunde", []),
        ("nichts", []),
        ("%", ["Brötchen", "Fliesenkleber", "Kaffeemaschine Barista"]),
    ],
)
def test_search_looks_at_name_number_gtin_and_description(alice_client, acme, query, expected):
    make_product(acme, "Brötchen", number="A-1000")
    make_product(
        acme,
        "Fliesenkleber",
        number="A-1001",
        gtin="4006381333931",
        description="Lieferung frei Haus ab 250 €",
    )
    make_product(acme, "Kaffeemaschine Barista", description="Einkauf über Großhandel Süd")

    response = alice_client.get(LIST, {"q": query}, headers=EN)

    assert names_in(response) == expected


def test_a_search_without_results_says_so(alice_client, acme):
    make_product(acme)
    response = alice_client.get(LIST, {"q": "nichts"}, headers=EN)
    assert "No product matches." in response.text


def test_archived_products_are_hidden_by_default(alice_client, acme):
    make_product(acme, "Aktiv")
    make_product(acme, "Alt", archived=False)
    Product.objects.filter(name="Alt").update(archived=True)

    assert names_in(alice_client.get(LIST)) == ["Aktiv"]
    assert names_in(alice_client.get(LIST, {"status": "archived"})) == ["Alt"]
    assert names_in(alice_client.get(LIST, {"status": "all"})) == ["Aktiv", "Alt"]


def test_filter_products_or_services(alice_client, acme):
    make_product(acme, "Kabel")
    make_product(acme, "Montage", kind="service", unit="Stunde")

    assert names_in(alice_client.get(LIST, {"kind": "product"})) == ["Kabel"]
    assert names_in(alice_client.get(LIST, {"kind": "service"})) == ["Montage"]
    assert names_in(alice_client.get(LIST, {"kind": ""})) == ["Kabel", "Montage"]


def test_an_unknown_filter_value_shows_the_default_list(alice_client, acme):
    make_product(acme, "Kabel")
    response = alice_client.get(LIST, {"kind": "gift", "status": "nonsense"})
    assert response.status_code == 200
    assert names_in(response) == ["Kabel"]


def test_the_list_has_25_a_page(alice_client, acme):
    for n in range(30):
        make_product(acme, f"Artikel {n:02d}")

    first = alice_client.get(LIST, headers=EN)
    second = alice_client.get(LIST, {"page": 2}, headers=EN)

    assert len(names_in(first)) == 25
    assert names_in(second) == [f"Artikel {n}" for n in range(25, 30)]
    assert "Page 1 of 2" in first.text
    assert "30 products" in first.text


def test_pages_keep_the_search(alice_client, acme):
    for n in range(30):
        make_product(acme, f"Kabel {n:02d}")
    response = alice_client.get(LIST, {"q": "kabel"})
    assert "q=kabel&amp;page=2" in response.text


def test_htmx_gets_only_the_results(alice_client, acme):
    make_product(acme, "Kabel")
    response = alice_client.get(LIST, {"q": "kab"}, headers={"HX-Request": "true"})
    assert "Kabel" in response.text
    assert '<nav class="navbar' not in response.text


def test_the_list_shows_prices_in_the_users_language(alice_client, acme):
    make_product(acme, "Teuer", price="1234.50", tax_rate=19)

    english = alice_client.get(LIST, headers=EN).text
    german = alice_client.get(LIST, headers={"accept-language": "de"}).text

    assert "1,234.50 €" in english
    assert "1,469.06 €" in english
    assert "1.234,50 €" in german


# --- create and edit -------------------------------------------------------------------------


def test_create_a_product_from_a_net_price(bob_client, acme, bob):
    response = bob_client.post(reverse("products:create"), form_data(), headers=EN)

    product = Product.objects.get(organization=acme)
    assert response.status_code == 302
    assert response["Location"] == reverse("products:detail", args=[product.pk])
    assert (product.net_price, product.gross_price) == (Decimal("366.67"), Decimal("436.34"))
    assert product.created_by == bob
    page = bob_client.get(response["Location"], headers=EN)
    assert "“Fliesenkleber 25 kg” was created." in page.text
    assert "436.34 €" in page.text


def test_create_a_service_from_a_gross_price_written_the_german_way(alice_client, acme):
    data = form_data(
        kind="service", name="Montage", number="", unit="Stunde", leading_price="gross",
        price="1.190,00 €",
    )  # fmt: skip
    alice_client.post(reverse("products:create"), data)

    product = Product.objects.get(organization=acme)
    assert product.kind == "service"
    assert product.unit == "Stunde"
    assert (product.net_price, product.gross_price) == (Decimal("1000.00"), Decimal("1190.00"))


def test_the_form_offers_the_built_in_units(alice_client):
    response = alice_client.get(reverse("products:create"), headers=EN)
    assert '<datalist id="product-units">' in response.text
    assert '<option value="Stück">piece</option>' in response.text
    assert '<option value="Stunde">hour</option>' in response.text
    assert 'list="product-units"' in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("price", "", "This field is required."),
        ("price", "abc", "“abc” is not a number."),
        ("price", "1.234", "is ambiguous"),
        ("price", "-5", "A price cannot be negative."),
        ("price", "1,999", "is ambiguous"),
        ("price", "0,125", "A price has at most two decimal places."),
        ("price", "99999999999", "This price is too high."),
        ("gtin", "4006381333932", "the last digit should be 1"),
        ("gtin", "12345", "has 5"),
        ("number", "x" * 19, "at most 18 characters"),
        ("tax_rate", "16", "Select a valid choice."),
    ],
)
def test_wrong_input_is_shown_next_to_the_field(alice_client, acme, field, value, message):
    response = alice_client.post(
        reverse("products:create"), form_data(**{field: value}), headers=EN
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Product.objects.exists()


def test_a_taken_number_is_refused_in_the_form(alice_client, acme):
    make_product(acme, number="A-1001")

    response = alice_client.post(reverse("products:create"), form_data(), headers=EN)

    assert response.context["form"].errors["number"] == [
        "Another product already has the number “A-1001”."
    ]
    assert Product.objects.count() == 1


def test_edit_shows_the_entered_price_and_saves_changes(alice_client, product, alice):
    url = reverse("products:edit", args=[product.pk])

    form_page = alice_client.get(url, headers={"accept-language": "de"})
    assert 'value="199,00"' in form_page.text

    response = alice_client.post(
        url, form_data(name="Kaffeemaschine Deluxe", number="K-1", price="249,00"), headers=EN
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Kaffeemaschine Deluxe"
    assert (product.net_price, product.gross_price) == (Decimal("249.00"), Decimal("296.31"))
    assert "“Kaffeemaschine Deluxe” was saved." in alice_client.get(response["Location"]).text


def test_edit_with_errors_keeps_the_old_title(alice_client, product):
    response = alice_client.post(
        reverse("products:edit", args=[product.pk]), form_data(name=""), headers=EN
    )
    assert response.status_code == 200
    assert "Edit K-1 Kaffeemaschine „Barista“" in response.text
    product.refresh_from_db()
    assert product.name == "Kaffeemaschine „Barista“"


# --- archive, delete, detail -----------------------------------------------------------------


def test_archive_and_unarchive(bob_client, product):
    archived = bob_client.post(reverse("products:archive", args=[product.pk]), headers=EN)
    product.refresh_from_db()
    assert product.archived is True
    assert "was archived." in bob_client.get(archived["Location"], headers=EN).text

    active = bob_client.post(reverse("products:unarchive", args=[product.pk]), headers=EN)
    product.refresh_from_db()
    assert product.archived is False
    assert "is active again." in bob_client.get(active["Location"], headers=EN).text


def test_archive_needs_a_post(bob_client, product):
    assert bob_client.get(reverse("products:archive", args=[product.pk])).status_code == 405


def test_delete_asks_first_and_moves_the_product_to_the_trash(bob_client, product):
    url = reverse("products:delete", args=[product.pk])

    confirm = bob_client.get(url, headers=EN)
    assert confirm.status_code == 200
    assert "Delete “K-1 Kaffeemaschine „Barista“”?" in confirm.text
    assert Product.objects.filter(pk=product.pk).exists()

    assert "For 30 days it can be restored there as it was" in confirm.text

    response = bob_client.post(url, headers=EN)
    assert response["Location"] == LIST
    assert not Product.objects.filter(pk=product.pk).exists()
    assert Product.all_objects.get(pk=product.pk).deleted_at is not None
    assert (
        "“Kaffeemaschine „Barista“” was moved to the trash. It can be restored there for 30 days."
        in bob_client.get(LIST, headers=EN).text
    )


def test_the_detail_page_shows_everything(alice_client, acme, alice):
    product = make_product(
        acme, "Kabel NYM-J", number="A-7", gtin="4006381333931", price="10", tax_rate=19,
        description="Zeile 1\nZeile 2", internal_note="Restposten", by=alice,
    )  # fmt: skip

    response = alice_client.get(reverse("products:detail", args=[product.pk]), headers=EN)

    for text in ["Kabel NYM-J", "A-7", "4006381333931", "10.00 €", "11.90 €", "19 %",
                 "Zeile 1<br>Zeile 2", "Restposten", "Alice Admin"]:  # fmt: skip
        assert text in response.text
