"""Customer and supplier numbers: ranges, both roles, never reused, per organization, concurrent."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from contacts_app import services
from contacts_app.models import Contact, NumberSequence

from .conftest import contact_post_data, make_company, make_person

pytestmark = pytest.mark.django_db


def test_it_numbers_customers_from_10000(acme):
    first = make_company(acme, "Alpha GmbH")
    second = make_person(acme, "Erika", "Mustermann")
    assert (first.customer_number, second.customer_number) == (10000, 10001)
    assert first.supplier_number is None


def test_it_numbers_suppliers_from_70000(acme):
    supplier = make_company(acme, "Lieferant AG", is_customer=False, is_supplier=True)
    assert supplier.supplier_number == 70000
    assert supplier.customer_number is None


def test_it_gives_a_contact_with_both_roles_both_numbers(acme):
    make_company(acme, "Erster Kunde")
    both = make_company(acme, "Kunde und Lieferant", is_customer=True, is_supplier=True)
    assert (both.customer_number, both.supplier_number) == (10001, 70000)


def test_it_never_reuses_a_deleted_number(acme):
    make_company(acme, "One")
    last = make_company(acme, "Two")
    assert last.customer_number == 10001
    services.delete_contact(contact=last)
    assert make_company(acme, "Three").customer_number == 10002


def test_it_never_reuses_the_number_of_the_only_contact(acme):
    only = make_company(acme, "Only")
    services.delete_contact(contact=only)
    assert make_company(acme, "Next").customer_number == 10001


def test_it_counts_per_organization(acme, globex):
    make_company(acme, "Acme customer")
    make_company(acme, "Acme customer 2")
    assert make_company(globex, "Globex customer").customer_number == 10000
    assert make_company(acme, "Acme customer 3").customer_number == 10002


def test_it_adds_a_number_when_a_role_is_added_on_edit(acme):
    contact = make_company(acme, "Später auch Lieferant")
    updated = services.update_contact(
        contact=contact,
        data={"is_supplier": True},
        by=None,
        expected_version=contact.version,
    )
    assert (updated.customer_number, updated.supplier_number) == (10000, 70000)


def test_it_skips_numbers_that_are_already_taken(acme):
    # A contact brought in with its old number (e.g. by the importer) blocks that number.
    Contact.objects.create(
        organization=acme, kind="company", company_name="Imported", customer_number=10001
    )
    NumberSequence.objects.create(organization=acme, role="customer", last_value=10000)
    assert make_company(acme, "New").customer_number == 10002


def test_it_starts_after_the_highest_existing_number(acme):
    Contact.objects.create(
        organization=acme, kind="company", company_name="Imported", customer_number=12345
    )
    assert make_company(acme, "New").customer_number == 12346


def test_it_reserves_blocks_of_numbers(acme):
    with transaction.atomic():
        block = services.allocate_numbers(organization=acme, role="supplier", count=3)
    assert block == [70000, 70001, 70002]
    assert make_company(acme, "S", is_customer=False, is_supplier=True).supplier_number == 70003


def test_it_refuses_a_customer_when_the_range_is_used_up(acme):
    NumberSequence.objects.create(organization=acme, role="customer", last_value=69999)
    with pytest.raises(services.NumberRangeExhausted):
        make_company(acme, "One too many")
    assert not Contact.objects.filter(company_name="One too many").exists()


def test_it_refuses_a_supplier_when_the_range_is_used_up(acme):
    NumberSequence.objects.create(organization=acme, role="supplier", last_value=99998)
    last = make_company(acme, "Last", is_customer=False, is_supplier=True)
    assert last.supplier_number == 99999
    with pytest.raises(services.NumberRangeExhausted):
        make_company(acme, "One too many", is_customer=False, is_supplier=True)


def test_it_does_not_hand_out_customer_numbers_from_the_supplier_range(acme):
    # A customer number can never run into 70000 and collide with the suppliers' range.
    NumberSequence.objects.create(organization=acme, role="customer", last_value=69998)
    assert make_company(acme, "Last customer").customer_number == 69999
    with pytest.raises(services.NumberRangeExhausted):
        make_company(acme, "Over")


def test_it_gives_distinct_numbers_to_contacts_created_at_once(acme, database_shared_by_threads):
    threads_count, per_thread = 8, 5
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def create_some(index: int) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                make_company(acme, f"Parallel {index}-{n}", is_supplier=True)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_some, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = threads_count * per_thread
    customer = list(Contact.objects.values_list("customer_number", flat=True))
    supplier = list(Contact.objects.values_list("supplier_number", flat=True))
    assert sorted(customer) == list(range(10000, 10000 + total))
    assert sorted(supplier) == list(range(70000, 70000 + total))


def test_the_form_says_when_the_numbers_are_used_up(alice_client, acme):
    NumberSequence.objects.create(organization=acme, role="supplier", last_value=99999)
    response = alice_client.post(
        reverse("contacts:create"),
        contact_post_data(company_name="Zu viel GmbH", is_customer=False, is_supplier=True),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["is_supplier"] == [
        "All numbers for this role (70000–99999) are used up."
    ]
    assert not Contact.objects.filter(company_name="Zu viel GmbH").exists()
