"""What every API view shares: the key, the rate limit, the object, the role, the JSON.

The checks run in this order, so that an answer tells no more than it must: no valid key →
401; over the key's rate → 429; an id of another organization (or none) → 404; a viewer key
that writes → 403; then the request itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import Organization, Role

from ..authentication import ApiKeyAuthentication, KeyHolder
from ..ids import from_uuid
from ..throttling import PerKeyRateThrottle

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class HasKey(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, KeyHolder)


class AlwaysJson(BaseContentNegotiation):
    """Every answer is JSON, whatever the client's Accept header says (never a 406)."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        for parser in parsers:
            if request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class KeyAuthenticatedView(APIView):
    """An API endpoint: only for a valid key, never for a browser's session."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasKey]
    throttle_classes = [PerKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJson
    # The kind of record the URL's `id` names (api.ids), and where such records are.
    id_kind: int = 0
    model: type[Model]
    holder: KeyHolder

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # the key (401), then the rate (429)
        self.holder = request.user  # type: ignore[assignment]
        if "id" in kwargs:
            self.object = self.get_object(kwargs["id"])  # 404 before any 403
        if request.method not in SAFE_METHODS and not self.holder.may(Role.MEMBER):
            raise exceptions.PermissionDenied()

    @property
    def organization(self) -> Organization:
        return self.holder.organization

    def get_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.filter(organization=self.organization)

    def get_object(self, text: str) -> Any:
        pk = from_uuid(self.id_kind, text)
        found = self.get_queryset().filter(pk=pk).first() if pk else None
        if found is None:
            raise Http404
        return found

    def shape(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """The request's JSON, its shape checked (400 with every problem otherwise)."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)
