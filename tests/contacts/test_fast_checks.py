"""The one-step checks for plain e-mail and web addresses may only accept what the full checks do.

Imports take the one-step way for thousands of cells; a value it wrongly let through would be
stored unchecked. Hypothesis generates values the one-step pattern accepts and the full check
must accept every one of them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts_app.validators import _PLAIN_WEB_ADDRESS, validate_web_profile
from importer.columns import PLAIN_EMAIL, email

full_url_check = URLValidator(schemes=["http", "https"])


@settings(max_examples=100, deadline=None)
@given(st.from_regex(PLAIN_EMAIL, fullmatch=True).filter(lambda v: len(v) <= 254))
def test_every_plain_email_passes_the_full_check(value):
    validate_email(value)
    assert email(value) == value


@settings(max_examples=100, deadline=None)
@given(st.from_regex(_PLAIN_WEB_ADDRESS, fullmatch=True).filter(lambda v: len(v) <= 200))
def test_every_plain_web_address_passes_the_full_check(value):
    full_url_check(value)
    parts = urlsplit(value)
    assert parts.username is None
    assert "." in parts.hostname
    assert validate_web_profile("website", value) == value


@pytest.mark.parametrize(
    "value",
    ["anna..b@example.de", ".anna@example.de", "anna@-example.de", "anna@example", "a@b.c"],
)
def test_addresses_the_full_check_refuses_stay_refused(value):
    with pytest.raises(ValidationError):
        email(value)


@pytest.mark.parametrize(
    "value",
    [
        "https://user@example.de/",
        "https://localhost/",
        "https://example..de",
        "http://-example.de",
        "javascript:alert(1)",
        "https://exa mple.de",
    ],
)
def test_web_addresses_the_full_check_refuses_stay_refused(value):
    with pytest.raises(ValidationError):
        validate_web_profile("website", value)
