from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ..models import WebProfile

register = template.Library()


@register.filter
def tel_href(value: str) -> str:
    """A phone number as a tel: link wants it: digits, a leading + and no spaces."""
    value = value.strip()
    digits = "".join(c for c in value if c.isdigit())
    return ("+" if value.startswith("+") else "") + digits


@register.filter
def profile_url(profile: WebProfile) -> str:
    from ..validators import web_profile_url

    return web_profile_url(profile.kind, profile.value)


@register.simple_tag
def contact_rows(contacts) -> str:
    """The result rows of the contact list.

    Built in Python rather than with a template loop: the search renders this list at every
    keystroke, and the template engine's per-variable work was most of a search's time.
    """
    labels = {
        "customer": gettext("Customer"),
        "supplier": gettext("Supplier"),
        "person": gettext("Person"),
        "company": gettext("Company"),
        "archived": gettext("archived"),
        "no_name": gettext("(no name)"),
    }
    prefix = reverse("contacts:list")
    rows = []
    for c in contacts:
        badges = []
        if c.is_customer:
            badges.append(
                format_html(
                    '<span class="badge rounded-pill bg-primary-subtle text-primary-emphasis">'
                    "{} {}</span>",
                    labels["customer"],
                    c.customer_number or "",
                )
            )
        if c.is_supplier:
            badges.append(
                format_html(
                    '<span class="badge rounded-pill bg-warning-subtle text-warning-emphasis">'
                    "{} {}</span>",
                    labels["supplier"],
                    c.supplier_number or "",
                )
            )
        email, phone = c.primary_email, c.primary_phone
        reach = format_html("{}{}{}", email, " · " if email and phone else "", phone)
        archived = (
            format_html('<span class="badge text-bg-secondary ms-1">{}</span>', labels["archived"])
            if c.archived
            else ""
        )
        rows.append(
            format_html(
                '<li class="list-group-item">'
                '<a class="stretched-link text-decoration-none fw-semibold" href="{}{}/">{}</a>{}'
                '<div class="row small text-body-secondary mt-1 gx-3">'
                '<div class="col-12 col-md-4">{}<span class="ms-1">{}</span></div>'
                '<div class="col-12 col-md-3">{} {}</div>'
                '<div class="col-12 col-md-5 text-truncate">{}</div>'
                "</div></li>",
                prefix,
                c.pk,
                c.display_name or labels["no_name"],
                archived,
                mark_safe(" ".join(badges)),  # noqa: S308 - built from format_html pieces
                labels["person"] if c.kind == "person" else labels["company"],
                c.billing_postal_code,
                c.billing_city,
                reach,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every row comes from format_html
