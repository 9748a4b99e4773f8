"""E-mails that consist of three templates: subject, plain text and HTML.

They are rendered here, in the request and in the recipient's language, and handed to the
outbox, whose worker sends them: no request waits for a mail server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from outbox.services import queue_email

if TYPE_CHECKING:
    from outbox.models import Delivery

    from .models import Invitation


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a template for plain text: nothing is HTML-escaped (`&` stays `&`)."""
    template = get_template(template_name).template  # type: ignore[attr-defined]
    return template.render(Context(context, autoescape=False))


def send_templated_email(
    *,
    template: str,
    to: str,
    context: dict,
    language: str,
    invitation: Invitation | None = None,
) -> Delivery:
    """Render `templates/emails/<template>_{subject,body}.{txt,html}` in `language` and queue it.

    `invitation` attaches the delivery to the invitation it is for, so the users page can show
    what became of it. Returns the delivery record.
    """
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_plain_text(f"emails/{template}_subject.txt", context)
        text = render_plain_text(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return queue_email(
        template=template,
        language=language,
        to=to,
        # One line: a header may hold no line breaks.
        subject=" ".join(subject.split()),
        body_text=text,
        body_html=html,
        invitation=invitation,
    )
