from django import template

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
