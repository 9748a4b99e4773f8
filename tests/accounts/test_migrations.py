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


@pytest.mark.django_db(transaction=True)
def test_open_invitations_of_one_address_are_closed_down_to_the_newest():
    from datetime import timedelta

    from django.utils import timezone

    apps = migrate([("accounts", "0003_pending_sign_up")])
    Organization = apps.get_model("accounts", "Organization")
    Invitation = apps.get_model("accounts", "Invitation")
    acme = Organization.objects.create(name="Acme", slug="acme")
    globex = Organization.objects.create(name="Globex", slug="globex")
    now = timezone.now()

    def invitation(organization, n, *, days_ago, **extra):
        return Invitation.objects.create(
            organization=organization,
            email="dora@newco.test",
            email_canonical="dora@newco.test",
            token_hash=f"h{n}",
            sent_at=now - timedelta(days=days_ago),
            expires_at=now - timedelta(days=days_ago) + timedelta(days=7),
            **extra,
        )

    expired = invitation(acme, 1, days_ago=10)
    older = invitation(acme, 2, days_ago=2)
    newest = invitation(acme, 3, days_ago=1)
    accepted = invitation(acme, 4, days_ago=3, accepted_at=now)
    elsewhere = invitation(globex, 5, days_ago=2)

    apps = migrate([("accounts", "0004_one_open_invitation_per_address")])
    Invitation = apps.get_model("accounts", "Invitation")
    still_open = set(
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert still_open == {newest.pk, elsewhere.pk}
    assert Invitation.objects.get(pk=accepted.pk).revoked_at is None
    assert (
        Invitation.objects.filter(pk__in=[expired.pk, older.pk], revoked_at__isnull=False).count()
        == 2
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ensure_search_index()
