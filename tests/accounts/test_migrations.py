"""Migrating existing accounts to canonical addresses: collisions are reported, not merged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contacts_app.search import ensure_search_index

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_canonical_email")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_get_canonical_addresses_and_collisions_are_reported(capsys):
    apps = migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    alice = User.objects.create(email="Alice@Acme.test", password="x")
    # Two accounts the old case-insensitive rule let in beside each other.
    twin = User.objects.create(email="alice@\uff41cme.test", password="x")
    anna = User.objects.create(email="anna@bücher.test", password="x")
    Organization = apps.get_model("accounts", "Organization")
    org = Organization.objects.create(name="Acme", slug="acme")
    Invitation = apps.get_model("accounts", "Invitation")
    invitation = Invitation.objects.create(
        organization=org, email="Dora@Example.TEST", token_hash="h", expires_at="2030-01-01T00:00Z"
    )

    apps = migrate(AFTER)
    User = apps.get_model("accounts", "User")
    assert User.objects.get(pk=alice.pk).email_canonical == "alice@acme.test"
    assert User.objects.get(pk=anna.pk).email_canonical == "anna@xn--bcher-kva.test"
    kept_apart = User.objects.get(pk=twin.pk)
    assert kept_apart.email == "alice@\uff41cme.test"  # nothing merged, nothing deleted
    assert kept_apart.email_canonical.startswith("collision:")
    Invitation = apps.get_model("accounts", "Invitation")
    assert Invitation.objects.get(pk=invitation.pk).email_canonical == "dora@example.test"
    report = capsys.readouterr().out
    assert f"Account {twin.pk} (alice@\uff41cme.test)" in report
    assert f"as account {alice.pk}" in report

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ensure_search_index()
