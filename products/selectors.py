"""Reads of products that several places share: the filtered list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Organization
from core.folding import fold

from .models import Product


class Status:
    ACTIVE = "active"
    ARCHIVED = "archived"
    ALL = "all"


@dataclass(frozen=True)
class ProductFilter:
    query: str = ""
    kind: str = ""  # "", "product", "service"
    status: str = Status.ACTIVE


def query_terms(query: str) -> list[str]:
    """The words of a query as they must appear in `search_text` (folded, no LIKE wildcards)."""
    cleaned = re.sub(r"[%_|\\]", " ", fold(query.strip()[:100]))
    return cleaned.split()


def product_list(organization: Organization, flt: ProductFilter) -> QuerySet[Product]:
    """The organization's products matching the filter: every word of the query in name,
    number, GTIN or description (letter case and accents ignored), sorted by name."""
    products = Product.objects.filter(organization=organization)
    if flt.status == Status.ACTIVE:
        products = products.filter(archived=False)
    elif flt.status == Status.ARCHIVED:
        products = products.filter(archived=True)
    if flt.kind in Product.Kind.values:
        products = products.filter(kind=flt.kind)
    for term in query_terms(flt.query):
        products = products.filter(search_text__contains=term)
    return products.defer("description", "internal_note", "search_text")
