"""An import confirmed together with another or with the contact form: no 500, no number twice."""

from __future__ import annotations

import time
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contacts_app.models import Contact
from importer.models import ImportRun
from tests.contacts.conftest import contact_post_data, make_company

from .conftest import browser_for, run_together, tabs_of

ROWS = 40


def customers_csv(*, numbered: bool, first: int = 20000, rows: int = ROWS) -> bytes:
    lines = ["Kundennummer;Firmenname;Ort" if numbered else "Firmenname;Ort"]
    for n in range(rows):
        name = f"Importierte {n:04d} GmbH;Köln"
        lines.append(f"{first + n};{name}" if numbered else name)
    return "\n".join(lines).encode("cp1252")


def prepared_import(browser: Client, data: bytes) -> ImportRun:
    """Upload the file, keep the proposed columns and look at the preview, as a person does."""
    file = SimpleUploadedFile("kunden.csv", data, content_type="text/csv")
    uploaded = browser.post("/import/customers/upload/", {"file": file})
    assert uploaded.status_code == 302, uploaded.content
    run = ImportRun.objects.get(pk=uploaded["Location"].split("/")[-3])
    columns = {f"col_{i}": key for i, key in enumerate(run.mapping)} | {"on_duplicate": "update"}
    assert browser.post(f"/import/runs/{run.pk}/columns/", columns).status_code == 302
    assert browser.get(f"/import/runs/{run.pk}/preview/").status_code == 200
    return run


def import_twice_at_once(alice, bob, data: bytes) -> list[ImportRun]:
    browsers = [browser_for(alice), browser_for(bob)]
    runs = [prepared_import(browser, data) for browser in browsers]
    responses = run_together(
        *[
            partial(browser.post, f"/import/runs/{run.pk}/confirm/")
            for browser, run in zip(browsers, runs, strict=True)
        ]
    )
    assert [r.status_code for r in responses] == [302, 302]
    for run, response in zip(runs, responses, strict=True):
        assert response["Location"] == f"/import/runs/{run.pk}/"
        run.refresh_from_db()
    return runs


def test_a_file_with_numbers_imported_twice_at_once_creates_each_contact_once(acme, alice, bob):
    runs = import_twice_at_once(alice, bob, customers_csv(numbered=True))

    assert [run.status for run in runs] == [ImportRun.Status.DONE] * 2
    numbers = sorted(
        Contact.objects.filter(organization=acme).values_list("customer_number", flat=True)
    )
    assert numbers == list(range(20000, 20000 + ROWS))
    # One import created the contacts; the other found them all there already.
    assert sorted((run.counts["new"], run.counts["unchanged"]) for run in runs) == [
        (0, ROWS),
        (ROWS, 0),
    ]


def test_a_file_without_numbers_imported_twice_at_once_gets_distinct_numbers(acme, alice, bob):
    runs = import_twice_at_once(alice, bob, customers_csv(numbered=False))

    assert [run.status for run in runs] == [ImportRun.Status.DONE] * 2
    assert [run.counts["new"] for run in runs] == [ROWS, ROWS]
    numbers = sorted(
        Contact.objects.filter(organization=acme).values_list("customer_number", flat=True)
    )
    assert numbers == list(range(10000, 10000 + 2 * ROWS))


