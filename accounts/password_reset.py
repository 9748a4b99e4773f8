"""Password reset: links built from SITE_URL, never from the Host header; e-mails limited.

The answer is the same page whether the address has an account, has none, or has had its
share of e-mails for the hour (see `mail_limits`). The request only queues the address
(`tasks.send_password_reset`); the worker looks for the account and e-mails the link through
the outbox like every other e-mail, so the request takes the same time for every address.
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
        """Queue the reset; nothing in the request depends on whether the address is known."""
        from .tasks import send_password_reset

        email = self.cleaned_data["email"]
        if not mail_limits.may_send(to=email, request=request):
            return
        send_password_reset.enqueue(email, translation.get_language() or settings.LANGUAGE_CODE)

    def send_links(self, *, language: str) -> int:
        """For the worker: e-mail the link to the address's account, if there is one."""
        site = urlsplit(settings.SITE_URL)
        with translation.override(language):
            super().save(domain_override=site.netloc, use_https=site.scheme == "https")
        return len(getattr(self, "_sent", []))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the `emails/password_reset_*` templates."""
        send_templated_email(
            template="password_reset",
            to=to_email,
            context=context,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        self.__dict__.setdefault("_sent", []).append(to_email)
