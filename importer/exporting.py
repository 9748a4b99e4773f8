"""Export in exactly an import target's columns, so that an exported file imports again.

Each target writes its own records (`ImportTarget.export`); cells a spreadsheet would run as a
formula are escaped (`csv_writing.cell`) and taken back by the import.
"""

from __future__ import annotations

from accounts.models import Organization

from .targets import get_target


def export_target(organization: Organization, key: str) -> bytes:
    """Everything of one import target the organization has, archived records included."""
    target = get_target(key)
    return target.export(target.records(organization))
