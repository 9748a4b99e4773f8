"""`/healthz`: whether the services Kontor needs answer, for a load balancer or a monitor.

It needs no login and shows no data: only each check's name, whether it passed, and how long
it took. A check is a function that raises when its service is not usable; `required` checks
decide the status code (200, or 503 so that a load balancer stops sending requests here),
the others only show up as failing. Parts that bring a service of their own register a check
where they start, e.g. in their AppConfig.ready():

    from core.health import register_check

    @register_check("mail_queue", required=False)
    def mail_queue_is_moving() -> None:
        ...  # raise if the queue's oldest message has waited too long

`HealthCheckMiddleware` answers `/healthz` before any other middleware runs: no session, no
user, no host check, no HTTPS redirect, so a probe from the load balancer by IP address and
plain HTTP gets the answer, and a database that is down shows in the JSON, not as an error
page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthCheck:
    name: str
    run: Callable[[], None]
    required: bool


CHECKS: dict[str, HealthCheck] = {}


def register_check(name: str, *, required: bool = True) -> Callable:
    """Add `run` to /healthz under `name` (registering a name again replaces its check)."""

    def decorator(run: Callable[[], None]) -> Callable[[], None]:
        CHECKS[name] = HealthCheck(name=name, run=run, required=required)
        return run

    return decorator


@register_check("database")
def database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


# Kontor works on without its cache (slower): reported, but not a reason to take it out.
@register_check("cache", required=False)
def cache_answers() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not keep a value")


def run_checks() -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for check in CHECKS.values():
        started = time.monotonic()
        try:
            check.run()
        except Exception as error:  # any failure of a service is a failed check, not a 500
            logger.warning(
                "Health check %s failed: %s: %s", check.name, type(error).__name__, error
            )
            ok = False
        else:
            ok = True
        results[check.name] = {
            "ok": ok,
            "required": check.required,
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
    return results


HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """Put it first in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    checks = run_checks()
    required_ok = all(result["ok"] for result in checks.values() if result["required"])
    everything_ok = all(result["ok"] for result in checks.values())
    status = "ok" if everything_ok else ("degraded" if required_ok else "unavailable")
    return JsonResponse({"status": status, "checks": checks}, status=200 if required_ok else 503)
