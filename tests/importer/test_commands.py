"""import_csv, export_csv and export_organization from the command line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contacts_app.models import Contact
from contacts_app.services import add_note, create_contact

FIXTURES = Path(__file__).parent / "fixtures"


def test_import_csv_prints_the_counts_and_writes(acme, capsys):
    call_command(
        "import_csv",
        str(FIXTURES / "bad-values-cp1252.csv"),
        organization="acme",
        target="customers",
    )
    out = capsys.readouterr().out
    assert "Imported: 2 new, 0 updated, 0 unchanged, 0 skipped, 7 invalid (9 rows)" in out
    assert Contact.objects.count() == 2


def test_import_csv_dry_run_writes_nothing(acme, capsys, tmp_path):
    errors = tmp_path / "errors.csv"
    call_command(
        "import_csv",
        str(FIXTURES / "bad-values-cp1252.csv"),
        organization="acme",
        target="customers",
        dry_run=True,
        errors_to=str(errors),
    )
    assert "Checked (dry run): 2 new" in capsys.readouterr().out
    assert Contact.objects.count() == 0
    assert len(errors.read_bytes().decode("utf-8-sig").strip().splitlines()) == 8


def test_import_csv_refuses_a_bad_file_with_exit_1(acme, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_csv", str(FIXTURES / "bad-binary.csv"), organization="acme", target="customers"
        )
    assert exit_info.value.code == 1
    assert "Refused: This is not a CSV file" in capsys.readouterr().err


def test_import_csv_answers_usage_errors_with_exit_2(acme):
    with pytest.raises(CommandError) as error:
        call_command("import_csv", "/no/such/file.csv", organization="acme", target="customers")
    assert error.value.returncode == 2


def test_export_organization_writes_csv_and_json(acme, alice, tmp_path):
    contact = create_contact(
        organization=acme,
        by=alice,
        data={"kind": "company", "company_name": "Zip GmbH"},
        persons=[{"first_name": "Zoe", "last_name": "Zander"}],
    )
    add_note(contact=contact, text="Notiz im Archiv", by=alice)
    target = tmp_path / "acme.zip"
    call_command("export_organization", "acme", output=str(target))
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert names == {"customers.csv", "suppliers.csv", "products.csv", "organization.json"}
        assert "Zip GmbH" in archive.read("customers.csv").decode("utf-8-sig")
        data = json.loads(archive.read("organization.json"))
    assert data["contacts"][0]["contact_persons"][0]["last_name"] == "Zander"
    assert data["contacts"][0]["notes"][0]["text"] == "Notiz im Archiv"
