"""The import pages: start, upload, assign columns, preview, import, result, undo, history."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.http import require_POST_for
from accounts.models import Role
from accounts.tenancy import get_object_for_organization, organization_required, role_required
from contacts_app.forms import ContactFilterForm
from contacts_app.selectors import filtered_contacts

from . import exporting, services
from .documents import quick_reference_pdf, template_csv
from .forms import MappingForm, ReadingForm, UploadForm, has_allowed_suffix, too_large_message
from .models import ImportRun, Target
from .reading import ImportFileError
from .uploads import LimitedUploadHandler, body_too_large

PREVIEW_ROWS = 10
SHOWN_ERRORS = 200


def _target(target: str) -> str:
    if target not in Target.values:
        raise Http404
    return target


def _start_page(request: HttpRequest, *, status: int = 200, **context) -> HttpResponse:
    runs = (
        request.organization.import_runs.select_related("created_by")
        .exclude(status=ImportRun.Status.DISCARDED)
        .defer("file_data", "checked_rows", "failed_rows")[:20]
    )
    forms = {t: UploadForm() for t in Target.values}
    forms.update(context.pop("forms", {}))
    return render(
        request,
        "importer/start.html",
        {"targets": Target.choices, "forms": forms, "runs": runs, **context},
        status=status,
    )


@organization_required
def start(request: HttpRequest) -> HttpResponse:
    return _start_page(request)


@csrf_exempt
def upload(request: HttpRequest, target: str) -> HttpResponse:
    # The upload handler must be in place before anything reads the body, CSRF check included.
    if request.method == "POST" and body_too_large(request):
        return _refuse_too_large(request, target)
    handler = LimitedUploadHandler(request)
    request.upload_handlers = [handler]
    return _upload(request, target, handler)


@role_required(Role.MEMBER, for_get=True)
def _refuse_too_large(request: HttpRequest, target: str) -> HttpResponse:
    messages.error(request, too_large_message())
    return _start_page(request, status=413, selected=_target(target))


@csrf_protect
@require_POST
@role_required(Role.MEMBER)
def _upload(request: HttpRequest, target: str, handler: LimitedUploadHandler) -> HttpResponse:
    target = _target(target)
    form = UploadForm(request.POST, request.FILES)
    if handler.too_large:
        form = UploadForm()
        form.is_bound = True
        form._errors = {"file": form.error_class([too_large_message()])}
        return _start_page(request, status=413, forms={target: form}, selected=target)
    if not form.is_valid():
        return _start_page(request, status=400, forms={target: form}, selected=target)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        run, _parsed = services.start_import(
            organization=request.organization,
            target=target,
            file_name=upload.name,
            data=data,
            by=request.user,
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return _start_page(request, status=400, forms={target: form}, selected=target)
    if not has_allowed_suffix(upload.name):
        services.discard(run)
        form.add_error("file", _("Please upload a file ending in .csv or .txt."))
        return _start_page(request, status=400, forms={target: form}, selected=target)
    return redirect("importer:mapping", pk=run.pk)


def _run(request: HttpRequest, pk: int, *, draft: bool = False) -> ImportRun:
    runs = ImportRun.objects.select_related("created_by")
    if draft:
        runs = runs.filter(status=ImportRun.Status.DRAFT)
    return get_object_for_organization(request, runs, pk=pk)


def _samples(parsed, count: int = 3) -> list[list[str]]:
    """Up to `count` non-empty example values per file column."""
    samples: list[list[str]] = [[] for _ in parsed.headers]
    for _line, cells in parsed.rows[:200]:
        for index, cell in enumerate(cells[: len(samples)]):
            value = cell.strip()
            if value and len(samples[index]) < count and value not in samples[index]:
                samples[index].append(value[:60])
    return samples


@role_required(Role.MEMBER, for_get=True)
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, draft=True)
    try:
        parsed = services.parse(run)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("importer:start")
    columns = services.columns_for(run.target)
    form = MappingForm(
        request.POST or None,
        headers=parsed.headers,
        columns=columns,
        mapping=run.mapping,
        initial={"on_duplicate": run.on_duplicate},
    )
    missing = []
    if request.method == "POST" and form.is_valid():
        missing = services.set_mapping(
            run, mapping=form.mapping(), on_duplicate=form.cleaned_data["on_duplicate"]
        )
        if not missing:
            return redirect("importer:preview", pk=run.pk)
    rows = list(
        zip(
            form.headers,
            [form[f"col_{i}"] for i in range(len(form.headers))],
            _samples(parsed),
            strict=True,
        )
    )
    return render(
        request,
        "importer/mapping.html",
        {
            "run": run,
            "parsed": parsed,
            "form": form,
            "rows": rows,
            "missing": missing,
            "reading_form": ReadingForm(
                initial={"encoding": run.encoding, "delimiter": run.delimiter},
                current_encoding=run.encoding,
            ),
            "row_count": len(parsed.rows),
        },
    )


@role_required(Role.MEMBER)
@require_POST_for(_run)
def reading(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, draft=True)
    form = ReadingForm(request.POST, current_encoding=run.encoding)
    if form.is_valid():
        try:
            services.change_reading(run, **form.cleaned_data)
        except ImportFileError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The file was read again."))
    return redirect("importer:mapping", pk=run.pk)


@role_required(Role.MEMBER, for_get=True)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, draft=True)
    if services.set_mapping(run, mapping=run.mapping, on_duplicate=run.on_duplicate):
        return redirect("importer:mapping", pk=run.pk)
    try:
        result = services.check(run)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("importer:start")
    shown = [(i, c) for i, c in enumerate(result.columns) if c is not None]
    sample = [row for row in result.rows if row.status in ("new", "update", "unchanged")][
        :PREVIEW_ROWS
    ]
    return render(
        request,
        "importer/preview.html",
        {
            "run": run,
            "counts": result.counts,
            "columns": [c for _i, c in shown],
            "sample": [(row, [row.values.get(c.key, "") for _i, c in shown]) for row in sample],
            "errors": result.errors[:SHOWN_ERRORS],
            "error_count": len(result.errors),
            "duplicates": [row for row in result.rows if row.duplicate_of][:50],
        },
    )


@role_required(Role.MEMBER)
@require_POST_for(_run)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        result = services.commit(run, by=request.user)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("importer:result", pk=run.pk)
    counts = result.counts
    messages.success(
        request,
        _("Import finished: %(new)s new, %(update)s updated, %(invalid)s rows not imported.")
        % counts,
    )
    return redirect("importer:result", pk=run.pk)


@organization_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status == ImportRun.Status.DRAFT:
        return redirect("importer:mapping", pk=run.pk)
    return render(request, "importer/result.html", {"run": run, "counts": run.counts})


@organization_required
def failed_rows(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if not run.failed_rows:
        raise Http404
    response = HttpResponse(bytes(run.failed_rows), content_type="text/csv; charset=utf-8")
    stem = run.file_name.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-{_('errors')}.csv")
    return response


@role_required(Role.MEMBER)
@require_POST_for(_run)
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        deleted, kept = services.undo(run, by=request.user)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("importer:result", pk=run.pk)
    messages.success(request, _("Import undone: %(count)s records deleted.") % {"count": deleted})
    if kept:
        messages.warning(
            request,
            _("%(count)s records were changed after the import and were kept: %(names)s")
            % {"count": len(kept), "names": ", ".join(str(k) for k in kept[:20])},
        )
    return redirect("importer:result", pk=run.pk)


@role_required(Role.MEMBER)
@require_POST_for(_run)
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, draft=True)
    services.discard(run)
    messages.success(request, _("The upload was discarded; nothing was imported."))
    return redirect("importer:start")


@organization_required
def template_download(request: HttpRequest, target: str) -> HttpResponse:
    target = _target(target)
    response = HttpResponse(template_csv(target), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"kontor-{_('template')}-{Target(target).label.lower()}.csv"
    )
    return response


@organization_required
def reference_download(request: HttpRequest, target: str) -> HttpResponse:
    target = _target(target)
    response = HttpResponse(quick_reference_pdf(target), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"kontor-{_('quick-reference')}-{Target(target).label.lower()}.pdf"
    )
    return response


@organization_required
def export_contacts(request: HttpRequest) -> HttpResponse:
    """The contact list as it is filtered on screen, in the import template's columns."""
    flt = ContactFilterForm(request.GET).as_filter()
    target = Target.SUPPLIERS if flt.role == "supplier" else Target.CUSTOMERS
    data = exporting.export_contacts(filtered_contacts(request.organization, flt), target)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"kontor-{Target(target).label.lower()}.csv"
    )
    return response


@organization_required
def export_products(request: HttpRequest) -> HttpResponse:
    data = exporting.export_target(request.organization, Target.PRODUCTS)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"kontor-{Target.PRODUCTS.label.lower()}.csv"
    )
    return response
