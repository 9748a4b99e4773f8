from django import template

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
