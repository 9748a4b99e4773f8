"""The API against its own OpenAPI schema, with requests schemathesis makes up from it.

No answer may be a 500, and every answer must be one the schema describes: its status code,
content type and body. Run through the WSGI app in this process, on the test database, with a
bounded number of examples per operation so that it takes seconds.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from api.keys import issue_key

from .helpers import company_payload

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded once, when the tests are collected: the schema is public and reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@contextmanager
def the_tests_connection_kept():
    """As Django's test client does around a request: the request must not close the
    connection that holds the test's transaction (schemathesis calls the WSGI app directly,
    and on PostgreSQL the end of the request would close it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(acme, alice) -> str:
    return issue_key(organization=acme, name="schemathesis", role=Role.MEMBER, by=alice)[1]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_answers_as_its_schema_says(case, token):
    with the_tests_connection_kept():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@pytest.mark.django_db
def test_real_answers_match_the_schema(api, acme, token):
    """Records with every part filled in (made-up requests rarely get that far)."""
    from products.services import create_product

    company = api.post("/api/v1/contacts", company_payload(note="Eine Notiz")).json()["id"]
    person = api.post(
        "/api/v1/contacts",
        {"roles": {"vendor": {}}, "person": {"firstName": "Eva", "lastName": "Adam"}},
    ).json()["id"]
    product = create_product(organization=acme, by=None, data={"name": "Tee", "price": 3})
    cases = [
        ("/contacts", "GET", {}, None),
        ("/contacts/{id}", "GET", {"id": company}, None),
        ("/contacts/{id}", "GET", {"id": person}, None),
        ("/articles", "GET", {}, None),
        ("/articles/{id}", "GET", {"id": str(product.pk)}, None),
        ("/contacts", "POST", {}, {"roles": {}}),
        ("/contacts/{id}", "PUT", {"id": company}, company_payload(version=1)),
        ("/contacts/{id}", "PUT", {"id": company}, company_payload(version=1)),
    ]
    statuses = []
    for path, method, parameters, body in cases:
        operation = schema[f"/api/v1{path}"][method]
        extra = {"body": body} if body is not None else {}
        case = operation.Case(path_parameters=parameters, media_type="application/json", **extra)
        with the_tests_connection_kept():
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
            )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 200, 200, 400, 200, 409]
