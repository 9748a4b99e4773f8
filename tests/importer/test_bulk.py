"""The bulk insert of imports: values as the ORM would store them, and the ORM's errors."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from contacts_app.models import Contact
from importer import bulk


def test_rows_are_stored_with_defaults_and_ids(acme):
    ids = bulk.insert_rows(
        Contact,
        [
            {"organization_id": acme.pk, "company_name": "Eins GmbH", "customer_number": 10001},
            {"organization_id": acme.pk, "company_name": "Zwei AG", "customer_number": 10002},
        ],
    )
    stored = {c.pk: c for c in Contact.objects.filter(organization=acme)}
    assert sorted(stored) == sorted(ids)
    first = stored[ids[0]]
    assert (first.company_name, first.customer_number) == ("Eins GmbH", 10001)
    assert first.billing_country == "DE"  # the field's default
    assert first.version == 1
    assert first.created_at is not None and first.updated_at == first.created_at


def test_a_taken_number_raises_django_s_integrity_error(acme):
    bulk.insert_rows(Contact, [{"organization_id": acme.pk, "customer_number": 10001}])
    # The import catches IntegrityError to check its rows again: the database driver's own
    # error (e.g. from PostgreSQL's COPY) would end as a server error instead.
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(Contact, [{"organization_id": acme.pk, "customer_number": 10001}])
