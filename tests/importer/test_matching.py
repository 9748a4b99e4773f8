"""An import never overwrites the wrong contact: a number that belongs to a contact with another
name, and rows that are probably a contact Kontor has, wait for the user's decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from contacts_app.models import Contact
from contacts_app.services import derived_fields, trash_contact
from importer import services
from importer.checking import Group, RowChoice
from importer.models import ImportRun
from importer.targets.contact_matching import _sort_name, name_key
from tests.contacts.conftest import make_company, make_person

FIXTURES = Path(__file__).parent / "fixtures"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
pytestmark = pytest.mark.django_db


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def start(org, data: bytes, target: str = "customers", name: str = "test.csv") -> ImportRun:
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=org, target=target, file_name=name, data=data, by=None
        )
    return run


def check(run: ImportRun):
    with translation.override("en"):
        return services.check(ImportRun.objects.get(pk=run.pk))


def commit(run: ImportRun):
    with translation.override("en"):
        return services.commit(ImportRun.objects.get(pk=run.pk), by=None)


@pytest.fixture
def mueller(acme, alice) -> Contact:
    """The issue's supplier, created by hand with the number the sample's second row brings."""
    return make_company(
        acme,
        "Müller & Söhne Metallbau GmbH",
        by=alice,
        is_customer=False,
        is_supplier=True,
        supplier_number=70001,
        billing_city="Hagen",
        vat_id="DE123456788",
    )


def test_the_suppliers_sample_leaves_a_number_of_another_name_alone(acme, mueller):
    run = start(acme, (FIXTURES / "lieferanten-cp1252.csv").read_bytes(), target="suppliers")
    result = check(run)
    [row] = result.group(Group.MISMATCH)
    assert (row.line, row.status, row.choice, row.existing) == (3, "skip", "skip", mueller)
    assert result.counts["update"] == 0
    commit(run)
    mueller.refresh_from_db()
    assert (mueller.company_name, mueller.billing_city, mueller.vat_id, mueller.version) == (
        "Müller & Söhne Metallbau GmbH",
        "Hagen",
        "DE123456788",
        1,
    )
    assert mueller.persons.count() == 0 and mueller.web_profiles.count() == 0


def test_the_same_name_written_otherwise_is_the_same_contact(acme):
    make_company(acme, "Müller & Söhne GmbH", customer_number=10007, billing_city="Ulm")
    run = start(acme, csv_bytes("Kundennummer;Firmenname;Ort", "10007;MÜLLER  &  söhne gmbh;Köln"))
    result = check(run)
    assert result.group(Group.MISMATCH) == []
    assert result.counts["update"] == 1


def test_a_person_is_compared_by_first_and_last_name(acme):
    make_person(acme, "Erika", "Mustermann", customer_number=10001)
    make_person(acme, "Erika", "Musterfrau", customer_number=10002)
    run = start(
        acme,
        csv_bytes(
            "Kundennummer;Vorname;Nachname;Ort",
            "10001;Max;Mustermann;Ulm",
            "10002;erika;Musterfrau;Ulm",
        ),
    )
    result = check(run)
    assert [row.line for row in result.group(Group.MISMATCH)] == [2]
    assert result.counts["update"] == 1


def test_update_anyway_applies_the_row_to_that_contact(acme, mueller):
    run = start(
        acme, csv_bytes("Lieferantennummer;Firmenname;Ort", "70001;Krämer UG;Wien"), "suppliers"
    )
    services.set_choices(run, on_mismatch=RowChoice.UPDATE)
    result = commit(run)
    assert result.counts["update"] == 1
    mueller.refresh_from_db()
    assert (mueller.company_name, mueller.billing_city) == ("Krämer UG", "Wien")


def test_import_as_new_gives_the_row_the_next_free_number(acme, mueller):
    run = start(
        acme, csv_bytes("Lieferantennummer;Firmenname;Ort", "70001;Krämer UG;Wien"), "suppliers"
    )
    services.set_choices(run, on_mismatch=RowChoice.NEW)
    result = commit(run)
    assert result.counts["new"] == 1
    new = Contact.objects.get(company_name="Krämer UG")
    assert new.supplier_number == 70002
    mueller.refresh_from_db()
    assert (mueller.company_name, mueller.supplier_number) == (
        "Müller & Söhne Metallbau GmbH",
        70001,
    )


def test_a_row_chosen_otherwise_than_its_group_follows_its_own_choice(acme):
    make_company(acme, "Alt Eins GmbH", customer_number=10001)
    make_company(acme, "Alt Zwei GmbH", customer_number=10002)
    make_company(acme, "Alt Drei GmbH", customer_number=10003)
    run = start(
        acme,
        csv_bytes(
            "Kundennummer;Firmenname",
            "10001;Neu Eins GmbH",
            "10002;Neu Zwei GmbH",
            "10003;Neu Drei GmbH",
        ),
    )
    services.set_choices(run, on_mismatch=RowChoice.UPDATE, rows={3: RowChoice.NEW, 4: "skip"})
    result = commit(run)
    assert {row.line: row.status for row in result.rows} == {2: "update", 3: "new", 4: "skip"}
    names = sorted(
        Contact.objects.filter(organization=acme).values_list("company_name", "customer_number")
    )
    assert names == [
        ("Alt Drei GmbH", 10003),
        ("Alt Zwei GmbH", 10002),
        ("Neu Eins GmbH", 10001),
        ("Neu Zwei GmbH", 10004),
    ]


def test_a_choice_that_is_no_choice_is_refused(acme):
    run = start(acme, csv_bytes("Firmenname", "A GmbH"))
    with pytest.raises(ValueError):
        services.set_choices(run, on_mismatch="overwrite")
    with pytest.raises(ValueError):
        services.set_choices(run, rows={2: "delete"})
    run.refresh_from_db()
    assert (run.on_mismatch, run.row_choices) == ("skip", {})


def test_a_number_of_a_contact_in_the_trash_is_taken(acme, alice):
    make_company(acme, "Da GmbH", customer_number=10005)
    gone = make_company(acme, "Weg GmbH", customer_number=10006)
    trash_contact(contact=gone, by=alice)
    run = start(acme, csv_bytes("Kundennummer;Firmenname", "10006;Weg GmbH"))
    result = check(run)
    [row] = result.group(Group.MISMATCH)
    assert (row.status, row.reason) == ("skip", "in the trash")
    services.set_choices(run, on_mismatch=RowChoice.UPDATE)
    [error] = check(run).errors
    assert error.message == (
        "This number belongs to “Weg GmbH”, which is in the trash: restore it from the trash "
        "first, or import this row as a new contact."
    )
    services.set_choices(run, on_mismatch=RowChoice.NEW)
    commit(run)
    assert Contact.objects.get(company_name="Weg GmbH").customer_number == 10007
    assert Contact.all_objects.get(pk=gone.pk).customer_number == 10006


def test_rows_without_a_number_skip_the_numbers_of_contacts_in_the_trash(acme, alice):
    # A number typed by hand above the ones handed out so far, then the contact trashed.
    make_company(acme, "Erste GmbH")
    gone = make_company(acme, "Weg GmbH", customer_number=10001)
    trash_contact(contact=gone, by=alice)
    result = commit(start(acme, csv_bytes("Firmenname", "Eins GmbH", "Zwei GmbH")))
    assert result.counts["new"] == 2
    numbers = Contact.objects.filter(company_name__in=["Eins GmbH", "Zwei GmbH"])
    assert sorted(numbers.values_list("customer_number", flat=True)) == [10002, 10003]


def test_rows_without_a_number_that_match_by_e_mail_or_name_and_postal_code_wait(acme):
    make_company(acme, "Bäckerei Kühn GmbH", email_business="Info@Kuehn.example")
    make_company(acme, "Holzbau Neumann", billing_postal_code="04109")
    make_company(acme, "Holzbau Neumann", billing_postal_code="89073")  # elsewhere: other one
    run = start(
        acme,
        csv_bytes(
            "Firmenname;E-Mail;PLZ;Ort",
            "Kühn Backwaren;info@kuehn.example;;Ulm",
            "HOLZBAU NEUMANN;;04109;Leipzig",
            "Holzbau Neumann;;10115;Berlin",
        ),
    )
    result = check(run)
    probable = result.group(Group.PROBABLE)
    assert [(row.line, row.status, row.reason) for row in probable] == [
        (2, "skip", "the same e-mail address (info@kuehn.example)"),
        (3, "skip", "the same name and postal code"),
    ]
    assert probable[1].existing.billing_postal_code == "04109"
    assert result.counts["new"] == 1


def test_importing_one_file_twice_creates_no_duplicates(acme):
    data = (FIXTURES / "kunden-lexoffice-cp1252.csv").read_bytes()
    commit(start(acme, data))
    first = Contact.objects.filter(organization=acme).count()
    again = commit(start(acme, data))
    assert Contact.objects.filter(organization=acme).count() == first
    assert again.counts["new"] == 0


def test_probably_the_same_contact_can_be_updated_or_imported_as_new(acme):
    kuehn = make_company(acme, "Bäckerei Kühn GmbH", email_business="info@kuehn.example")
    data = csv_bytes("Firmenname;E-Mail;Ort", "Bäckerei Kühn GmbH;info@kuehn.example;Ulm")
    run = start(acme, data)
    services.set_choices(run, on_probable=RowChoice.UPDATE)
    assert commit(run).counts["update"] == 1
    kuehn.refresh_from_db()
    assert kuehn.billing_city == "Ulm"
    run = start(acme, data)
    services.set_choices(run, on_probable=RowChoice.NEW)
    assert commit(run).counts["new"] == 1
    assert Contact.objects.filter(company_name="Bäckerei Kühn GmbH").count() == 2


def test_the_name_key_is_the_sort_name_the_contacts_have():
    for values in (
        {"kind": "company", "company_name": "Müller & Söhne GmbH"},
        {"kind": "person", "first_name": "Jörg", "last_name": "Weiß"},
        {"kind": "person", "first_name": "", "last_name": "Łukasz"},
    ):
        assert _sort_name(name_key(values)) == derived_fields(values, [])["sort_name"]


def test_updates_show_what_they_change(acme):
    make_company(acme, "Alt GmbH", customer_number=10007, billing_city="Ulm")
    run = start(
        acme,
        csv_bytes(
            "Kundennummer;Firmenname;Ort;Ansprechpartner 1 Nachname",
            "10007;Alt GmbH;Köln;Schäfer",
        ),
    )
    [row] = [row for row in check(run).rows if row.status == "update"]
    assert row.changes == {"billing_city": ("Ulm", "Köln"), "persons": ("", "Schäfer")}


def test_the_preview_lists_the_groups_with_both_names_and_the_changes(bob_client, acme, mueller):
    make_company(acme, "Gleich GmbH", customer_number=10001, billing_city="Ulm")
    make_company(acme, "Kühn GmbH", email_business="info@kuehn.example")
    run = start(
        acme,
        csv_bytes(
            "Kundennummer;Firmenname;Ort;E-Mail",
            "10001;Gleich GmbH;Köln;",
            "10003;Neu AG;Bonn;",
            ";Kühn Backwaren;Ulm;info@kuehn.example",
        ),
    )
    make_company(acme, "Besetzt GmbH", customer_number=10003)
    page = bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).content.decode()
    assert 'data-testid="group-mismatch"' in page and 'data-testid="group-probable"' in page
    assert "Neu AG" in page and "Besetzt GmbH" in page
    assert "Kühn Backwaren" in page and "the same e-mail address (info@kuehn.example)" in page
    assert '<del class="text-body-secondary">Ulm</del> → <ins>Köln</ins>' in page


def test_the_preview_form_stores_the_choices(bob_client, acme):
    make_company(acme, "Alt GmbH", customer_number=10001)
    run = start(acme, csv_bytes("Kundennummer;Firmenname", "10001;Neu GmbH"))
    response = bob_client.post(
        f"/import/runs/{run.pk}/choices/", {"on_mismatch": "skip", "row_2": "new"}, **EN
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.on_mismatch, run.row_choices) == ("skip", {"2": "new"})
    refused = bob_client.post(f"/import/runs/{run.pk}/choices/", {"row_x": "new"}, **EN)
    assert refused.status_code == 302
    page = bob_client.get(refused["Location"], **EN).content.decode()
    assert "The choice for a row names no line of the file." in page
    run.refresh_from_db()
    assert run.row_choices == {"2": "new"}


def test_the_import_button_sends_the_choices_along(bob_client, acme):
    make_company(acme, "Alt GmbH", customer_number=10001)
    run = start(acme, csv_bytes("Kundennummer;Firmenname", "10001;Neu GmbH"))
    response = bob_client.post(f"/import/runs/{run.pk}/confirm/", {"row_2": "new"}, **EN)
    assert response["Location"] == f"/import/runs/{run.pk}/"
    assert Contact.objects.get(company_name="Neu GmbH").customer_number == 10002


def test_charlie_cannot_choose_for_acmes_import(charlie_client, acme):
    run = start(acme, csv_bytes("Firmenname", "A GmbH"))
    assert (
        charlie_client.post(f"/import/runs/{run.pk}/choices/", {"row_2": "new"}).status_code == 404
    )


def test_import_csv_takes_the_same_choices_and_prints_each_group(acme, mueller, capsys):
    call_command(
        "import_csv",
        str(FIXTURES / "lieferanten-cp1252.csv"),
        organization="acme",
        target="suppliers",
        on_mismatch="new",
    )
    out = capsys.readouterr().out
    assert "Number belongs to another contact: 1 (1 new)" in out
    mueller.refresh_from_db()
    assert mueller.company_name == "Müller & Söhne Metallbau GmbH"
    assert Contact.objects.filter(company_name__startswith="Elektro Krämer UG").count() == 1


def test_import_csv_skips_probable_duplicates_by_default(acme, capsys):
    data = FIXTURES / "kunden-lexoffice-cp1252.csv"
    call_command("import_csv", str(data), organization="acme", target="customers")
    before = Contact.objects.count()
    capsys.readouterr()
    call_command("import_csv", str(data), organization="acme", target="customers")
    out = capsys.readouterr().out
    assert "Probably already in Kontor: " in out
    assert Contact.objects.count() == before


def test_the_groups_speak_german_too(bob_client, acme):
    make_company(acme, "Alt GmbH", customer_number=10001)
    run = start(acme, csv_bytes("Kundennummer;Firmenname", "10001;Neu GmbH"))
    page = bob_client.get(
        f"/import/runs/{run.pk}/preview/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Nummer gehört einem anderen Kontakt" in page
    assert "Als neuen Kontakt mit der nächsten freien Nummer importieren" in page
