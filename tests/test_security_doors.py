"""The doors every page must have, checked for every URL and form of the project by itself.

- Every page is a class on the tenancy mixin, unless it is named here with the reason why not
  (public pages, pages for a login without an organization, the few function views).
- Every form that checks a password limits the guesses (login, the admin's login, a password
  change, a sign-up's confirmation), and the limits hold at every such URL.
- Every request body above the limit is refused at every URL before it is read.
- Every form with an e-mail address is either an identity form (its addresses compared in the
  canonical form, each covered by tests/accounts/test_email_identities.py) or a form of
  contact data; every model with an address of a person who logs in keeps its canonical form.

A new URL, view, form or model that none of these know fails here until it is added.
"""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import get_resolver, reverse

from accounts.login_throttle import PasswordGuessLimit
from accounts.tenancy import OrganizationMixin
from api.authentication import ApiKeyAuthentication
from api.views.base import KeyAuthenticatedView
from importer.uploads import ENVELOPE_BYTES
from tests.conftest import PASSWORD
from tests.test_security_audit import SAMPLE_ARGUMENTS, acme_objects, kwargs_for, walk

__all__ = ["acme_objects"]  # a fixture used below

pytestmark = pytest.mark.django_db

# Pages anyone may open: what they show or do needs no organization.
PUBLIC = {
    "home": "sends to the contacts, the sign-up or the login",
    "accounts:signup": "sign-up",
    "accounts:signup_sent": "says to check the inbox",
    "accounts:signup_confirm": "the e-mailed link of a sign-up",
    "accounts:login": "login",
    "accounts:logout": "logout",
    "accounts:password_reset": "asks for an e-mailed link",
    "accounts:password_reset_done": "says to check the inbox",
    "accounts:password_reset_confirm": "the e-mailed link of a reset",
    "accounts:password_reset_complete": "says the password was set",
    "set_language": "Django's language switch",
    "api:schema": "the API's OpenAPI schema: a description, no data",
    "api:docs": "the API's documentation page: a description, no data",
    "carddav_well_known": "redirects to the CardDAV service (RFC 6764)",
}
# CardDAV's resources: HTTP Basic with an app password on every request (carddav.auth), the
# book found through the person's memberships (carddav.books.book_for), never the session.
DAV = dict.fromkeys(
    ["carddav:root", "carddav:principal", "carddav:home", "carddav:book", "carddav:card"],
    "CardDAV: Basic authentication, tenancy through the person's memberships",
)
# Pages for a person logged in, with or without an organization.
ACCOUNT_ONLY = {
    "accounts:password_change": "one's own password",
    "accounts:password_change_done": "says the password was changed",
    "accounts:no_organization": "says there is none yet",
    "accounts:organization_create": "makes one's own",
    "accounts:organization_switch": "between one's own",
    "carddav:devices": "one's own app passwords",
    "carddav:device_create": "one's own app passwords",
    "carddav:device_revoke": "one's own app passwords",
}
# Function views, each for its reason (the README's architecture section names them too).
FUNCTION_VIEWS = {
    "accounts:invitation_open": "moves the token from the link into the session",
    "accounts:invitation_accept": "one page whose form depends on who follows the link",
    "importer:upload": "switches CSRF protection around its size-limited upload handler",
}


def routed_views():
    for name, route, pattern in walk(get_resolver()):
        yield name, route, pattern.callback


def test_every_page_is_a_class_on_the_tenancy_mixin_or_named_with_its_reason():
    for name, route, callback in routed_views():
        view_class = getattr(callback, "view_class", None)
        if name in PUBLIC or name in ACCOUNT_ONLY or name in DAV:
            continue
        if name in FUNCTION_VIEWS:
            assert view_class is None, f"{name} is a class now: take it off FUNCTION_VIEWS"
            continue
        assert view_class is not None, f"{route} ({name}) is a function view nobody named"
        if issubclass(view_class, KeyAuthenticatedView):
            # The API: an organization's key, never the session (which would need CSRF).
            assert view_class.authentication_classes == [ApiKeyAuthentication], name
            continue
        assert issubclass(view_class, OrganizationMixin), (
            f"{route} ({name}): {view_class.__name__} is not on accounts.tenancy's mixin"
        )


def test_the_pages_for_accounts_without_an_organization_ask_for_a_login(client):
    for name, _route, pattern in walk(get_resolver()):
        if name not in ACCOUNT_ONLY:
            continue
        response = client.get(reverse(name, kwargs=SAMPLE_ARGUMENTS.get(name)))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), name


# --- password guesses ---------------------------------------------------------------------------

CHECKED_PASSWORD_FIELDS = {"password", "old_password"}


def checks_a_password(form_class: type) -> bool:
    """Whether the form asks for a password someone already has (not a new one)."""
    fields = getattr(form_class, "base_fields", {})
    return any(
        name in CHECKED_PASSWORD_FIELDS and isinstance(field.widget, forms.PasswordInput)
        for name, field in fields.items()
    )


def password_forms():
    for name, _route, callback in routed_views():
        view_class = getattr(callback, "view_class", None)
        form_class = getattr(view_class, "form_class", None)
        if form_class is not None:
            yield name, form_class
    yield "admin:login", admin.site.login_form


