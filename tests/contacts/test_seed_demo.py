"""manage.py seed_demo: realistic contacts that behave like typed-in ones."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from contacts_app.data_checks import contact_problems
from contacts_app.models import Contact, Note, NumberSequence, WebProfile
from contacts_app.selectors import ContactFilter, contact_list
from contacts_app.validators import validate_postal_code, validate_tax_number, validate_vat_id

from .conftest import make_company

pytestmark = pytest.mark.django_db


def seed(organization, count: int, seed: int = 3) -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        organization=organization.slug,
        contacts=count,
        seed=seed,
        stdout=out,
    )
    return out.getvalue()


def test_it_fills_an_organization(acme, alice):
    output = seed(acme, 300)
    assert "Added 300 contacts to Acme GmbH" in output
    contacts = Contact.objects.filter(organization=acme)
    assert contacts.count() == 300
    kinds = dict(contacts.values_list("kind").annotate(n=Count("id")))
    assert kinds["company"] > 150 and kinds["person"] > 50

    persons_per_company = set(
        contacts.filter(kind="company").annotate(n=Count("persons")).values_list("n", flat=True)
    )
    assert persons_per_company == {1, 2, 3}
    assert not contacts.filter(kind="person", persons__isnull=False).exists()
    assert Note.objects.filter(contact__organization=acme, author=alice).exists()
    assert WebProfile.objects.filter(contact__organization=acme, kind="website").exists()
    assert contacts.exclude(billing_country="DE").exists()
    assert contacts.filter(company_name__regex=r"[äöüß]").exists()


def test_it_numbers_and_indexes_like_the_services(acme):
    seed(acme, 120)
    contacts = Contact.objects.filter(organization=acme)
    assert not contacts.filter(is_customer=True, customer_number=None).exists()
    assert not contacts.filter(is_supplier=True, supplier_number=None).exists()
    assert contacts.filter(is_customer=True, is_supplier=True).exists()
    customers = sorted(
        contacts.exclude(customer_number=None).values_list("customer_number", flat=True)
    )
    assert customers == list(range(10000, 10000 + len(customers)))
    # The next contact typed in continues the sequence.
    assert make_company(acme, "Danach GmbH").customer_number == customers[-1] + 1

    sample = contacts.filter(kind="company").prefetch_related("persons").first()
    assert sample.display_name == sample.company_name
    assert sample.search_text
    person = sample.persons.all()[0]
    found = contact_list(acme, ContactFilter(query=person.last_name, archived=sample.archived))
    assert sample in found
    found = contact_list(acme, ContactFilter(query=person.email, archived=sample.archived))
    assert list(found) == [sample]


def test_the_same_seed_gives_the_same_contacts(acme, globex):
    seed(acme, 60, seed=7)
    seed(globex, 60, seed=7)

    def names(org):
        return list(
            Contact.objects.filter(organization=org).order_by("id").values_list("display_name")
        )

    assert names(acme) == names(globex)


def test_it_adds_to_what_is_there(acme):
    make_company(acme, "Schon da GmbH")
    seed(acme, 10)
    assert Contact.objects.filter(organization=acme).count() == 11


def test_it_says_when_the_organization_does_not_exist(db):
    with pytest.raises(CommandError, match="No organization with the slug “nope”"):
        call_command("seed_demo", organization="nope", contacts=5)


def test_it_goes_on_without_numbers_when_the_ranges_are_used_up(acme):
    NumberSequence.objects.create(organization=acme, role="customer", last_value=69990)
    NumberSequence.objects.create(organization=acme, role="supplier", last_value=99995)
    output = seed(acme, 40)
    contacts = Contact.objects.filter(organization=acme)
    assert contacts.count() == 40
    assert contacts.exclude(customer_number=None).count() == 9
    assert contacts.exclude(supplier_number=None).count() == 4
    assert "lack a customer or supplier number" in output


def test_every_generated_value_passes_the_checks(acme):
    seed(acme, 400, seed=11)
    contacts = Contact.objects.filter(organization=acme).prefetch_related("persons")
    assert contacts.exclude(vat_id="").count() > 100
    assert contacts.exclude(tax_number="").count() > 80
    assert contacts.exclude(billing_country="DE").count() > 20
    for contact in contacts:
        country = contact.billing_country.code
        assert contact_problems(contact, contact.persons.all()) == [], contact.display_name
        # Stored as the form would store them, too.
        if contact.vat_id:
            assert validate_vat_id(contact.vat_id) == contact.vat_id
        if contact.tax_number:
            assert validate_tax_number(contact.tax_number, country) == contact.tax_number
        code = contact.billing_postal_code
        assert validate_postal_code(code, country) == code


def test_demo_tax_numbers_cover_the_lands_formats(acme):
    seed(acme, 400, seed=11)
    numbers = Contact.objects.filter(organization=acme).exclude(tax_number="")
    layouts = {
        tuple(len(g) for g in n.split("/")) for n in numbers.values_list("tax_number", flat=True)
    }
    assert {(5, 5), (3, 3, 5), (2, 3, 5), (3, 4, 4)} <= layouts
