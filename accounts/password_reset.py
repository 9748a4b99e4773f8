"""Password reset: links built from SITE_URL, never from the Host header; e-mails limited.

The answer is the same page whether the address has an account, has none, or has had its
share of e-mails for the hour (see `mail_limits`). The e-mail goes through the outbox like
every other, so asking for a reset never waits for a mail server.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from . import mail_limits
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

    def save(self, *, request=None, **kwargs):
        if not mail_limits.may_send(to=self.cleaned_data["email"], request=request):
            return
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(request=request, **kwargs)

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
