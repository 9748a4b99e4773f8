"""The contact list's columns, its rows, and each user's choice of columns and sort order.

`COLUMNS` is the one list: the table's header, its cells, the column chooser and the saved
choice are all made from it. A new column is one entry here (and, if it shows a field the list
does not read yet, that field in `selectors.LIST_FIELDS`).

The rows are written in Python rather than with a template loop: the search renders them at
every keystroke, and the template engine's per-variable work was most of a search's time. Every
value from the database goes through `escape` (html.escape, as Django's own escape does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User

from .models import Contact, ContactListPreference, ContactTag
from .selectors import SORTS
from .templatetags.contacts_extras import tel_href


class ShownTag(NamedTuple):
    name: str
    colour: str


def tags_of(contacts: Sequence[Contact]) -> dict[int, list[ShownTag]]:
    """Each contact's tags in name order, with one query however many contacts there are."""
    found: dict[int, list[tuple[str, str, str]]] = {}
    pairs = ContactTag.objects.filter(contact_id__in=[c.pk for c in contacts])
    rows = pairs.values_list("contact_id", "tag__folded_name", "tag__name", "tag__colour")
    for contact_id, folded, name, colour in rows:
        found.setdefault(contact_id, []).append((folded, name, colour))
    return {
        pk: [ShownTag(name, colour) for _folded, name, colour in sorted(shown)]
        for pk, shown in found.items()
    }


@dataclass(frozen=True)
class Rows:
    """What every row needs besides its contact, worked out once per list."""

    tags: Mapping[int, Sequence[ShownTag]]  # contact id → its tags, in name order
    labels: Mapping[str, str]
    prefix: str  # the list's URL: a contact's page is prefix + id + "/"
    # contact id → the contact person or e-mail address a search found it through
    found_via: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str | Promise
    cell: Callable[[Contact, Rows], str]
    sort: str = ""  # its key in selectors.SORTS, if the header sorts by it


def _name(c: Contact, rows: Rows) -> str:
    name = escape(c.display_name) if c.display_name else rows.labels["no_name"]
    archived = rows.labels["archived"] if c.archived else ""
    link = f'<a class="fw-semibold link-body-emphasis" href="{rows.prefix}{c.pk}/" data-row-link>'
    via = rows.found_via.get(c.pk)
    if via:
        via = rows.labels["via"] % {"name": escape(via)}
        via = f'<div class="small text-body-secondary" data-found-via>{via}</div>'
    return f"{link}{name}</a>{archived}{via or ''}"


def _number(c: Contact, rows: Rows) -> str:
    badges = []
    if c.is_customer:
        badges.append(_role_badge(rows.labels["customer"], c.customer_number, "primary"))
    if c.is_supplier:
        badges.append(_role_badge(rows.labels["supplier"], c.supplier_number, "warning"))
    return " ".join(badges)


def _role_badge(label: str, number: int | None, style: str) -> str:
    # The colour tells the role at a glance; the words are there for screen readers.
    shown = f'<span class="visually-hidden">{label} </span>{number}' if number else label
    return (
        f'<span class="badge rounded-pill bg-{style}-subtle text-{style}-emphasis" '
        f'title="{label}">{shown}</span>'
    )


def _kind(c: Contact, rows: Rows) -> str:
    return rows.labels["person"] if c.kind == Contact.Kind.PERSON else rows.labels["company"]


def _city(c: Contact, rows: Rows) -> str:
    return f"{escape(c.billing_postal_code)} {escape(c.billing_city)}".strip()


def _email(c: Contact, rows: Rows) -> str:
    email = escape(c.primary_email)
    return f'<a href="mailto:{email}" data-reach>{email}</a>' if email else ""


def _phone(c: Contact, rows: Rows) -> str:
    phone = c.primary_phone
    if not phone:
        return ""
    href = escape(tel_href(phone, c.billing_country))
    return f'<a href="tel:{href}" class="text-nowrap" data-reach>{escape(phone)}</a>'


def _tags(c: Contact, rows: Rows) -> str:
    return " ".join(
        f'<span class="tag tag-{tag.colour}">{escape(tag.name)}</span>'
        for tag in rows.tags.get(c.pk, ())
    )


def _changed(c: Contact, rows: Rows) -> str:
    return escape(date_format(localtime(c.updated_at), "SHORT_DATE_FORMAT"))


# An "industry" column joins here once contacts have that field.
COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("name", _("Name"), _name, sort="name"),
    ListColumn("number", _("Number"), _number, sort="number"),
    ListColumn("kind", _("Kind"), _kind),
    ListColumn("city", _("City"), _city, sort="city"),
    ListColumn("email", _("E-mail"), _email),
    ListColumn("phone", _("Phone"), _phone),
    ListColumn("tags", _("Tags"), _tags),
    ListColumn("changed", _("Last change"), _changed, sort="changed"),
)
BY_KEY = {column.key: column for column in COLUMNS}
ALWAYS_SHOWN = "name"
DEFAULT_COLUMNS = ("name", "number", "kind", "city", "email", "phone", "tags")
# The first click on a header sorts this way (the latest change first); the next the other way.
DESCENDING_FIRST = {"changed"}


