"""lexoffice's pages: `page` from 0, `size` up to 250 (25 if not given), and the envelope.

Unlike lexoffice, every page is there: also those beyond the 10,000th result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import field_error, invalid

DEFAULT_SIZE, MAX_SIZE = 25, 250


@dataclass(frozen=True)
class PageRequest:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return self.number * self.size


def _whole_number(params: Mapping[str, str], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    text = value.strip()
    if not text.isdigit() or len(text) > 12:
        raise invalid([field_error(name, _("Give a whole number."), "not_a_number")])
    return int(text)


def page_request(params: Mapping[str, str]) -> PageRequest:
    number = _whole_number(params, "page")
    size = _whole_number(params, "size")
    if size is not None and not 1 <= size <= MAX_SIZE:
        message = _("A page has from 1 to %(max)s entries.") % {"max": MAX_SIZE}
        raise invalid([field_error("size", message, "out_of_range")])
    return PageRequest(number=number or 0, size=size or DEFAULT_SIZE)


def page_of(
    queryset: QuerySet[Any],
    request: PageRequest,
    render: Callable[[QuerySet[Any]], list[dict[str, Any]]],
    sort: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The envelope of one page of `queryset` (ordered), its entries made by `render`."""
    total = queryset.count()
    content = (
        render(queryset[request.offset : request.offset + request.size])
        if request.offset < total
        else []
    )
    pages = -(-total // request.size)
    return {
        "content": content,
        "first": request.number == 0,
        "last": request.number >= pages - 1,
        "totalPages": pages,
        "totalElements": total,
        "numberOfElements": len(content),
        "size": request.size,
        "number": request.number,
        "sort": list(sort),
    }
