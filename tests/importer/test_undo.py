"""History in the import, and an undo that restores: every record an import created or updated
is in the history as "via import #N (file)"; undoing puts the old values back and removes what
it created, except records changed since, which are listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from contacts_app.history import timeline
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from contacts_app.services import add_note, trash_contact, update_contact
from history.models import Action, Change, ChangeSet, Source
from history.services import recording_off
from importer import services
from importer.checking import RowChoice
from importer.models import ImportRun
from products.models import Product
from products.services import create_product
from tests.contacts.conftest import make_company

FIXTURES = Path(__file__).parent / "fixtures"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
pytestmark = pytest.mark.django_db


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def imported(org, data: bytes, *, target="customers", by=None, name="kunden.csv", **choices):
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=org, target=target, file_name=name, data=data, by=by
        )
        if choices:
            services.set_choices(run, **choices)
        services.check(run)
        services.commit(ImportRun.objects.get(pk=run.pk), by=by)
    return ImportRun.objects.get(pk=run.pk)


def undone(run: ImportRun, by=None):
    with translation.override("en"):
        return services.undo(run, by=by)


@pytest.fixture
def mueller(acme, alice) -> Contact:
    return make_company(
        acme,
        "Müller & Söhne Metallbau GmbH",
        by=alice,
        is_customer=False,
        is_supplier=True,
        supplier_number=70001,
        billing_street="Hauptstraße 5",
        billing_city="Hagen",
        billing_postal_code="58095",
        vat_id="DE123456788",
        persons=[{"first_name": "Hans", "last_name": "Müller", "is_primary": True}],
        profiles=[{"kind": "website", "value": "https://www.mueller.example"}],
    )


def state(contact: Contact) -> dict:
    contact = Contact.all_objects.get(pk=contact.pk)
    return {
        "name": contact.company_name,
        "street": contact.billing_street,
        "city": contact.billing_city,
        "country": contact.billing_country.code,
        "vat_id": contact.vat_id,
        "persons": sorted(contact.persons.values_list("first_name", "last_name", "is_primary")),
        "profiles": sorted(contact.web_profiles.values_list("kind", "value")),
        "notes": list(contact.notes.values_list("text", flat=True)),
        "search": contact.search_text,
    }


# --- the history -----------------------------------------------------------------------------


def test_every_created_and_updated_contact_is_in_the_history_via_the_import(acme, alice):
    kept = make_company(acme, "Alt GmbH", customer_number=10007, billing_city="Ulm", by=alice)
    run = imported(
        acme,
        csv_bytes("Kundennummer;Firmenname;Ort", "10007;Alt GmbH;Köln", ";Neu GmbH;Bonn"),
        by=alice,
        name="kunden-mai.csv",
    )
    changeset = ChangeSet.objects.get(source=Source.IMPORT)
    assert (changeset.label, changeset.reference, changeset.actor) == (
        "kunden-mai.csv",
        run.pk,
        alice,
    )
    assert changeset.get_source_display() == f"import #{run.pk}"
    new = Contact.objects.get(company_name="Neu GmbH")
    changes = {(c.object_id, c.action): c.fields for c in changeset.changes.all()}
    assert changes == {
        (new.pk, Action.CREATED): {},
        (kept.pk, Action.CHANGED): {"billing_city": ["Ulm", "Köln"]},
    }
    [entry, _created] = timeline(kept)
    assert entry.change.changeset == changeset
    assert entry.lines == [("city", "Ulm", "Köln")]


def test_the_import_writes_its_history_in_a_few_statements(acme):
    lines = ["Firmenname;Ort"] + [f"Firma {n} GmbH;Ulm" for n in range(300)]
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=acme,
            target="customers",
            file_name="k.csv",
            data=csv_bytes(*lines),
            by=None,
        )
        with CaptureQueriesContext(connection) as queries:
            services.commit(run, by=None)
    history = [q for q in queries if 'INTO "history_change"' in q["sql"]]
    assert len(history) == 1
    assert Change.objects.filter(action=Action.CREATED).count() == 300


def test_the_history_can_be_switched_off_for_the_benchmark_only(acme):
    with recording_off():
        imported(acme, csv_bytes("Firmenname", "Eins GmbH"))
    assert not ChangeSet.objects.exists() and not Change.objects.exists()
    imported(acme, csv_bytes("Firmenname", "Zwei GmbH"))
    assert Change.objects.filter(action=Action.CREATED).count() == 1


def test_products_an_import_creates_or_updates_are_in_the_history(acme):
    product = create_product(
        organization=acme,
        by=None,
        data={"number": "A-1", "name": "Brötchen", "unit": "Stück", "tax_rate": 7, "price": "0.50"},
    )
    run = imported(
        acme,
        csv_bytes(
            "Artikelnummer;Bezeichnung;Einheit;Nettopreis",
            "A-1;Brötchen;Stück;0,60",
            "A-2;Brot;Stück;3",
        ),
        target="products",
    )
    changes = Change.objects.filter(changeset__reference=run.pk, kind="product")
    fields = {c.object_id: c.fields for c in changes}
    assert fields[product.pk]["net_price"] == ["0.50", "0.60"]
    assert fields[Product.objects.get(number="A-2").pk] == {}


# --- undo --------------------------------------------------------------------------------------


def test_undo_puts_an_updated_contact_back_as_it_was(acme, alice, mueller):
    before = state(mueller)
    run = imported(
        acme,
        (FIXTURES / "lieferanten-cp1252.csv").read_bytes(),
        target="suppliers",
        by=alice,
        name="lieferanten-cp1252.csv",
        on_mismatch=RowChoice.UPDATE,
    )
    assert state(mueller)["name"] == "Elektro Krämer UG (haftungsbeschränkt)"
    assert len(state(mueller)["profiles"]) == 3 and len(state(mueller)["persons"]) == 2
    outcome = undone(run, by=alice)
    assert (outcome.deleted, outcome.reverted, outcome.kept) == (79, 1, [])
    assert state(mueller) == before
    assert Contact.objects.filter(organization=acme).count() == 1
    mueller.refresh_from_db()
    assert mueller.version == 3
    undo = ChangeSet.objects.get(source=Source.UNDO)
    assert (undo.reference, undo.label) == (run.pk, "lieferanten-cp1252.csv")
    reverted = undo.changes.get(object_id=mueller.pk)
    assert reverted.fields["company_name"] == [
        "Elektro Krämer UG (haftungsbeschränkt)",
        "Müller & Söhne Metallbau GmbH",
    ]
    assert undo.changes.filter(action=Action.DELETED, kind="contact").count() == 79


def test_undo_removes_the_note_an_import_added_to_an_existing_contact(acme, alice):
    contact = make_company(acme, "Alt GmbH", customer_number=10001)
    add_note(contact=contact, text="Von Hand", by=alice)
    run = imported(acme, csv_bytes("Kundennummer;Firmenname;Notiz", "10001;Alt GmbH;Aus der Datei"))
    assert sorted(contact.notes.values_list("text", flat=True)) == ["Aus der Datei", "Von Hand"]
    outcome = undone(run)
    assert outcome.reverted == 1
    assert list(contact.notes.values_list("text", flat=True)) == ["Von Hand"]


def test_undo_keeps_what_was_changed_since_and_says_what_changed(acme, alice, bob):
    changed = make_company(acme, "Geändert GmbH", customer_number=10001, billing_city="Ulm")
    quiet = make_company(acme, "Ruhig GmbH", customer_number=10002, billing_city="Ulm")
    run = imported(
        acme,
        csv_bytes(
            "Kundennummer;Firmenname;Ort",
            "10001;Geändert GmbH;Köln",
            "10002;Ruhig GmbH;Köln",
            ";Notiert GmbH;Bonn",
            ";Gelöscht GmbH;Bonn",
            ";Unberührt GmbH;Bonn",
        ),
        by=alice,
    )
    changed.refresh_from_db()
    update_contact(
        contact=changed, data={"billing_city": "Jena"}, by=bob, expected_version=changed.version
    )
    noted = Contact.objects.get(company_name="Notiert GmbH")
    add_note(contact=noted, text="Ruft morgen an", by=bob)
    trash_contact(contact=Contact.objects.get(company_name="Gelöscht GmbH"), by=bob)

    outcome = undone(run, by=alice)

    assert (outcome.deleted, outcome.reverted) == (1, 1)
    assert [k["name"] for k in outcome.kept] == ["Geändert GmbH", "Gelöscht GmbH", "Notiert GmbH"]
    by_name = {k["name"]: k for k in outcome.kept}
    [change] = by_name["Geändert GmbH"]["changes"]
    assert (change["what"], change["who"], change["via"]) == ("city: Köln → Jena", str(bob), "form")
    assert by_name["Geändert GmbH"]["url"] == f"/contacts/{changed.pk}/"
    assert by_name["Notiert GmbH"]["changes"][0]["what"] == "note: created"
    assert by_name["Gelöscht GmbH"]["changes"][0]["what"] == "moved to the trash"
    assert by_name["Gelöscht GmbH"]["url"] is None
    changed.refresh_from_db()
    quiet.refresh_from_db()
    assert (changed.billing_city, quiet.billing_city) == ("Jena", "Ulm")
    assert not Contact.objects.filter(company_name="Unberührt GmbH").exists()


def test_the_result_page_lists_what_the_undo_kept_with_a_link(alice_client, acme, alice):
    run = imported(acme, csv_bytes("Firmenname;Ort", "Eins GmbH;Ulm", "Zwei GmbH;Ulm"), by=alice)
    zwei = Contact.objects.get(company_name="Zwei GmbH")
    update_contact(
        contact=zwei, data={"billing_city": "Jena"}, by=alice, expected_version=zwei.version
    )
    response = alice_client.post(f"/import/runs/{run.pk}/undo/", **EN)
    assert response["Location"] == f"/import/runs/{run.pk}/"
    page = alice_client.get(response["Location"], **EN).content.decode()
    assert "Import undone: 1 deleted, 0 put back as they were." in page
    assert f'<a class="fw-semibold" href="/contacts/{zwei.pk}/">Zwei GmbH</a>' in page
    assert "city: Ulm → Jena" in page
    assert "Created by the import and deleted: <strong>1</strong>" in page
    assert "Kept, because they were changed after the import: <strong>1</strong>" in page


def test_the_undo_button_shows_that_it_is_working(alice_client, acme, alice):
    run = imported(acme, csv_bytes("Firmenname", "Eins GmbH"), by=alice)
    page = alice_client.get(f"/import/runs/{run.pk}/", **EN).content.decode()
    assert 'data-busy="Undoing…"' in page


def test_undo_deletes_created_contacts_with_their_children_in_a_few_statements(acme):
    run = imported(acme, (FIXTURES / "kunden-lexoffice-cp1252.csv").read_bytes())
    assert ContactPerson.objects.exists() and WebProfile.objects.exists() and Note.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        outcome = undone(run)
    assert outcome.deleted == 300
    assert not Contact.all_objects.exists()
    assert not (
        ContactPerson.objects.exists() or WebProfile.objects.exists() or Note.objects.exists()
    )
    assert len(queries) < 40


def test_undo_of_an_import_from_before_the_history_deletes_what_it_created(acme):
    with recording_off():
        run = imported(acme, csv_bytes("Firmenname", "Eins GmbH", "Zwei GmbH"))
    outcome = undone(run)
    assert (outcome.deleted, outcome.legacy) == (2, True)
    assert not Contact.objects.exists()


def test_undo_puts_updated_products_back(acme):
    product = create_product(
        organization=acme,
        by=None,
        data={"number": "A-1", "name": "Brötchen", "unit": "Stück", "tax_rate": 7, "price": "0.50"},
    )
    run = imported(
        acme,
        csv_bytes(
            "Artikelnummer;Bezeichnung;Einheit;Nettopreis",
            "A-1;Brötchen;Stück;0,60",
            "A-2;Brot;Stück;3",
        ),
        target="products",
    )
    outcome = undone(run)
    assert (outcome.deleted, outcome.reverted) == (1, 1)
    product.refresh_from_db()
    assert (str(product.net_price), str(product.gross_price)) == ("0.50", "0.54")
    assert list(Product.objects.values_list("number", flat=True)) == ["A-1"]


def test_an_import_cannot_be_undone_twice(acme):
    run = imported(acme, csv_bytes("Firmenname", "Eins GmbH"))
    undone(run)
    with pytest.raises(services.ImportFileError):
        undone(ImportRun.objects.get(pk=run.pk))