def chosen_columns(keys: Iterable[str]) -> list[ListColumn]:
    """The known columns among `keys`, in the list's order, the name always among them."""
    wanted = {*keys, ALWAYS_SHOWN}
    return [column for column in COLUMNS if column.key in wanted]


@dataclass
class ContactTable:
    """One page of the list as a table (a card per contact on a phone)."""

    contacts: list[Contact]
    columns: list[ListColumn]
    rows: Rows
    selectable: bool  # a check box per row, for bulk actions

    def body(self) -> SafeString:
        select = escape(gettext("Select %(name)s"))
        lines = []
        for c in self.contacts:
            cells = "".join(
                f'<td class="col-{column.key}">{column.cell(c, self.rows)}</td>'
                for column in self.columns
            )
            if self.selectable:
                label = select % {"name": escape(c.display_name)}
                cells = (
                    '<td class="col-select"><input class="form-check-input" type="checkbox" '
                    f'name="ids" value="{c.pk}" aria-label="{label}" data-bulk-row></td>{cells}'
                )
            lines.append(f'<tr data-contact-row data-href="{self.rows.prefix}{c.pk}/">{cells}</tr>')
        return mark_safe("\n".join(lines))  # noqa: S308 - every value in it is escaped above

    def head(self, sort: str, query: str) -> SafeString:
        """The header row; a sortable column's heading links to the list sorted by it, again
        the other way round (`query`: the list's query string without sort and page)."""
        cells = []
        if self.selectable:
            label = escape(gettext("Choose every contact on this page"))
            cells.append(
                '<th class="col-select" scope="col"><input class="form-check-input" '
                f'type="checkbox" aria-label="{label}" data-bulk-page hidden></th>'
            )
        for column in self.columns:
            label = escape(str(column.label))
            if not column.sort:
                cells.append(f'<th class="col-{column.key}" scope="col">{label}</th>')
                continue
            ascending, descending = column.sort, f"-{column.sort}"
            aria, arrow = "", ""
            if sort == ascending:
                aria, arrow, target = ' aria-sort="ascending"', " ▲", descending
            elif sort == descending:
                aria, arrow, target = ' aria-sort="descending"', " ▼", ascending
            else:
                target = descending if column.sort in DESCENDING_FIRST else ascending
            url = escape(f"?{query}&sort={target}" if query else f"?sort={target}")
            if arrow:
                arrow = f'<span aria-hidden="true">{arrow}</span>'
            cells.append(
                f'<th class="col-{column.key}" scope="col"{aria}>'
                f'<a class="sort-link" href="{url}">{label}{arrow}</a></th>'
            )
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308 - escaped above


def row_labels() -> dict[str, str]:
    """The words the rows use, translated once per list."""
    archived = escape(gettext("archived"))
    return {
        "customer": escape(gettext("Customer")),
        "supplier": escape(gettext("Supplier")),
        "person": escape(gettext("Person")),
        "company": escape(gettext("Company")),
        "no_name": escape(gettext("(no name)")),
        "archived": f' <span class="badge text-bg-secondary">{archived}</span>',
        # Found through a contact person or an e-mail address: "via Sabine Weiß".
        "via": escape(gettext("via %(name)s")),
    }


def list_prefix() -> str:
    return escape(reverse("contacts:list"))


# --- each user's choice -------------------------------------------------------------------


@dataclass(frozen=True)
class ListChoice:
    columns: tuple[str, ...]
    sort: str  # "" when the user never chose one


def saved_choice(user: User, organization: Organization) -> ListChoice:
    saved = (
        ContactListPreference.objects.filter(user=user, organization=organization)
        .values_list("columns", "sort")
        .first()
    )
    if saved is None:
        return ListChoice(DEFAULT_COLUMNS, "")
    columns, sort = saved
    known = tuple(c.key for c in chosen_columns(k for k in columns if isinstance(k, str)))
    return ListChoice(known if columns else DEFAULT_COLUMNS, sort if sort in SORTS else "")


def remember_columns(*, user: User, organization: Organization, keys: Iterable[str]) -> None:
    columns = [column.key for column in chosen_columns(keys)]
    ContactListPreference.objects.update_or_create(
        user=user, organization=organization, defaults={"columns": columns}
    )


def remember_sort(*, user: User, organization: Organization, sort: str) -> None:
    if sort in SORTS:
        ContactListPreference.objects.update_or_create(
            user=user, organization=organization, defaults={"sort": sort}
        )
