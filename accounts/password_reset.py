"""Password reset whose e-mailed link is built from SITE_URL, never from the Host header."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm

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
        kwargs["html_email_template_name"] = "emails/password_reset_body.html"
        kwargs["email_template_name"] = "emails/password_reset_body.txt"
        kwargs["subject_template_name"] = "emails/password_reset_subject.txt"
        return super().save(**kwargs)