def test_an_import_and_contacts_saved_through_the_form_at_once_share_no_number(acme, alice, bob):
    # The first import is often the old program's export, whose numbers start where Kontor's
    # own do, while a colleague already adds contacts by hand. A big file, so that the form's
    # saves fall while the import still checks its rows.
    rows = 2000
    importer = browser_for(alice)
    run = prepared_import(importer, customers_csv(numbered=True, first=10000, rows=rows))
    colleague = browser_for(bob)
    assert colleague.get(reverse("contacts:create")).status_code == 200
    saves = [
        partial(tab.post, reverse("contacts:create"), contact_post_data(company_name=f"Hand {n}"))
        for n, tab in enumerate(tabs_of(colleague, 5))
    ]

    imported, *saved = run_together(
        partial(importer.post, f"/import/runs/{run.pk}/confirm/"), *saves
    )

    assert [r.status_code for r in [imported, *saved]] == [302] * 6
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    contacts = Contact.objects.filter(organization=acme)
    numbers = list(contacts.values_list("customer_number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert set(range(10000, 10000 + rows)) <= set(numbers)
    # A contact saved by hand just before the import checked its number keeps it and its
    # name: the row with that number names another contact, so it is left for a decision,
    # exactly as if the contact had been saved a minute earlier; none is lost or doubled.
    assert contacts.count() == rows + len(saved) - run.counts["skip"]
    assert run.counts["update"] == 0
    assert contacts.filter(company_name__startswith="Hand ").count() == len(saved)
    assert all(colleague.get(r["Location"]).status_code == 200 for r in saved)


def test_a_customer_made_a_supplier_while_an_import_updates_it(acme, alice, bob):
    # bob gives a customer the supplier role (which hands out a supplier number) while alice's
    # import updates the same customer: each waits for the other's locks in the same order,
    # so neither ends in an error page.
    contact = make_company(acme, "Importierte 0000 GmbH", billing_city="Bonn", by=bob)
    importer = browser_for(alice)
    run = prepared_import(
        importer, customers_csv(numbered=True, first=contact.customer_number, rows=2000)
    )
    editor = browser_for(bob)
    url = reverse("contacts:edit", args=[contact.pk])
    assert editor.get(url).status_code == 200
    edit = contact_post_data(
        version=1, company_name="Importierte 0000 GmbH", billing_city="Bonn", is_supplier=True
    )

    def save_a_moment_later():
        # The import locks the organization at once and updates this customer only after
        # writing its new rows: 50 ms on, bob's save falls in between.
        time.sleep(0.05)
        return editor.post(url, edit, headers={"accept-language": "en"})

    imported, edited = run_together(
        partial(importer.post, f"/import/runs/{run.pk}/confirm/"), save_a_moment_later
    )

    assert imported.status_code == 302
    assert edited.status_code in (200, 302)
    run.refresh_from_db()
    assert (run.counts["new"], run.counts["update"]) == (1999, 1)
    contact.refresh_from_db()
    assert contact.billing_city == "Köln"
    if edited.status_code == 302:  # bob saved first; the import then changed the city
        assert contact.is_supplier and contact.supplier_number
    else:  # the import came first: bob is told and keeps what he typed
        assert "Not saved: this contact was changed by" in edited.text
        assert not contact.is_supplier


def test_an_edit_saved_while_the_import_is_undone_is_never_lost(acme, alice, bob):
    # alice undoes an import of 2,000 customers while bob saves one of them: either bob's
    # save comes first, and the undo keeps that customer, or the undo comes first, and bob is
    # told (the customer is gone, or changed). Never a 500, never a saved edit thrown away.
    importer = browser_for(alice)
    run = prepared_import(importer, customers_csv(numbered=True, first=30000, rows=2000))
    assert importer.post(f"/import/runs/{run.pk}/confirm/").status_code == 302
    contact = Contact.objects.get(organization=acme, customer_number=31999)
    editor = browser_for(bob)
    url = reverse("contacts:edit", args=[contact.pk])
    assert editor.get(url).status_code == 200
    edit = contact_post_data(
        version=contact.version, company_name="Importierte 1999 GmbH", billing_city="Jena"
    )

    undone, edited = run_together(
        partial(importer.post, f"/import/runs/{run.pk}/undo/"),
        partial(editor.post, url, edit, headers={"accept-language": "en"}),
    )

    assert undone.status_code == 302
    assert edited.status_code in (200, 302, 404)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE
    if edited.status_code == 302:  # bob saved before the undo looked: kept, and listed
        assert Contact.objects.get(pk=contact.pk).billing_city == "Jena"
        assert [k["name"] for k in run.undo_kept] == ["Importierte 1999 GmbH"]
        assert Contact.objects.filter(organization=acme).count() == 1
    else:  # the undo came first: nothing of the import is left
        assert not Contact.objects.filter(organization=acme).exists()
