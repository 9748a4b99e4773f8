"""Password reset whose e-mailed link is built from SITE_URL, never from the Host header.

The e-mail goes through the outbox like every other, so asking for a reset never waits for a
mail server (and answers alike for known and unknown addresses).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from .emails import send_templated_email
from .models import User


class SiteURLPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """The active account with a password whose canonical address is `email`'s."""
        return (
            u
            for u in User.objects.with_email(email).filter(is_active=True)
            if u.has_usable_password()
        )

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the `emails/password_reset_*` templates instead of sending in the request."""
        send_templated_email(
            template="password_reset",
            to=to_email,
            context=context,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
