"""What the preview shows of a check: the groups that need a decision, what the updates change,
the notices. Plain data for the template, made from a `checking.CheckResult`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .checking import CheckResult, Group, ImportChoices, RowChoice, RowOutcome
from .targets import ImportTarget

SHOWN_GROUP_ROWS = 100
SHOWN_UPDATES = 50
SHOWN_NOTICES = 200


@dataclass
class GroupRow:
    row: RowOutcome
    number: str  # the number in the file (empty for rows without one)
    name: str  # the name in the file
    existing: Any  # the record it matches
    reason: str
    chosen: str  # the row's own choice, "" when it follows its group


@dataclass
class ShownGroup:
    key: str
    label: str
    field: str  # the choices form's field for the group's choice
    choice: str
    rows: list[GroupRow]
    count: int
    counts: dict[str, int]  # rows per choice

    @property
    def more(self) -> int:
        return self.count - len(self.rows)

    @property
    def summary(self) -> list[tuple[str, int]]:
        """How many of its rows do what: [("Skip the row", 3), …]."""
        return [
            (str(label), self.counts[value])
            for value, label in RowChoice.choices
            if self.counts.get(value)
        ]


@dataclass
class ShownUpdate:
    row: RowOutcome
    existing: Any
    changes: list[tuple[str, str, str]]  # (what, old, new)


def row_choice_options() -> list[tuple[str, str]]:
    return [
        ("", _("As for the group")),
        *((value, str(label)) for value, label in RowChoice.choices),
    ]


def shown_groups(
    result: CheckResult, target: ImportTarget, choices: ImportChoices
) -> list[ShownGroup]:
    groups = []
    for group, field, choice in (
        (Group.MISMATCH, "on_mismatch", choices.on_mismatch),
        (Group.PROBABLE, "on_probable", choices.on_probable),
    ):
        rows = result.group(group)
        if not rows:
            continue
        groups.append(
            ShownGroup(
                key=group,
                label=str(group.label),
                field=field,
                choice=choice,
                rows=[
                    GroupRow(
                        row=row,
                        number=_number_of(row, target),
                        name=row_name(row),
                        existing=row.existing,
                        reason=row.reason,
                        chosen=choices.rows.get(row.line, ""),
                    )
                    for row in rows[:SHOWN_GROUP_ROWS]
                ],
                count=len(rows),
                counts=dict(Counter(row.choice for row in rows)),
            )
        )
    return groups


def _number_of(row: RowOutcome, target: ImportTarget) -> str:
    """The number the row and the record share (a row chosen to be new has given its number
    up for the next free one, the record still has it); none for rows without a number."""
    if row.group != Group.MISMATCH:
        return ""
    return str(getattr(row.existing, target.number_key, "") or "")


def row_name(row: RowOutcome) -> str:
    values = row.values
    if values.get("company_name"):
        return str(values["company_name"])
    parts = [values.get(k) for k in ("title", "first_name", "last_name")]
    return " ".join(str(p) for p in parts if p) or str(values.get("name", ""))


def shown_updates(result: CheckResult, target: ImportTarget) -> tuple[list[ShownUpdate], list]:
    """The first updates with what they change, and for the others how many change each
    field (label, count), most first."""
    updates = [row for row in result.rows if row.status == "update"]
    shown = [
        ShownUpdate(
            row=row,
            existing=row.existing,
            changes=[
                (change_label(target, name), shown_value(old), shown_value(new))
                for name, (old, new) in row.changes.items()
            ],
        )
        for row in updates[:SHOWN_UPDATES]
    ]
    counted = Counter(name for row in updates[SHOWN_UPDATES:] for name in row.changes)
    return shown, [(change_label(target, name), n) for name, n in counted.most_common()]


def change_label(target: ImportTarget, name: str) -> str:
    """A changed field's name as the file's column calls it (or the record's field)."""
    for column in target.columns_for_mapping([name]):
        if column.key == name:
            return column.label
    special = {"persons": _("Contact persons (added)"), "profiles": _("Web profiles (added)")}
    special["note"] = _("Note (added)")
    if name in special:
        return str(special[name])
    try:
        return str(target.model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def shown_value(value: Any) -> str:
    if value in (None, "", ()):
        return "—"
    return sample_value(value)


def sample_value(value: Any) -> str:
    """A parsed cell as the preview's first rows show it: yes or no, a country's code, the
    notes of one cell one after the other."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, tuple):
        return " · ".join(str(v) for v in value)
    return str(getattr(value, "code", None) or value)
