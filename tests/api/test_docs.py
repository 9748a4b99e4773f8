"""The schema and the documentation page: public, from installed packages, no inline script."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_json_and_names_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/contacts",
        "/api/v1/contacts/{id}",
        "/api/v1/articles",
        "/api/v1/articles/{id}",
    }
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_the_docs_page_runs_under_the_content_security_policy(client):
    response = client.get("/api/v1/docs")

    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert len(sources) == 3 and page.count("<script") == 3, "no inline script"
    for source in sources[:2]:
        assert source.startswith("/static/drf_spectacular_sidecar/")
        assert finders.find(source.removeprefix("/static/")), source
    init = client.get(sources[2])
    assert init["Content-Type"].startswith("application/javascript")
    assert "/api/v1/openapi.json" in init.content.decode()
