"""The import targets, listed once. What a target is and gives: `base.ImportTarget`.

Everything that offers a choice of target (the import pages, the commands' `--target`, the
choices of `ImportRun.target`, the admin's resources) goes through `TARGETS` and `get_target`.
"""

from __future__ import annotations

from .base import ImportTarget
from .customers import CUSTOMERS
from .products import PRODUCTS
from .suppliers import SUPPLIERS

TARGETS: tuple[ImportTarget, ...] = (CUSTOMERS, SUPPLIERS, PRODUCTS)

_BY_KEY = {target.key: target for target in TARGETS}


def get_target(key: str) -> ImportTarget:
    """The target stored or named as `key`; LookupError for a key no target has."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise LookupError(f"No import target {key!r}.") from None


def target_keys() -> list[str]:
    return list(_BY_KEY)


def target_choices() -> list[tuple[str, str]]:
    """(key, label) of every target (`ImportRun.target`'s choices)."""
    return [(target.key, str(target.label)) for target in TARGETS]


__all__ = ["TARGETS", "ImportTarget", "get_target", "target_choices", "target_keys"]
