from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import phones
from ..models import ContactPerson, WebProfile

register = template.Library()


@register.filter
def tel_href(value: str, country=None) -> str:
    """What follows "tel:" in a link: the number in E.164, an extension as RFC 3966 has it.

    `{{ value|tel_href:contact.billing_country }}`: "+49 (0)30 1234567" → "+49301234567",
    "030 1234567 ext. 12" → "+49301234567;ext=12". A number phonenumbers cannot read is still
    dialled with its digits.
    """
    return _href(value, country)


@register.filter
def person_tel_href(person: ContactPerson, country=None) -> str:
    """`tel_href` for a contact person's phone, the extension field kept apart from the number."""
    return _href(person.phone, country, person.phone_extension)


@register.filter
def phone_display(value: str, country=None) -> str:
    """A phone number in international format ("+49 30 1234567"); as typed when unreadable."""
    return phones.phone_display(value, country)


@register.filter
def phone_warning(value: str, country=None) -> str:
    """Why a stored number cannot exist, or "" (to show beside it, not to refuse it)."""
    return phones.phone_warning(value, country) or ""


def _href(value: str, country, extension: str = "") -> str:
    uri = phones.tel_uri(value, country, extension)
    if uri:
        return uri.removeprefix("tel:")
    value = value.strip()
    digits = "".join(c for c in value if c.isascii() and c.isdigit())
    return ("+" if value.startswith("+") else "") + digits


@register.filter
def profile_url(profile: WebProfile) -> str | None:
    from ..validators import web_profile_url

    return web_profile_url(profile.kind, profile.value)


@register.simple_tag
def contact_rows(contacts) -> str:
    """The result rows of the contact list.

    Built in Python rather than with a template loop: the search renders this list at every
    keystroke, and the template engine's per-variable work was most of a search's time. Every
    value from the database goes through `escape` (html.escape, as Django's own escape does).
    """
    labels = {
        "customer": escape(gettext("Customer")),
        "supplier": escape(gettext("Supplier")),
        "person": escape(gettext("Person")),
        "company": escape(gettext("Company")),
        "no_name": escape(gettext("(no name)")),
    }
    archived = f'<span class="badge text-bg-secondary ms-1">{escape(gettext("archived"))}</span>'
    prefix = escape(reverse("contacts:list"))
    rows = []
    for c in contacts:
        badges = []
        if c.is_customer:
            badges.append(
                '<span class="badge rounded-pill bg-primary-subtle text-primary-emphasis">'
                f"{labels['customer']} {c.customer_number or ''}</span>"
            )
        if c.is_supplier:
            badges.append(
                '<span class="badge rounded-pill bg-warning-subtle text-warning-emphasis">'
                f"{labels['supplier']} {c.supplier_number or ''}</span>"
            )
        email, phone = c.primary_email, c.primary_phone
        reach = escape(email) + (" · " if email and phone else "") + escape(phone)
        name = escape(c.display_name) if c.display_name else labels["no_name"]
        kind = labels["person"] if c.kind == "person" else labels["company"]
        rows.append(
            '<li class="list-group-item">'
            f'<a class="stretched-link text-decoration-none fw-semibold" href="{prefix}{c.pk}/">'
            f"{name}</a>{archived if c.archived else ''}"
            '<div class="row small text-body-secondary mt-1 gx-3">'
            f'<div class="col-12 col-md-4">{" ".join(badges)}<span class="ms-1">{kind}</span></div>'
            f'<div class="col-12 col-md-3">{escape(c.billing_postal_code)} '
            f"{escape(c.billing_city)}</div>"
            f'<div class="col-12 col-md-5 text-truncate">{reach}</div>'
            "</div></li>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value in it is escaped above
