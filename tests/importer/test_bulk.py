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


def test_rows_numbered_by_the_database_and_reserved_ids_never_collide(acme):
    plain = [{"organization_id": acme.pk, "company_name": f"Ohne {n}"} for n in range(3)]
    with transaction.atomic():
        assert bulk.insert_rows(Contact, plain, return_ids=False) == []
        ids = bulk.insert_rows(Contact, [{"organization_id": acme.pk, "company_name": "Mit"}])
        bulk.insert_rows(Contact, plain[:1], return_ids=False)
    names = dict(Contact.objects.filter(organization=acme).values_list("pk", "company_name"))
    assert len(names) == 5
    assert names[ids[0]] == "Mit"
    assert sorted(names.values()) == ["Mit", "Ohne 0", "Ohne 0", "Ohne 1", "Ohne 2"]


def test_values_in_one_parameter_find_the_same_rows_as_a_list(acme):
    ids = bulk.insert_rows(
        Contact,
        [{"organization_id": acme.pk, "customer_number": 10001 + n} for n in range(5)],
    )
    wanted = [10002, 10004, 99999]
    found = Contact.objects.filter(customer_number__in=bulk.one_of(wanted))
    assert sorted(c.pk for c in found) == [ids[1], ids[3]]
    names = Contact.objects.filter(company_name__in=bulk.one_of(["", "x"])).count()
    assert names == 5
