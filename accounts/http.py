"""HTTP method checks that do not give away which objects exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST


def require_POST_for(find: Callable[..., object]) -> Callable:
    """Like Django's `require_POST`, but the object named by the URL is looked up first.

    `require_POST` answers 405 before the view runs, so a GET would tell another organization
    that an object with that id exists somewhere. Here `find(request, **url_kwargs)` runs first
    and answers 404 for anything the current organization does not own; only its own members
    get the 405. Apply it below the organization and role decorators.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        post_only = require_POST(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "POST":
                find(request, *args, **kwargs)
            return post_only(request, *args, **kwargs)

        return wrapper

    return decorator
