"""Receiving an upload without ever holding more than the import limit in memory."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .reading import MAX_BYTES

# Room for the multipart envelope and the other form fields around the file.
ENVELOPE_BYTES = 64 * 1024


def body_too_large(request) -> bool:
    """The declared body is larger than any acceptable upload: refuse it unread."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_BYTES + ENVELOPE_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory up to MAX_BYTES; stops the upload beyond that."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.too_large = False
        self.buffer = io.BytesIO()
        self.size = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > MAX_BYTES:
            self.too_large = True
            # Discard the rest of the body without keeping it.
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
