"""`manage.py purge_trash` deletes for good what has been in the trash longer than TRASH_DAYS."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts_app import services as contact_services
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from history.models import Action, Change, Source
from history.services import COMMAND
from products import services as product_services
from products.models import Product

pytestmark = pytest.mark.django_db


def company(organization, name: str, *, trashed_days_ago: int | None = None) -> Contact:
    contact = contact_services.create_contact(
        organization=organization,
        data={"kind": "company", "company_name": name},
        by=None,
        persons=[{"first_name": "Jana", "last_name": "Schröder"}, {"last_name": "Weber"}],
        profiles=[{"kind": "website", "value": "https://example.org"}],
    )
    contact_services.add_note(contact=contact, text="Notiz", by=None)
    if trashed_days_ago is not None:
        contact_services.trash_contact(contact=contact, by=None)
        moved = timezone.now() - timedelta(days=trashed_days_ago)
        Contact.all_objects.filter(pk=contact.pk).update(deleted_at=moved)
    return contact


def product(organization, name: str, *, trashed_days_ago: int | None = None) -> Product:
    item = product_services.create_product(
        organization=organization, data={"name": name, "price": Decimal(1)}, by=None
    )
    if trashed_days_ago is not None:
        product_services.trash_product(product=item, by=None)
        moved = timezone.now() - timedelta(days=trashed_days_ago)
        Product.all_objects.filter(pk=item.pk).update(deleted_at=moved)
    return item


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_trash", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_what_is_older_than_the_trash_days_and_keeps_the_rest(acme, globex):
    old = company(acme, "Alt GmbH", trashed_days_ago=31)
    recent = company(acme, "Neu GmbH", trashed_days_ago=29)
    live = company(acme, "Lebendig GmbH")
    foreign = company(globex, "Fremd AG", trashed_days_ago=40)
    old_product = product(acme, "Altes Produkt", trashed_days_ago=31)
    recent_product = product(acme, "Neues Produkt", trashed_days_ago=1)

    output = purge()

    assert set(Contact.all_objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not ContactPerson.objects.filter(contact__in=[old.pk, foreign.pk]).exists()
    assert not WebProfile.objects.filter(contact__in=[old.pk, foreign.pk]).exists()
    assert not Note.objects.filter(contact__in=[old.pk, foreign.pk]).exists()
    assert ContactPerson.objects.filter(contact=recent).count() == 2
    assert set(Product.all_objects.values_list("pk", flat=True)) == {recent_product.pk}
    assert not Product.all_objects.filter(pk=old_product.pk).exists()
    assert "acme: 1 contact deleted for good" in output
    assert "globex: 1 contact deleted for good" in output
    assert "acme: 1 product deleted for good" in output
    assert "3 from the trash deleted for good" in output


def test_each_deletion_is_recorded_as_done_by_the_command(acme):
    old = company(acme, "Alt GmbH", trashed_days_ago=31)
    old_product = product(acme, "Altes Produkt", trashed_days_ago=31)

    purge()

    for kind, pk in (("contact", old.pk), ("product", old_product.pk)):
        deleted = Change.objects.filter(kind=kind, object_id=pk).latest("id")
        assert deleted.action == Action.DELETED
        assert (deleted.changeset.source, deleted.changeset.label) == (
            Source.COMMAND,
            "purge_trash",
        )
        assert deleted.changeset.actor is None


def test_it_follows_the_trash_days_setting(acme, settings):
    settings.TRASH_DAYS = 7
    week_old = company(acme, "Woche GmbH", trashed_days_ago=8)
    days_old = company(acme, "Tage GmbH", trashed_days_ago=6)

    purge()

    assert not Contact.all_objects.filter(pk=week_old.pk).exists()
    assert Contact.all_objects.filter(pk=days_old.pk).exists()


def test_it_names_what_it_deleted_when_asked(acme):
    company(acme, "Alt GmbH", trashed_days_ago=31)

    assert "  Alt GmbH" in purge("--verbosity", "2")


def test_a_dry_run_only_counts(acme):
    old = company(acme, "Alt GmbH", trashed_days_ago=31)

    output = purge("--dry-run")

    assert "acme: 1 contact due" in output
    assert Contact.all_objects.filter(pk=old.pk).exists()
    assert ContactPerson.objects.filter(contact=old).count() == 2


def test_an_empty_trash_purges_nothing(acme):
    company(acme, "Lebendig GmbH")
    assert purge().startswith("0 from the trash deleted for good")


def test_purging_asks_as_many_queries_for_one_contact_as_for_forty(acme):
    def queries(count: int) -> int:
        for index in range(count):
            company(acme, f"Firma {index}", trashed_days_ago=31)
        with CaptureQueriesContext(connection) as captured:
            purge()
        assert not Contact.all_objects.exists()
        return len(captured)

    assert queries(1) == queries(40)


def test_a_contact_restored_meanwhile_is_not_purged(acme):
    old = company(acme, "Alt GmbH", trashed_days_ago=31)
    contact_services.restore_contact(contact=old, by=None)

    deleted = contact_services.purge_contacts(
        organization=acme, ids=[old.pk], by=None, via=COMMAND, trashed_before=timezone.now()
    )

    assert deleted == []
    assert Contact.objects.filter(pk=old.pk).exists()


def test_the_purge_stays_within_the_organization(acme, globex):
    foreign = company(globex, "Fremd AG", trashed_days_ago=40)

    deleted = contact_services.purge_contacts(
        organization=acme, ids=[foreign.pk], by=None, via=COMMAND
    )

    assert deleted == []
    assert Contact.all_objects.filter(pk=foreign.pk).exists()
