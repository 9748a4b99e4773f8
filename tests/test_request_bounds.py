"""Every request body is bounded: above 1 MiB it is refused with 413 before it is read.

The import upload is the one exception (it streams its file through its own 2 MiB limit). A
body that ends before its Content-Length is answered with 400, at once.
"""

from __future__ import annotations

import io
import time

import pytest
from django.core.files import uploadedfile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from products.models import Product
from tests.products.conftest import form_data

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
BOUNDARY = "kontor-boundary"


class MultipartOfAnySize(io.RawIOBase):
    """A multipart body with one file of `size` bytes, produced as it is read (not in memory)."""

    def __init__(self, size: int) -> None:
        self.head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="username"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.length - self.position)
        for index in range(count):
            offset = self.position + index
            if offset < len(self.head):
                buffer[index] = self.head[offset]
            elif offset >= self.length - len(self.tail):
                buffer[index] = self.tail[offset - (self.length - len(self.tail))]
            else:
                buffer[index] = 120  # "x"
        self.position += count
        return count

    def read(self, size: int = -1) -> bytes:
        # Fast path for the big middle part, so that a test of the old behaviour stays quick.
        if size is None or size < 0:
            size = self.length - self.position
        start = self.position
        end = min(self.length, start + size)
        middle_start, middle_end = len(self.head), self.length - len(self.tail)
        if middle_start <= start and end <= middle_end:
            self.position = end
            return b"x" * (end - start)
        return super().read(size)


@pytest.fixture
def temporary_files(monkeypatch, tmp_path, settings) -> list[str]:
    """Every temporary upload file Django creates while the test runs."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    created: list[str] = []
    original = uploadedfile.tempfile.NamedTemporaryFile

    def recording(*args, **kwargs):
        file = original(*args, **kwargs)
        created.append(file.name)
        return file

    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", recording)
    return created


def post_stream(client: Client, path: str, stream, length: int, **extra):
    return client.generic(
        "POST",
        path,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(length), **extra},
    )


def test_200_mb_posted_to_the_login_page_are_refused_unread(temporary_files):
    body = MultipartOfAnySize(200 * MIB)

    response = post_stream(Client(), "/login/", body, body.length, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert "What you sent is too large" in response.text
    assert "at most 1 MB per form" in response.text
    assert body.position == 0
    assert temporary_files == []


def test_the_too_large_page_speaks_the_browsers_language():
    body = MultipartOfAnySize(2 * MIB)

    response = post_stream(Client(), "/login/", body, body.length, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 413
    assert "Was Sie gesendet haben, ist zu groß" in response.text


def test_a_form_just_over_1_mib_is_refused_and_nothing_is_saved(alice_client):
    data = form_data(name="Zu groß", description="x" * MIB)

    response = alice_client.post("/products/new/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert not Product.objects.exists()


def test_a_form_within_1_mib_is_read_as_usual(alice_client):
    data = form_data(name="Passt", padding="x" * (MIB - 4096))

    response = alice_client.post("/products/new/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert Product.objects.get().name == "Passt"


def test_the_import_upload_keeps_its_own_2_mib_limit(bob_client):
    rows = "Firmenname\n" + "".join(
        f"Firma {n:07d} mit einem langen Namen\n" for n in range(45_000)
    )
    data = rows.encode()
    assert MIB < len(data) < 2 * MIB

    response = bob_client.post(
        "/import/customers/upload/",
        {"file": SimpleUploadedFile("kunden.csv", data, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302


def test_a_body_shorter_than_its_content_length_is_a_bad_request_at_once(alice):
    body = io.BytesIO(b"username=alice%40acme.test&password=")
    started = time.monotonic()

    response = Client().generic(
        "POST",
        "/login/",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
        **{"wsgi.input": body, "CONTENT_LENGTH": "4000"},
    )

    assert response.status_code == 400
    assert "What you sent could not be read" in response.text
    assert time.monotonic() - started < 1


def test_a_content_length_that_is_no_number_is_a_bad_request():
    response = Client().generic(
        "POST",
        "/login/",
        b"username=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="ten",
    )

    assert response.status_code == 400
