"""Creating and changing products: computed prices, numbers unique per organization, GTINs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from products import services
from products.models import Product

from .conftest import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


@pytest.mark.parametrize(
    ("net", "rate", "gross"),
    [
        ("100.00", 19, "119.00"),
        ("366.67", 19, "436.34"),
        ("2.50", 7, "2.68"),
        ("0.01", 19, "0.01"),
        ("0.03", 19, "0.04"),
        ("10.00", 0, "10.00"),
        ("2298.35", 0, "2298.35"),
    ],
)
def test_net_price_gives_the_gross_price_rounded_to_cents(net, rate, gross):
    assert services.compute_prices(price=Decimal(net), leading="net", tax_rate=rate) == (
        Decimal(net),
        Decimal(gross),
    )


@pytest.mark.parametrize(
    ("gross", "rate", "net"),
    [("119.00", 19, "100.00"), ("19.99", 19, "16.80"), ("2.68", 7, "2.50"), ("5", 0, "5.00")],
)
def test_gross_price_gives_the_net_price_rounded_to_cents(gross, rate, net):
    assert services.compute_prices(price=Decimal(gross), leading="gross", tax_rate=rate) == (
        Decimal(net),
        Decimal(gross).quantize(Decimal("0.01")),
    )


def test_create_product_computes_the_gross_price_and_records_who(acme, alice):
    product = make_product(acme, "Fliesenkleber", price="366.67", tax_rate=19, by=alice)

    product.refresh_from_db()
    assert product.net_price == Decimal("366.67")
    assert product.gross_price == Decimal("436.34")
    assert product.leading_price == Product.LeadingPrice.NET
    assert product.created_by == alice
    assert product.updated_by == alice
    assert product.kind == Product.Kind.PRODUCT
    assert product.archived is False


def test_create_product_from_a_gross_price(acme):
    product = make_product(acme, price="19.99", tax_rate=19, leading_price="gross")
    assert (product.net_price, product.gross_price) == (Decimal("16.80"), Decimal("19.99"))


def test_a_tax_rate_from_the_importer_may_be_a_decimal(acme):
    product = make_product(acme, tax_rate=Decimal("19"), price="100")
    assert product.tax_rate == 19
    assert product.gross_price == Decimal("119.00")


def test_changing_the_tax_rate_keeps_the_entered_price(acme, alice):
    net_led = make_product(acme, "Netto", price="100", tax_rate=19)
    gross_led = make_product(acme, "Brutto", price="119", tax_rate=19, leading_price="gross")

    services.update_product(product=net_led, data={"tax_rate": 7}, by=alice)
    services.update_product(product=gross_led, data={"tax_rate": 7}, by=alice)

    assert (net_led.net_price, net_led.gross_price) == (Decimal("100.00"), Decimal("107.00"))
    assert (gross_led.net_price, gross_led.gross_price) == (Decimal("111.21"), Decimal("119.00"))
    assert net_led.updated_by == alice


def test_numbers_are_unique_within_an_organization(acme):
    make_product(acme, "Erster", number="A-1000")

    errors = errors_of(lambda: make_product(acme, "Zweiter", number="A-1000"))

    assert errors == {"number": ["Another product already has the number “A-1000”."]}
    assert Product.objects.filter(organization=acme).count() == 1


def test_the_same_number_in_another_organization_is_fine(acme, globex):
    make_product(acme, number="A-1000")
    make_product(globex, number="A-1000")
    assert Product.objects.filter(number="A-1000").count() == 2


def test_many_products_may_have_no_number(acme):
    make_product(acme, "Eins")
    make_product(acme, "Zwei")
    assert Product.objects.filter(organization=acme, number="").count() == 2


def test_updating_a_product_keeps_its_own_number(acme, alice):
    product = make_product(acme, number="A-1")
    services.update_product(product=product, data={"name": "Neu", "number": "A-1"}, by=alice)
    assert Product.objects.get(pk=product.pk).name == "Neu"


def test_the_database_refuses_a_duplicate_number_too(acme):
    make_product(acme, number="A-1")
    duplicate = services.build_product(
        organization=acme, data={"name": "X", "number": "A-1", "price": Decimal(1)}, by=None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_race_for_the_same_number_is_a_validation_error(acme, monkeypatch):
    make_product(acme, number="A-1")
    monkeypatch.setattr(services, "number_holder", lambda **kwargs: None)

    errors = errors_of(lambda: make_product(acme, "Zweiter", number="A-1"))

    assert "number" in errors


def test_a_gtin_is_checked_and_stored_as_digits(acme):
    product = make_product(acme, gtin="4 006381 333931")
    assert product.gtin == "4006381333931"

    errors = errors_of(lambda: make_product(acme, gtin="4006381333932"))
    assert errors == {
        "gtin": [
            "The check digit of GTIN/EAN “4006381333932” is wrong: the last digit should be 1."
        ]
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field cannot be blank."),
        ("name", "x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("number", "x" * 19, "Ensure this value has at most 18 characters (it has 19)."),
        ("description", "x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
        (
            "internal_note",
            "x" * 1001,
            "Ensure this value has at most 1000 characters (it has 1001).",
        ),
        ("tax_rate", 16, "Value 16 is not a valid choice."),
        ("kind", "gift", "Value 'gift' is not a valid choice."),
        ("unit", "", "This field cannot be blank."),
    ],
)
def test_rules_of_the_fields_are_enforced(acme, field, value, message):
    errors = errors_of(lambda: make_product(acme, **{field: value}))
    assert errors[field] == [message]


def test_a_negative_price_is_refused(acme):
    errors = errors_of(lambda: make_product(acme, price="-1"))
    assert "net_price" in errors


def test_build_product_makes_an_unsaved_product_for_bulk_imports(acme, alice):
    product = services.build_product(
        organization=acme,
        data={"name": "Brötchen", "unit": "Stück", "tax_rate": 7, "price": Decimal("2.50")},
        by=alice,
    )
    assert product.pk is None
    assert product.gross_price == Decimal("2.68")
    assert "brotchen" in product.search_text
    assert "broetchen" in product.search_text


def test_archive_unarchive_and_delete(acme, alice, bob):
    product = make_product(acme)

    services.archive_product(product=product, by=bob)
    product.refresh_from_db()
    assert product.archived is True
    assert product.updated_by == bob

    services.unarchive_product(product=product, by=alice)
    product.refresh_from_db()
    assert product.archived is False

    services.delete_product(product=product)
    assert not Product.objects.filter(pk=product.pk).exists()
