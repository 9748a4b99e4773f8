"""What every operation's documentation shares: the error answers and the page parameters."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from ..serializers import ErrorSerializer

ERRORS = {
    400: "The request is not valid; `details` names each field and why.",
    401: "No API key, or one that is not valid or was revoked.",
    403: "The key may only read.",
    404: "No such record in the key's organization.",
    409: "The record was changed since the version given.",
    415: "The body is not JSON (send Content-Type: application/json).",
    429: "Over the key's rate limit; `Retry-After` says when to try again.",
}
LIST_PARAMETERS = [
    OpenApiParameter("page", int, description="The page, from 0."),
    OpenApiParameter("size", int, description="Entries per page, 1 to 250 (25 if not given)."),
]


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error answers of an operation: those named, and 401 and 429 for every one."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=ERRORS[status])
        for status in sorted({401, 429, *statuses})
    }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from Settings → API keys.",
        }
