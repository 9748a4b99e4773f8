"""The quick reference PDF writes numbers as the reader's language does."""

from __future__ import annotations

import re
import zlib

import pytest

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text an fpdf2 page shows: its compressed streams inflated, the strings joined."""
    text = b""
    for chunk in content.split(b"stream")[1:]:
        body = chunk.split(b"endstream")[0].strip(b"\r\n")
        try:
            text += zlib.decompress(body)
        except zlib.error:
            continue
    strings = re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", text, re.S)
    return " ".join(s.decode("latin-1") for s in strings)


@pytest.mark.parametrize(
    "language, size",
    [("de", "höchstens 2.097.152 Bytes"), ("en", "at most 2,097,152 bytes")],
)
def test_the_largest_file_is_written_with_the_languages_digit_groups(bob_client, language, size):
    response = bob_client.get("/import/customers/reference.pdf", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert size in pdf_text(response.content)
