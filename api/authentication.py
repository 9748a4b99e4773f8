"""Who asks the API: an organization's key, given as `Authorization: Bearer <key>`.

No other way in: a browser's session cookie never authenticates an API request (so the API
needs no CSRF token, and a page an admin has open cannot be made to write through it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.models import Organization, User, role_at_least
from history.models import Source
from history.services import Via

from .keys import find_key, note_use
from .models import ApiKey


@dataclass
class KeyHolder:
    """`request.user` of an API request: the key, its organization and what it may do."""

    key: ApiKey

    is_authenticated = True
    is_anonymous = False

    @property
    def organization(self) -> Organization:
        return self.key.organization

    @property
    def user(self) -> User | None:
        """Who made the key: recorded as the author of what the key writes."""
        return self.key.created_by

    @property
    def via(self) -> Via:
        return Via(Source.API, label=self.key.name, reference=self.key.pk)

    def may(self, role: str) -> bool:
        return role_at_least(self.key.role, role)


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[KeyHolder, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be “Bearer” and the key, nothing else.")
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            token = ""
        key = find_key(token)
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        note_use(key)
        return KeyHolder(key), key

    def authenticate_header(self, request: Request) -> str:
        # Makes a missing or wrong key a 401 (with this header), not a 403.
        return 'Bearer realm="Kontor API"'
