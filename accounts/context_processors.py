from django.conf import settings
from django.http import HttpRequest

from .models import Role


def organization(request: HttpRequest) -> dict:
    """The current organization and what the user may do in it, for every template."""
    membership = getattr(request, "membership", None)
    return {
        "current_organization": getattr(request, "organization", None),
        "current_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "can_edit": membership is not None and membership.has_role(Role.MEMBER),
        "is_admin": membership is not None and membership.has_role(Role.ADMIN),
        "signup_open": settings.SIGNUP_OPEN,
    }
