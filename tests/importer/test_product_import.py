"""Importing products: prices and tax as people write them, GTINs, numbers, round trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.utils import translation

from importer import services
from importer.exporting import export_target
from importer.models import OnDuplicate
from products.models import Product

FIXTURES = Path(__file__).parent / "fixtures"


def start(org, data: bytes):
    with translation.override("en"):
        return services.start_import(
            organization=org, target="products", file_name="p.csv", data=data, by=None
        )


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_it_imports_the_sample_with_prices_tax_and_gtins(acme):
    run, parsed = start(acme, (FIXTURES / "produkte-cp1252.csv").read_bytes())
    assert all(run.mapping)
    result = services.commit(run, by=None)
    assert result.counts["invalid"] == 0, result.errors[:3]
    assert Product.objects.filter(organization=acme).count() == len(parsed.rows)
    first = Product.objects.get(number="A-1000")
    assert first.name == "Brötchen (Dutzend) 0"
    assert first.net_price == Decimal("2298.35")
    assert first.tax_rate == 0
    assert first.gtin == "5634696161780"
    assert Product.objects.get(number="A-1001").gross_price == Decimal("436.34")


def test_bad_prices_tax_rates_and_gtins_get_messages(acme):
    data = csv_bytes(
        "Artikelnummer;Bezeichnung;Einheit;Steuerart;Nettopreis;GTIN/EAN",
        "A-1;Gut;Stück;USt 19%;1.234,50;4006381333931",
        "A-2;Preis kaputt;Stück;USt 19%;zwölf;",
        "A-3;Steuer kaputt;Stück;USt 16%;1,00;",
        "A-4;GTIN kaputt;Stück;19;1,00;4006381333932",
        "A-5;Kein Preis;Stück;19;;",
        "A-1;Doppelt;Stück;19;1,00;",
        "A-6;;Stück;19;1,00;",
    )
    run, _parsed = start(acme, data)
    result = services.check(run)
    assert result.counts["new"] == 1
    assert result.counts["invalid"] == 6
    lines = {e.line for e in result.errors}
    assert lines == {3, 4, 5, 6, 7, 8}
    services.commit(run, by=None)
    assert Product.objects.get().net_price == Decimal("1234.50")


def test_a_known_number_is_updated_or_skipped(acme):
    services.commit(
        start(
            acme, csv_bytes("Artikelnummer;Bezeichnung;Einheit;Nettopreis", "X-1;Alt;Stück;1,00")
        )[0],
        by=None,
    )
    run, _parsed = start(
        acme, csv_bytes("Artikelnummer;Bezeichnung;Einheit;Nettopreis", "X-1;Neu;Stück;2,00")
    )
    run.on_duplicate = OnDuplicate.SKIP
    assert services.check(run).counts["skip"] == 1
    run.on_duplicate = OnDuplicate.UPDATE
    assert services.commit(run, by=None).counts["update"] == 1
    product = Product.objects.get()
    assert (product.name, product.net_price) == ("Neu", Decimal("2.00"))


def test_importing_a_list_without_numbers_twice_creates_no_copies(acme):
    data = csv_bytes("Bezeichnung;Einheit;Bruttopreis", "Beratung;Stunde;119,00")
    services.commit(start(acme, data)[0], by=None)
    result = services.commit(start(acme, data)[0], by=None)
    assert result.counts["unchanged"] == 1
    assert Product.objects.count() == 1
    assert Product.objects.get().net_price == Decimal("100.00")


def test_exported_products_import_again_unchanged(acme, globex):
    services.commit(start(acme, (FIXTURES / "produkte-cp1252.csv").read_bytes())[0], by=None)
    for language in ("de", "en"):
        Product.objects.filter(organization=globex).delete()
        with translation.override(language):
            data = export_target(acme, "products")
            run, _parsed = services.start_import(
                organization=globex, target="products", file_name="e.csv", data=data, by=None
            )
            result = services.commit(run, by=None)
        assert result.counts["invalid"] == 0, result.errors[:3]
        fields = (
            "number",
            "name",
            "description",
            "unit",
            "tax_rate",
            "net_price",
            "gross_price",
            "gtin",
            "internal_note",
            "kind",
        )
        assert list(
            Product.objects.filter(organization=globex).order_by("number").values_list(*fields)
        ) == list(Product.objects.filter(organization=acme).order_by("number").values_list(*fields))


def test_undo_removes_imported_products(acme):
    run, _parsed = start(acme, csv_bytes("Bezeichnung;Einheit;Nettopreis", "Eins;Stück;1"))
    services.commit(run, by=None)
    run.refresh_from_db()
    outcome = services.undo(run, by=None)
    assert (outcome.deleted, outcome.kept) == (1, [])
    assert not Product.objects.exists()
