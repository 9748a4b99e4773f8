"""A real client: vdirsyncer syncs Acme's book into a folder and back, against a live server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from contacts_app import services
from contacts_app.models import Contact
from history.models import ChangeSet, Source

from .conftest import issue, make_company, make_person

pytestmark = [pytest.mark.django_db(transaction=True)]

VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")


def write_config(tmp_path: Path, url: str, email: str, password: str) -> Path:
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(
        f"""[general]
status_path = "{tmp_path / "status"}/"

[pair kontor]
a = "kontor_remote"
b = "kontor_local"
collections = null
conflict_resolution = "a wins"

[storage kontor_remote]
type = "carddav"
url = "{url}"
username = "{email}"
password = "{password}"

[storage kontor_local]
type = "filesystem"
path = "{tmp_path / "contacts"}/"
fileext = ".vcf"
""",
        encoding="utf-8",
    )
    (tmp_path / "contacts").mkdir()
    return config


def vdirsyncer(config: Path, *arguments: str) -> str:
    result = subprocess.run(  # noqa: S603
        [str(VDIRSYNCER), "-c", str(config), "--verbosity", "INFO", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        input="y\n",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def cards_in(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.vcf"))}


def test_vdirsyncer_syncs_the_book_into_a_folder_and_back(live_server, tmp_path, acme, alice):
    company = make_company(
        acme,
        "Nordlicht GmbH",
        phone_business="0431 123456",
        persons=[{"first_name": "Jana", "last_name": "Berg", "email": "jana@nordlicht.test"}],
    )
    person = make_person(acme, "Erika", "Mustermann", email_private="erika@example.test")
    leaving = make_person(acme, "Otto", "Normal")
    _device, password = issue(alice, "vdirsyncer")
    config = write_config(tmp_path, f"{live_server.url}/dav/books/acme/", alice.email, password)
    folder = tmp_path / "contacts"

    vdirsyncer(config, "discover")
    vdirsyncer(config, "sync")

    cards = cards_in(folder)
    assert len(cards) == 4  # three contacts and the company's contact person
    assert any("ORG:Nordlicht GmbH" in c and "X-ABShowAs:COMPANY" in c for c in cards.values())
    assert any("FN:Jana Berg" in c for c in cards.values())
    before = {name: (folder / name).stat().st_mtime_ns for name in cards}

    # An edit and a deletion in Kontor: only those two reach the folder.
    services.update_contact(
        contact=person,
        data={"email_private": "erika@neu.test"},
        expected_version=person.version,
        by=alice,
    )
    services.trash_contact(contact=leaving, by=alice)
    vdirsyncer(config, "sync")

    after = cards_in(folder)
    assert len(after) == 3
    assert not any("FN:Otto Normal" in c for c in after.values())
    erika = next(c for c in after.values() if "FN:Erika Mustermann" in c)
    assert "erika@neu.test" in erika
    unchanged = [n for n in after if "Erika" not in after[n]]
    assert all((folder / n).stat().st_mtime_ns == before[n] for n in unchanged)

    # A card made in the folder goes up into Kontor as a new contact.
    (folder / "lieferant-1.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:lieferant-1\r\nFN:Hafen Logistik\r\n"
        "ORG:Hafen Logistik\r\nN:;;;;\r\nTEL;TYPE=WORK:0421 998877\r\n"
        "EMAIL;TYPE=WORK:info@hafen.test\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    vdirsyncer(config, "sync")

    created = Contact.objects.get(company_name="Hafen Logistik")
    assert created.kind == Contact.Kind.COMPANY
    assert created.customer_number is not None
    assert created.phone_business == "0421 998877"
    assert created.email_business == "info@hafen.test"
    assert ChangeSet.objects.filter(source=Source.CARDDAV, label="vdirsyncer").exists()
    assert Contact.objects.filter(pk=company.pk).exists()
