"""API keys for the personas, and a client that sends them."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role
from api.keys import issue_key


class ApiClient:
    """Django's test client speaking JSON with `Authorization: Bearer <key>`."""

    def __init__(self, token: str | None, language: str = "en") -> None:
        self.client = Client()
        self.headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def get(self, url: str, params: dict | None = None, **extra):
        return self.client.get(url, params or {}, **self.headers, **extra)

    def post(self, url: str, data=None, **extra):
        return self.client.post(url, data, content_type="application/json", **self.headers, **extra)

    def put(self, url: str, data=None, **extra):
        return self.client.put(url, data, content_type="application/json", **self.headers, **extra)

    def delete(self, url: str, **extra):
        return self.client.delete(url, **self.headers, **extra)


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_SECOND = 1000


@pytest.fixture
def shop_key(acme, alice):
    return issue_key(organization=acme, name="Online shop", role=Role.MEMBER, by=alice)


@pytest.fixture
def api(shop_key) -> ApiClient:
    return ApiClient(shop_key[1])


@pytest.fixture
def viewer_api(acme, alice) -> ApiClient:
    _key, token = issue_key(organization=acme, name="Report", role=Role.VIEWER, by=alice)
    return ApiClient(token)


@pytest.fixture
def globex_api(globex, charlie) -> ApiClient:
    _key, token = issue_key(organization=globex, name="Globex shop", role=Role.MEMBER, by=charlie)
    return ApiClient(token)


@pytest.fixture
def anonymous_api(db) -> ApiClient:
    return ApiClient(None)
