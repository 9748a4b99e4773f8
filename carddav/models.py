"""App passwords: what a phone or mail program logs in to CardDAV with, one per device.

A person's login password never leaves the browser: a device gets a random password of its
own, shown once and stored only as its SHA-256 digest (it is long and random, so a slow hash
adds nothing but a cost to every request), and revoked by deleting it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import hash_token

# Lower-case letters and digits without look-alikes, in groups of four: easy to type on a phone.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS = 5  # 20 characters of 31 each: about 99 bits


def new_password() -> str:
    chars = [secrets.choice(ALPHABET) for _ in range(4 * GROUPS)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))


class AppPassword(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )
    name = models.CharField(_("device"), max_length=100)
    password_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("app password")
        verbose_name_plural = _("app passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def issue(self) -> str:
        """A fresh password for the device (shown once), of which only the digest is kept."""
        password = new_password()
        self.password_hash = hash_token(password)
        return password