def test_every_form_that_checks_a_password_limits_the_guesses():
    found = dict(password_forms())
    checked = {name: f for name, f in found.items() if f is not None and checks_a_password(f)}
    assert {"accounts:login", "admin:login", "accounts:password_change"} <= set(checked)
    for name, form_class in checked.items():
        assert issubclass(form_class, PasswordGuessLimit), (
            f"{name}: {form_class.__name__} checks a password without limiting the guesses"
        )


def guess(client: Client, url: str, field: str, password: str, **extra) -> str:
    data = {field: password, "username": "alice@acme.test", **extra}
    if field == "old_password":
        data.update(
            new_password1="a fresh long passphrase", new_password2="a fresh long passphrase"
        )
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize(
    ("url", "field", "logged_in"),
    [
        ("/login/", "password", False),
        ("/admin/login/", "password", False),
        ("/password/change/", "old_password", True),
    ],
)
def test_the_limit_holds_at_every_password_url(settings, alice, url, field, logged_in):
    settings.LOGIN_FAILURE_LIMIT = 3
    alice.is_staff = True
    alice.save()
    client = Client()
    if logged_in:
        client.force_login(alice)
    for _ in range(3):
        assert "Too many failed" not in guess(client, url, field, "wrong password")

    answer = guess(client, url, field, PASSWORD)

    assert "Too many failed login attempts" in answer
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# --- request bodies -----------------------------------------------------------------------------


def every_url(objects: dict):
    for name, _route, pattern in walk(get_resolver()):
        arguments = list(pattern.pattern.converters)
        if not arguments:
            yield name, reverse(name)
        elif name in SAMPLE_ARGUMENTS:
            yield name, reverse(name, kwargs=SAMPLE_ARGUMENTS[name])
        else:
            yield name, reverse(name, kwargs=kwargs_for(name, arguments, objects))


def test_every_url_refuses_a_body_above_its_limit(alice, acme_objects):
    client = Client()
    client.force_login(alice)
    small_limit = settings.REQUEST_BODY_MAX_BYTES
    urls = list(every_url(acme_objects))
    assert len(urls) > 40
    for name, url in [*urls, ("admin:login", "/admin/login/")]:
        # The upload's limit is for its file; the form around it may add a little.
        limit = (
            settings.IMPORT_MAX_BYTES + ENVELOPE_BYTES
            if name in settings.REQUEST_BODY_LIMIT_EXEMPT_URLS
            else small_limit
        )
        body = b"x" * (limit + 1)
        response = client.post(url, body, content_type="application/octet-stream")
        assert response.status_code == 413, f"POST {url} with {limit + 1} bytes"


# --- e-mail identities --------------------------------------------------------------------------

# Forms whose address names a person who logs in: each is covered by the variant tests of
# tests/accounts/test_email_identities.py (which names it).
IDENTITY_FORMS = {"SignUpForm", "InviteForm", "SiteURLPasswordResetForm", "PasswordResetForm"}
# Forms whose addresses are data of a contact, not anybody's login.
DATA_FORMS = {"ContactForm", "ContactPersonForm"}
PROJECT_APPS = (
    "accounts",
    "contacts_app",
    "products",
    "importer",
    "history",
    "outbox",
    "core",
    "api",
)


def project_form_classes():
    for app in PROJECT_APPS:
        package = import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = import_module(module_info.name)
            for _name, member in inspect.getmembers(module, inspect.isclass):
                if issubclass(member, forms.BaseForm) and member.__module__ == module.__name__:
                    yield member


def has_an_address(form_class: type) -> bool:
    fields = getattr(form_class, "base_fields", {})
    return any(isinstance(field, forms.EmailField) for field in fields.values())


def test_every_form_with_an_address_is_known_as_identity_or_data():
    with_addresses = {f.__name__ for f in project_form_classes() if has_an_address(f)}
    assert {"SignUpForm", "InviteForm", "ContactForm"} <= with_addresses
    unknown = with_addresses - IDENTITY_FORMS - DATA_FORMS
    assert not unknown, (
        f"{unknown}: say whether the address is an identity (and test its variants in "
        "tests/accounts/test_email_identities.py) or contact data"
    )


def test_the_identity_forms_are_covered_by_the_variant_tests():
    with open("tests/accounts/test_email_identities.py", encoding="utf-8") as source:
        covered = source.read()
    for url in ("/signup/", "/settings/users/invite/", "/password/reset/", "/login/"):
        assert url in covered or url.rstrip("/") in covered, url


def test_every_model_with_the_address_of_a_person_who_logs_in_keeps_its_canonical_form():
    for model in apps.get_app_config("accounts").get_models():
        addresses = [f.name for f in model._meta.fields if isinstance(f, models.EmailField)]
        if model.__name__ == "AuditEvent":
            continue  # what the trail says happened, never looked up
        for name in addresses:
            assert f"{name}_canonical" in {f.name for f in model._meta.fields}, (
                f"{model.__name__}.{name} has no {name}_canonical to compare by"
            )
