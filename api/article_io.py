"""Articles (Kontor's products) in lexoffice's shape, and checked by the product form.

lexoffice's article: `title`, `type` (PRODUCT or SERVICE), `articleNumber`, `gtin`, `note`,
`unitName`, `description`, `price {netPrice, grossPrice, leadingPrice, taxRate}`. The price the
article is entered by (`leadingPrice`) is the one taken; the other is computed, as on the page.
`version` is the moment of the last change, in microseconds: Kontor's products count no
versions, and it changes with every save all the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from products.forms import ProductForm
from products.models import Product

from .contact_output import stamp
from .errors import Detail, field_error
from .ids import ARTICLE, ORGANIZATION, to_uuid
from .serializers import PageSerializer, text

FORM_TO_JSON = {
    "kind": "type",
    "name": "title",
    "number": "articleNumber",
    "gtin": "gtin",
    "unit": "unitName",
    "tax_rate": "price.taxRate",
    "leading_price": "price.leadingPrice",
    "description": "description",
    "internal_note": "note",
}
VALUES = (
    "id",
    "organization_id",
    "kind",
    "name",
    "number",
    "gtin",
    "unit",
    "description",
    "internal_note",
    "tax_rate",
    "leading_price",
    "net_price",
    "gross_price",
    "archived",
    "created_at",
    "updated_at",
)


class PriceSerializer(serializers.Serializer):
    netPrice = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )
    grossPrice = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )
    leadingPrice = serializers.ChoiceField(choices=["NET", "GROSS"])
    taxRate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)


class ArticleSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    organizationId = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(
        required=False, help_text="Required on PUT: the version the change was made on."
    )
    title = text()
    type = serializers.ChoiceField(choices=["PRODUCT", "SERVICE"])
    articleNumber = text()
    gtin = text()
    note = text()
    unitName = text()
    description = text()
    price = PriceSerializer()
    archived = serializers.BooleanField(read_only=True)
    createdDate = serializers.DateTimeField(read_only=True)
    updatedDate = serializers.DateTimeField(read_only=True)


class ArticlePageSerializer(PageSerializer):
    content = ArticleSerializer(many=True)


def version_of(moment: Any) -> int:
    return int(moment.timestamp() * 1_000_000)


def article_uri(pk: int) -> str:
    return reverse("api:article", args=[to_uuid(ARTICLE, pk)])


def article_json(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": to_uuid(ARTICLE, row["id"]),
        "organizationId": to_uuid(ORGANIZATION, row["organization_id"]),
        "version": version_of(row["updated_at"]),
        "title": row["name"],
        "type": row["kind"].upper(),
        "articleNumber": row["number"],
        "gtin": row["gtin"],
        "note": row["internal_note"],
        "unitName": row["unit"],
        "description": row["description"],
        "price": {
            "netPrice": row["net_price"],
            "grossPrice": row["gross_price"],
            "leadingPrice": row["leading_price"].upper(),
            "taxRate": Decimal(row["tax_rate"]),
        },
        "archived": row["archived"],
        "createdDate": stamp(row["created_at"]),
        "updatedDate": stamp(row["updated_at"]),
    }


def articles_json(products: QuerySet[Product]) -> list[dict[str, Any]]:
    return [article_json(row) for row in products.values(*VALUES)]


def write_result(product: Product, request_uri: Any) -> dict[str, Any]:
    return {
        "id": to_uuid(ARTICLE, product.pk),
        "resourceUri": request_uri(article_uri(product.pk)),
        "createdDate": stamp(product.created_at),
        "updatedDate": stamp(product.updated_at),
        "version": version_of(product.updated_at),
    }


def _plain(value: Decimal) -> str:
    return str(value.normalize()) if value == value.to_integral() else str(value)


def form_data(payload: Mapping[str, Any]) -> dict[str, str]:
    price = payload["price"]
    leading = price["leadingPrice"].lower()
    entered = price.get("grossPrice" if leading == "gross" else "netPrice")
    return {
        "kind": payload["type"].lower(),
        "name": payload.get("title") or "",
        "number": payload.get("articleNumber") or "",
        "gtin": payload.get("gtin") or "",
        "unit": payload.get("unitName") or "",
        "tax_rate": _plain(Decimal(price["taxRate"])),
        "leading_price": leading,
        "price": "" if entered is None else str(entered),
        "description": payload.get("description") or "",
        "internal_note": payload.get("note") or "",
    }


def check_article(
    payload: Mapping[str, Any], *, organization: Any, current: Product | None
) -> tuple[ProductForm | None, list[Detail]]:
    """The valid product form for `payload`, or None and every reason it is not valid."""
    data = form_data(payload)
    form = ProductForm(data, organization=organization, instance=current)
    if form.is_valid():
        return form, []
    entered = "price.grossPrice" if data["leading_price"] == "gross" else "price.netPrice"
    details = []
    for field, errors in form.errors.as_data().items():
        path = entered if field == "price" else FORM_TO_JSON.get(field, field)
        for error in errors:
            details += [field_error(path, m, error.code or "invalid") for m in error.messages]
    return None, details


def stale(product: Product, version: int | None) -> str | None:
    """Why `version` is not the product's current one (None when it is)."""
    if version is None:
        return _("Give the version the change was made on (the article's “version”).")
    if version != version_of(product.updated_at):
        return _(
            "The article was changed meanwhile: read it again and send your change with its "
            "current version."
        )
    return None
