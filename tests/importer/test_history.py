"""The history of imports lists what was imported (and undone), never an upload that was not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from importer.models import ImportRun

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def upload(client, name: str, data: bytes = "Firmenname\nBäckerei Müller\n".encode()):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    client.post("/import/customers/upload/", {"file": file}, **EN)
    return ImportRun.objects.get(file_name=name)


def history(client, **headers) -> list[list[str]]:
    page = client.get("/import/", **(headers or EN)).content.decode()
    table = re.search(r'<table[^>]*data-testid="history">(.*?)</table>', page, re.S)
    if not table:
        return []
    body = table.group(1).split("<tbody>")[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_an_upload_not_imported_is_not_in_the_history(bob_client):
    upload(bob_client, "entwurf.csv")
    page = bob_client.get("/import/", **DE).content.decode()
    assert "entwurf.csv" not in page
    assert "Noch keine Importe." in page


def test_imported_and_undone_imports_are_listed_with_their_status(bob_client):
    imported = upload(bob_client, "kunden.csv")
    bob_client.post(f"/import/runs/{imported.pk}/confirm/", **EN)
    undone = upload(bob_client, "rückgängig.csv", b"Firmenname\nNordlicht GmbH\n")
    bob_client.post(f"/import/runs/{undone.pk}/confirm/", **EN)
    bob_client.post(f"/import/runs/{undone.pk}/undo/", **EN)
    upload(bob_client, "halb.csv")  # uploaded, never imported
    rows = history(bob_client)
    assert [(row[2], row[-1]) for row in rows] == [
        ("rückgängig.csv", "undone"),
        ("kunden.csv", "imported"),
    ]


def test_a_draft_left_for_a_day_is_dropped_at_the_next_upload(bob_client):
    old = upload(bob_client, "alt.csv")
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    upload(bob_client, "neu.csv")
    old.refresh_from_db()
    assert old.status == ImportRun.Status.DISCARDED
    assert old.file_data is None
    assert bob_client.get(f"/import/runs/{old.pk}/columns/", **EN).status_code == 404


def test_the_import_and_undo_buttons_say_they_are_working_in_german(bob_client):
    run = upload(bob_client, "kunden.csv")
    preview = bob_client.get(f"/import/runs/{run.pk}/preview/", **DE).content.decode()
    assert 'data-busy="Wird importiert …"' in preview
    bob_client.post(f"/import/runs/{run.pk}/confirm/", **DE)
    result = bob_client.get(f"/import/runs/{run.pk}/", **DE).content.decode()
    assert 'data-busy="Wird rückgängig gemacht …"' in result
