"""The products page exports the catalogue as CSV and as an Excel workbook of text cells that
imports again to the same products."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from importer import services
from importer.targets.products import PRODUCTS
from products.models import Product
from tests.workbooks import read_workbook

from .conftest import make_product

DE = {"headers": {"accept-language": "de"}}


def test_the_products_page_offers_csv_and_excel(vera_client, acme):
    page = vera_client.get(reverse("products:list"), **DE).text
    assert "Als CSV exportieren" in page and "Als Excel exportieren" in page


def test_the_workbook_keeps_numbers_prices_and_gtins_as_text(alice_client, acme):
    make_product(acme, "Brötchen", number="007", price="2.50", gtin="4006381333931")
    make_product(acme, "=Rabatt", number="008", price="0.99")
    response = alice_client.get(reverse("importer:export_products_xlsx"), **DE)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(".xlsx")
    book = read_workbook(response.content)
    assert book.sheet_names == ["Produkte"]
    assert book.untyped == [] and book.text_columns
    rows = {row[1]: row for row in book.rows[1:]}
    header = book.rows[0]
    assert rows["Brötchen"][header.index("Artikelnummer")] == "007"
    assert rows["Brötchen"][header.index("Nettopreis")] == "2,50"
    assert rows["Brötchen"][header.index("GTIN/EAN")] == "4006381333931"
    assert rows["=Rabatt"][1] == "=Rabatt"


def test_the_csv_export_imports_again_to_the_same_file(acme, globex):
    make_product(acme, "Brötchen", number="007", price="2.50", gtin="4006381333931")
    make_product(acme, "@Beratung", number="B-1", price="120")
    with translation.override("de"):
        data = PRODUCTS.export(PRODUCTS.records(acme))
        run, _parsed = services.start_import(
            organization=globex, target="products", file_name="p.csv", data=data, by=None
        )
        assert services.commit(run, by=None).counts["new"] == 2
        assert PRODUCTS.export(PRODUCTS.records(globex)) == data
    assert Product.objects.filter(organization=globex, name="@Beratung").exists()
