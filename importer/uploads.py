"""Receiving an upload without ever holding more than the import limit in memory.

The upload is the one import page that is a function view, because of the order things must
happen in: the limited upload handler has to be in place before anything reads the body, and
Django's CSRF check reads it (for the token in the form). So `upload` is exempt from the
middleware's check, installs the handler, and only then runs the CSRF check, the method and role
checks and the upload itself (`_upload`, decorated in that order). A class would have to undo its
own `dispatch` to get the same order, which says less plainly what happens when.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.tenancy import role_required

from . import services
from .forms import UploadForm, has_allowed_suffix, too_large_message
from .reading import MAX_BYTES, ImportFileError
from .targets import get_target
from .views import ImportStart

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


def _target_key(target: str) -> str:
    try:
        return get_target(target).key
    except LookupError:
        raise Http404 from None


@csrf_exempt
def upload(request: HttpRequest, target: str) -> HttpResponse:
    """Keep an uploaded file as a draft import and go on to its columns."""
    # The upload handler must be in place before anything reads the body, CSRF check included.
    if request.method == "POST" and body_too_large(request):
        return _refuse_too_large(request, target)
    handler = LimitedUploadHandler(request)
    request.upload_handlers = [handler]
    return _upload(request, target, handler)


@role_required(Role.MEMBER, for_get=True)
def _refuse_too_large(request: HttpRequest, target: str) -> HttpResponse:
    messages.error(request, too_large_message())
    return ImportStart.refused(request, status=413, target=_target_key(target))


@csrf_protect
@require_POST
@role_required(Role.MEMBER)
def _upload(request: HttpRequest, target: str, handler: LimitedUploadHandler) -> HttpResponse:
    key = _target_key(target)
    form = UploadForm(request.POST, request.FILES)
    if handler.too_large:
        form = UploadForm()
        form.is_bound = True
        form._errors = {"file": form.error_class([too_large_message()])}  # type: ignore[attr-defined]
        return ImportStart.refused(request, status=413, target=key, form=form)
    if not form.is_valid():
        return ImportStart.refused(request, status=400, target=key, form=form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        run, _parsed = services.start_import(
            organization=request.organization,  # type: ignore[attr-defined]
            target=key,
            file_name=upload.name,
            data=data,
            by=request.user,  # type: ignore[arg-type]
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return ImportStart.refused(request, status=400, target=key, form=form)
    if not has_allowed_suffix(upload.name):
        services.discard(run)
        form.add_error("file", _("Please upload a file ending in .csv, .txt or .vcf."))
        return ImportStart.refused(request, status=400, target=key, form=form)
    return redirect("importer:mapping", pk=run.pk)
