"""The import pages for other programs' exports: what was recognised, suggestions that count
only when confirmed, and the choice for rows with a company and a person."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from contacts_app.models import Contact, ContactPerson
from importer.checking import MixedRows
from importer.models import ImportRun

FIXTURES = Path(__file__).parent / "fixtures"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def upload(client, name: str, data: bytes, headers=EN):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post("/import/customers/upload/", {"file": file}, **headers)


def outlook(client, headers=EN) -> ImportRun:
    upload(client, "outlook.csv", (FIXTURES / "outlook-de-cp1252.csv").read_bytes(), headers)
    return ImportRun.objects.get()


def test_the_column_page_names_the_recognised_export_in_german(bob_client):
    run = outlook(bob_client, DE)
    page = unescape(bob_client.get(f"/import/runs/{run.pk}/columns/", **DE).content.decode())
    assert "Outlook-Export (deutsch) erkannt" in page


def test_a_suggestion_is_shown_and_counts_only_when_confirmed(bob_client):
    upload(bob_client, "k.csv", b"Nachname;Handynummer\r\nKrause;+49 170 1234567\r\n")
    run = ImportRun.objects.get()
    assert run.mapping == ["last_name", ""]
    page = unescape(bob_client.get(f"/import/runs/{run.pk}/columns/", **EN).content.decode())
    assert 'data-testid="suggestion"' in page
    assert "Use the suggestion" in page
    # Pre-selected, but sent as it is without the tick, it is refused and not stored.
    post = {"col_0": "last_name", "col_1": "phone_mobile", "on_duplicate": "update"}
    refused = bob_client.post(f"/import/runs/{run.pk}/columns/", post, **EN)
    assert refused.status_code == 200
    assert "“Mobile” is only a suggestion" in unescape(refused.content.decode())
    run.refresh_from_db()
    assert run.mapping == ["last_name", ""]
    confirmed = bob_client.post(f"/import/runs/{run.pk}/columns/", post | {"confirm_1": "on"})
    assert confirmed["Location"].endswith(f"/import/runs/{run.pk}/preview/")
    run.refresh_from_db()
    assert run.mapping == ["last_name", "phone_mobile"]
    # Or not imported at all, without a tick.
    run.mapping = ["last_name", ""]
    run.save()
    skipped = bob_client.post(f"/import/runs/{run.pk}/columns/", post | {"col_1": ""})
    assert skipped.status_code == 302


def test_the_preview_states_the_rule_and_every_row_can_be_a_person(bob_client, acme):
    run = outlook(bob_client)
    preview = unescape(bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).content.decode())
    assert "becomes the company, with that person as its contact person" in preview
    assert "Every row is a person of its own" in preview
    chosen = bob_client.post(f"/import/runs/{run.pk}/choices/", {"mixed_rows": "persons"})
    assert chosen.status_code == 302
    run.refresh_from_db()
    assert run.mixed_rows == MixedRows.PERSONS
    preview = unescape(bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).content.decode())
    assert "Every row becomes a person of its own" in preview
    bob_client.post(f"/import/runs/{run.pk}/confirm/", **EN)
    assert not ContactPerson.objects.exists()
    assert Contact.objects.get(display_name="Anna Schäfer").kind == Contact.Kind.PERSON


def test_a_choice_that_is_none_is_refused(bob_client):
    run = outlook(bob_client)
    bob_client.post(f"/import/runs/{run.pk}/choices/", {"mixed_rows": "everything"})
    run.refresh_from_db()
    assert run.mixed_rows == MixedRows.COMPANY


def test_a_viewer_cannot_change_the_choice(vera_client, bob_client):
    run = outlook(bob_client)
    assert (
        vera_client.post(f"/import/runs/{run.pk}/choices/", {"mixed_rows": "persons"}).status_code
        == 403
    )
