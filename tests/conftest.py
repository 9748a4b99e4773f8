"""The personas every test can use.

alice is the admin of Acme, bob a member, vera a viewer; charlie is the admin of another
organization (Globex) and must never see anything of Acme's.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Membership, Organization, Role, User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://kontor.test"
    settings.MEDIA_ROOT = tmp_path / "media"
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": memory, "login_limits": {**memory, "LOCATION": "login-limits"}}
    # Queued e-mails are sent at once, so a test sees them in mail.outbox after the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def make_user(email: str, first: str, last: str) -> User:
    return User.objects.create_user(email, PASSWORD, first_name=first, last_name=last)


@pytest.fixture
def acme(db) -> Organization:
    return Organization.objects.create(name="Acme GmbH", slug="acme")


@pytest.fixture
def globex(db) -> Organization:
    return Organization.objects.create(name="Globex AG", slug="globex")


@pytest.fixture
def alice(acme) -> User:
    user = make_user("alice@acme.test", "Alice", "Admin")
    Membership.objects.create(user=user, organization=acme, role=Role.ADMIN)
    return user


@pytest.fixture
def bob(acme) -> User:
    user = make_user("bob@acme.test", "Bob", "Member")
    Membership.objects.create(user=user, organization=acme, role=Role.MEMBER)
    return user


@pytest.fixture
def vera(acme) -> User:
    user = make_user("vera@acme.test", "Vera", "Viewer")
    Membership.objects.create(user=user, organization=acme, role=Role.VIEWER)
    return user


@pytest.fixture
def charlie(globex) -> User:
    user = make_user("charlie@globex.test", "Charlie", "Other")
    Membership.objects.create(user=user, organization=globex, role=Role.ADMIN)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return client_for(bob)


@pytest.fixture
def vera_client(vera) -> Client:
    return client_for(vera)


@pytest.fixture
def charlie_client(charlie) -> Client:
    return client_for(charlie)


@pytest.fixture
def database_shared_by_threads(transactional_db, tmp_path):
    """A database several threads write to the way they would in production.

    SQLite's in-memory test database is shared through a shared cache, whose table locks fail at
    once ("database table is locked") instead of waiting like the file locks of a real database
    do. So for SQLite the test database is copied to a file for the length of the test.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "concurrency.sqlite3"
    with sqlite3.connect(path) as copy:
        memory.backup(copy)
    name = connection.settings_dict["NAME"]
    connection.connection = None  # keep the in-memory database alive, but out of the way
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory
