"""The import pages: upload, refusals, column assignment, preview, confirm, result, history."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts_app.models import Contact
from importer.models import ImportRun
from importer.reading import MAX_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def upload(client, name: str, data: bytes, target: str = "customers"):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(f"/import/{target}/upload/", {"file": file}, **EN)


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_the_start_page_offers_templates_references_and_upload(bob_client):
    response = bob_client.get("/import/", **EN)
    assert response.status_code == 200
    for target in ("customers", "suppliers", "products"):
        assert f"/import/{target}/template.csv".encode() in response.content
        assert f"/import/{target}/reference.pdf".encode() in response.content
        assert f"/import/{target}/upload/".encode() in response.content


def test_the_template_has_the_exact_column_names_in_the_users_language(bob_client):
    german = bob_client.get("/import/customers/template.csv", HTTP_ACCEPT_LANGUAGE="de")
    lines = german.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kundennummer;Firmenname;Anrede;Titel;Vorname;Nachname;")
    assert len(lines) == 2  # the header and one example row
    english = bob_client.get("/import/customers/template.csv", **EN)
    assert english.content.decode("utf-8-sig").startswith("Customer number,Company name,")


def test_the_quick_reference_is_a_pdf_naming_the_columns(bob_client):
    response = bob_client.get("/import/products/reference.pdf", **EN)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    import zlib

    # fpdf2 compresses page content: inflate the streams to find the text.
    text = b""
    for chunk in response.content.split(b"stream")[1:]:
        body = chunk.split(b"endstream")[0].strip(b"\r\n")
        try:
            text += zlib.decompress(body)
        except zlib.error:
            continue
    assert b"Artikelnummer" in text and b"GTIN/EAN" in text and b"Bezeichnung" in text


def test_a_good_file_goes_to_the_column_assignment(bob_client):
    response = upload(bob_client, "kunden.csv", sample("kunden-lexoffice-cp1252.csv"))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/import/runs/{run.pk}/columns/"
    page = bob_client.get(response["Location"], **EN)
    assert b"Windows-1252" in page.content
    assert "Gärtnerei Meyer GmbH".encode() in page.content


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-binary.csv", "not a CSV file"),
        ("bad-empty.csv", "empty"),
        ("bad-header-only.csv", "no data rows"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(bob_client, name, message):
    response = upload(bob_client, name, sample(name))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportRun.objects.filter(status="draft").count() == 0


def test_a_spreadsheet_file_gets_advice_to_save_as_csv(bob_client):
    response = upload(bob_client, "kunden.xlsx", b"PK\x03\x04" + b"\0" * 100)
    assert response.status_code == 400
    assert "Save as" in response.content.decode()


def test_a_file_with_another_ending_is_refused(bob_client):
    response = upload(bob_client, "kunden.doc", b"Firmenname\nA GmbH\n")
    assert response.status_code == 400
    assert ".csv, .txt or .vcf" in response.content.decode()


def test_a_file_one_byte_over_the_limit_is_refused_and_not_kept(bob_client):
    data = b"Firmenname\n" + b"A" * (MAX_BYTES - 11) + b"X"
    assert len(data) == MAX_BYTES + 1
    response = upload(bob_client, "big.csv", data)
    assert response.status_code == 413
    assert "2 MB" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_huge_body_is_refused_before_it_is_read(bob_client):
    """The declared length alone decides: the small real body could not satisfy a read."""
    response = bob_client.post(
        "/import/customers/upload/",
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **EN,
    )
    assert response.status_code == 413
    assert "2 MB" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_the_limit_is_exactly_two_mebibytes_and_the_2mib_sample_is_accepted(bob_client):
    data = sample("kunden-2mib-cp1252.csv")
    assert len(data) <= MAX_BYTES == 2_097_152
    response = upload(bob_client, "kunden-2mib.csv", data)
    assert response.status_code == 302


def test_a_missing_required_column_is_reported_before_the_preview(bob_client):
    response = upload(bob_client, "p.csv", b"Artikelnummer;Preis\nA-1;3\n", "products")
    run = ImportRun.objects.get()
    page = bob_client.post(
        f"/import/runs/{run.pk}/columns/",
        {"col_0": "number", "col_1": "", "on_duplicate": "update"},
        **EN,
    )
    assert page.status_code == 200
    assert "required columns are not assigned" in page.content.decode()
    assert response.status_code == 302


def test_the_whole_flow_imports_and_offers_the_failed_rows(bob_client, acme):
    upload(bob_client, "bad-values.csv", sample("bad-values-cp1252.csv"))
    run = ImportRun.objects.get()
    mapping = bob_client.get(f"/import/runs/{run.pk}/columns/", **EN)
    assert mapping.status_code == 200
    post = {f"col_{i}": key for i, key in enumerate(run.mapping)} | {"on_duplicate": "update"}
    assert bob_client.post(f"/import/runs/{run.pk}/columns/", post)["Location"].endswith(
        "/preview/"
    )
    preview = bob_client.get(f"/import/runs/{run.pk}/preview/", **EN)
    text = preview.content.decode()
    assert "Not a valid e-mail address." in text
    assert Contact.objects.count() == 0
    done = bob_client.post(f"/import/runs/{run.pk}/confirm/", **EN)
    assert done["Location"] == f"/import/runs/{run.pk}/"
    assert Contact.objects.filter(organization=acme).count() == 2
    failed = bob_client.get(f"/import/runs/{run.pk}/failed.csv")
    assert failed.status_code == 200
    assert "Falsche Mail KG" in failed.content.decode("utf-8-sig")
    history = bob_client.get("/import/", **EN).content.decode()
    assert "bad-values.csv" in history


def test_viewers_cannot_upload_or_confirm(vera_client, bob_client):
    assert upload(vera_client, "k.csv", b"Firmenname\nA GmbH\n").status_code == 403
    upload(bob_client, "k.csv", b"Firmenname\nA GmbH\n")
    run = ImportRun.objects.get()
    assert vera_client.post(f"/import/runs/{run.pk}/confirm/").status_code == 403
    assert vera_client.post(f"/import/runs/{run.pk}/undo/").status_code == 403
    assert vera_client.get(f"/import/runs/{run.pk}/columns/").status_code == 403


def test_another_organization_gets_404_on_every_run_url(charlie_client, bob_client):
    upload(bob_client, "k.csv", b"Firmenname\nA GmbH\n")
    run = ImportRun.objects.get()
    for suffix in ("", "columns/", "preview/", "failed.csv"):
        assert charlie_client.get(f"/import/runs/{run.pk}/{suffix}").status_code == 404
    for suffix in ("confirm/", "undo/", "discard/", "reading/", "columns/"):
        assert charlie_client.post(f"/import/runs/{run.pk}/{suffix}").status_code == 404
    assert Contact.objects.count() == 0


def test_an_unknown_target_is_404(bob_client):
    assert bob_client.get("/import/planets/template.csv").status_code == 404
    assert upload(bob_client, "k.csv", b"Firmenname\nA\n", target="planets").status_code == 404


def test_another_encoding_can_be_chosen(bob_client):
    upload(bob_client, "k.csv", "Firmenname;Ort\nMüller GmbH;Köln\n".encode("cp1252"))
    run = ImportRun.objects.get()
    response = bob_client.post(
        f"/import/runs/{run.pk}/reading/", {"encoding": "utf-8", "delimiter": ";"}, **EN
    )
    assert response.status_code == 302
    page = bob_client.get(response["Location"], **EN).content.decode()
    assert "UTF-8" in page and "not" in page.lower()
    run.refresh_from_db()
    assert run.encoding == "cp1252"


@pytest.mark.parametrize(
    ("target", "data", "link", "label"),
    [
        ("customers", b"Firmenname\nA GmbH\n", "/contacts/?role=customer", "Show contacts"),
        ("suppliers", b"Firmenname\nA GmbH\n", "/contacts/?role=supplier", "Show contacts"),
        (
            "products",
            b"Bezeichnung;Einheit;Nettopreis\nBrot;St\xc3\xbcck;2,50\n",
            "/products/",
            "Show products",
        ),
    ],
)
def test_the_result_page_leads_to_what_the_import_brought_in(bob_client, target, data, link, label):
    upload(bob_client, "f.csv", data, target)
    run = ImportRun.objects.get()
    assert bob_client.get(f"/import/runs/{run.pk}/preview/", **EN).status_code == 200
    bob_client.post(f"/import/runs/{run.pk}/confirm/", **EN)
    page = bob_client.get(f"/import/runs/{run.pk}/", **EN).content.decode()
    assert f'href="{link}">{label}</a>' in page
