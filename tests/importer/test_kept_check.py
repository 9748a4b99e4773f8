"""The preview keeps its reading of the file for the import: the import writes what the preview
showed, and never rows read under another column assignment, reading or language."""

from __future__ import annotations

import pytest
from django.utils import translation

from contacts_app.models import Contact
from contacts_app.services import create_contact
from importer import services
from importer.models import ImportRun

pytestmark = pytest.mark.django_db

FILE = (
    "Kundennummer;Firmenname;Nachname;E-Mail\r\n"
    "10001;Müller GmbH;;info@mueller.example\r\n"
    "10002;Łódź Sp. z o.o.;;biuro@lodz.example\r\n"
    ";;Crème;kein-mail\r\n"
    "10001;Doppelt AG;;\r\n"
).encode()


def start(org, data: bytes = FILE):
    with translation.override("de"):
        run, _parsed = services.start_import(
            organization=org, target="customers", file_name="k.csv", data=data, by=None
        )
    return run


def preview(run):
    with translation.override("de"):
        return services.check(run)


def commit(run, language: str = "de"):
    with translation.override(language):
        return services.commit(ImportRun.objects.get(pk=run.pk), by=None)


def test_the_import_writes_what_the_preview_counted(acme):
    run = start(acme)
    shown = preview(run).counts
    assert ImportRun.objects.get(pk=run.pk).checked_rows is not None
    done = commit(run)
    assert done.counts == shown == {**shown, "new": 2, "invalid": 2, "total": 4}
    names = sorted(Contact.objects.filter(organization=acme).values_list("company_name", flat=True))
    assert names == ["Müller GmbH", "Łódź Sp. z o.o."]
    mueller = Contact.objects.get(organization=acme, company_name="Müller GmbH")
    assert mueller.email_business == "info@mueller.example"
    run.refresh_from_db()
    assert run.checked_rows is None and run.file_data is None
    failed = run.failed_rows.decode("utf-8-sig")
    assert "kein-mail" in failed and "Doppelt AG" in failed and "10001" in failed


def test_a_number_taken_after_the_preview_is_checked_again_at_import(acme):
    run = start(acme)
    assert preview(run).counts["new"] == 2
    create_contact(
        organization=acme,
        by=None,
        data={"kind": "company", "company_name": "Schon da", "customer_number": 10002},
    )
    done = commit(run)
    # The number belongs to another contact now: the row is not applied to it.
    assert (done.counts["new"], done.counts["update"], done.counts["skip"]) == (1, 0, 1)
    assert Contact.objects.get(organization=acme, customer_number=10002).company_name == (
        "Schon da"
    )


def test_a_number_taken_after_the_preview_by_the_same_name_is_updated(acme):
    run = start(acme)
    assert preview(run).counts["new"] == 2
    create_contact(
        organization=acme,
        by=None,
        data={"kind": "company", "company_name": "Łódź Sp. z o.o.", "customer_number": 10002},
    )
    done = commit(run)
    assert (done.counts["new"], done.counts["update"]) == (1, 1)
    contact = Contact.objects.get(organization=acme, customer_number=10002)
    assert contact.email_business == "biuro@lodz.example"


def test_columns_assigned_anew_after_the_preview_are_what_the_import_uses(acme):
    run = start(acme)
    preview(run)
    mapping = list(run.mapping)
    mapping[3] = ""  # E-Mail: do not import
    services.set_mapping(run, mapping=mapping, on_duplicate=run.on_duplicate)
    done = commit(run)
    assert done.counts["invalid"] == 1  # only the repeated number; the bad address is ignored
    assert not Contact.objects.filter(organization=acme).exclude(email_business="").exists()


def test_error_messages_follow_the_language_of_the_import(acme):
    run = start(acme)
    preview(run)  # in German
    commit(run, language="en")
    run.refresh_from_db()
    failed = run.failed_rows.decode("utf-8-sig")
    assert "The same number is already in line" in failed
    assert "bereits in Zeile" not in failed


def test_stored_rows_that_were_tampered_with_are_not_trusted(acme):
    run = start(acme)
    preview(run)
    kept = bytearray(ImportRun.objects.get(pk=run.pk).checked_rows)
    kept[-40] ^= 0xFF
    ImportRun.objects.filter(pk=run.pk).update(checked_rows=bytes(kept))
    done = commit(run)
    assert done.counts["new"] == 2
    assert set(
        Contact.objects.filter(organization=acme).values_list("customer_number", flat=True)
    ) == {
        10001,
        10002,
    }


def test_the_error_file_of_a_german_import_is_german_throughout(acme):
    run = start(acme)
    preview(run)
    commit(run, language="de")
    run.refresh_from_db()
    failed = run.failed_rows.decode("utf-8-sig").splitlines()
    assert failed[0].endswith(";Fehler")
    assert any(
        "Zeile 5: Kundennummer: Dieselbe Nummer steht bereits in Zeile 2" in line for line in failed
    )
    assert not any("line " in line for line in failed)


PEOPLE = (
    "Firmenname;Ansprechpartner 1 Vorname;Ansprechpartner 1 Nachname;Ansprechpartner 1 E-Mail;"
    "Ansprechpartner 2 Nachname;Webseite;Blog;Notiz;Schlagwörter\r\n"
    "Bäckerei Weiß GmbH;Jörg;Weiß;joerg@weiss.example;Groß;https://weiss.example;"
    "https://blog.weiss.example;Liefert dienstags;Stammkunde, Messe\r\n"
    "Gärtnerei Öz KG;;Öz;;;;;;Messe\r\n"
).encode()


def written(org) -> list:
    return [
        (
            contact.company_name,
            [(p.first_name, p.last_name, p.email) for p in contact.persons.order_by("pk")],
            sorted((w.kind, w.value) for w in contact.web_profiles.all()),
            [n.text for n in contact.notes.all()],
            sorted(t.name for t in contact.tags.all()),
        )
        for contact in Contact.objects.filter(organization=org).order_by("company_name")
    ]


def test_the_import_writes_the_contact_persons_profiles_notes_and_tags_the_preview_kept(
    acme, globex
):
    previewed = start(acme, PEOPLE)
    preview(previewed)
    assert ImportRun.objects.get(pk=previewed.pk).checked_rows is not None
    commit(previewed)
    # The same file imported with no preview before: read and checked at the import.
    commit(start(globex, PEOPLE))
    assert (
        written(acme)
        == written(globex)
        == [
            (
                "Bäckerei Weiß GmbH",
                [("Jörg", "Weiß", "joerg@weiss.example"), ("", "Groß", "")],
                [("blog", "https://blog.weiss.example"), ("website", "https://weiss.example")],
                ["Liefert dienstags"],
                ["Messe", "Stammkunde"],
            ),
            ("Gärtnerei Öz KG", [("", "Öz", "")], [], [], ["Messe"]),
        ]
    )
