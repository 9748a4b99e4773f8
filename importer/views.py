"""The import pages: start and history, columns, preview, import, result, undo, downloads.

Class-based views on the tenancy mixins (`accounts.tenancy`) and the building blocks of
`core.views`; every choice of target comes from the registry (`importer.targets`). The upload
itself is a function view, in `uploads.py`, which says why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from accounts.tenancy import EditorMixin, OrganizationMixin
from contacts_app.forms import ContactFilterForm
from contacts_app.selectors import filtered_contacts
from core.views import DownloadView, ObjectActionView

from . import services
from .documents import quick_reference_pdf, template_csv
from .forms import MappingForm, ReadingForm, UploadForm
from .models import ImportRun
from .reading import ImportFileError, ParsedFile
from .targets import TARGETS, ImportTarget, get_target
from .targets.customers import CUSTOMERS
from .targets.suppliers import SUPPLIERS

PREVIEW_ROWS = 10
SHOWN_ERRORS = 200
HISTORY_LENGTH = 20
CSV = "text/csv; charset=utf-8"


class ImportStart(OrganizationMixin, ListView):
    """Every target with its template, quick reference and upload form; the past imports."""

    model = ImportRun
    template_name = "importer/start.html"
    context_object_name = "runs"

    def get_queryset(self) -> QuerySet[ImportRun]:
        return (
            super()
            .get_queryset()
            .select_related("created_by")
            .exclude(status=ImportRun.Status.DISCARDED)
            .defer("file_data", "checked_rows", "failed_rows")[:HISTORY_LENGTH]
        )

    def get_context_data(
        self, *, forms: dict[str, UploadForm] | None = None, selected: str = "", **kwargs: Any
    ) -> dict[str, Any]:
        upload_forms = {target.key: UploadForm() for target in TARGETS} | (forms or {})
        return super().get_context_data(
            targets=TARGETS, forms=upload_forms, selected=selected, **kwargs
        )

    @classmethod
    def refused(
        cls, request: HttpRequest, *, status: int, target: str, form: UploadForm | None = None
    ) -> HttpResponse:
        """The page again after an upload for `target` was refused, its form saying why."""
        view = cls()
        view.setup(request)
        view.organization = request.organization  # type: ignore[attr-defined]
        view.object_list = view.get_queryset()
        forms = {target: form} if form is not None else {}
        context = view.get_context_data(forms=forms, selected=target)
        return view.render_to_response(context, status=status)


class RunMixin(SingleObjectMixin):
    """The import run named by the URL; with `drafts_only`, only one not imported yet (the
    steps before the import answer 404 for a run imported, undone or discarded)."""

    model = ImportRun
    context_object_name = "run"
    drafts_only = False

    def get_queryset(self) -> QuerySet[ImportRun]:
        runs = super().get_queryset().select_related("created_by")
        return runs.filter(status=ImportRun.Status.DRAFT) if self.drafts_only else runs


def column_samples(parsed: ParsedFile, count: int = 3) -> list[list[str]]:
    """Up to `count` non-empty example values per file column."""
    samples: list[list[str]] = [[] for _ in parsed.headers]
    for _line, cells in parsed.rows[:200]:
        for index, cell in enumerate(cells[: len(samples)]):
            value = cell.strip()
            if value and len(samples[index]) < count and value not in samples[index]:
                samples[index].append(value[:60])
    return samples


class ColumnAssignment(EditorMixin, RunMixin, FormView):
    """Which column of the file goes into what, and what a row with an existing number does."""

    form_class = MappingForm
    template_name = "importer/mapping.html"
    drafts_only = True
    missing: list = []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.read_file():
            return redirect("importer:start")
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.read_file():
            return redirect("importer:start")
        return super().post(request, *args, **kwargs)

    def read_file(self) -> bool:
        """Read the run's file (False, with a message saying why, if that fails)."""
        self.object = self.get_object()
        try:
            self.parsed = services.parse(self.object)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return False
        return True

    def get_initial(self) -> dict[str, Any]:
        return {"on_duplicate": self.object.on_duplicate}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "headers": self.parsed.headers,
            "columns": self.object.import_target.columns,
            "mapping": self.object.mapping,
        }

    def form_valid(self, form: MappingForm) -> HttpResponse:
        self.missing = services.set_mapping(
            self.object, mapping=form.mapping(), on_duplicate=form.cleaned_data["on_duplicate"]
        )
        if self.missing:
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("importer:preview", pk=self.object.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form, run = context["form"], self.object
        fields = [form[f"col_{i}"] for i in range(len(form.headers))]
        return {
            **context,
            "parsed": self.parsed,
            "rows": list(zip(form.headers, fields, column_samples(self.parsed), strict=True)),
            "missing": self.missing,
            "reading_form": ReadingForm(
                initial={"encoding": run.encoding, "delimiter": run.delimiter},
                current_encoding=run.encoding,
            ),
            "row_count": len(self.parsed.rows),
        }


class ReadAgain(OrganizationMixin, RunMixin, ObjectActionView):
    """Read the file again with another encoding or delimiter."""

    drafts_only = True

    def act(self, obj: ImportRun) -> str:
        form = ReadingForm(self.request.POST, current_encoding=obj.encoding)
        if not form.is_valid():
            return ""
        try:
            services.change_reading(obj, **form.cleaned_data)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return ""
        return _("The file was read again.")

    def get_success_url(self) -> str:
        return reverse("importer:mapping", args=[self.object.pk])


class ImportPreview(EditorMixin, RunMixin, DetailView):
    """The dry run: counts, the first rows as they will be stored, every problem."""

    template_name = "importer/preview.html"
    drafts_only = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.object = self.get_object()
        if services.set_mapping(run, mapping=run.mapping, on_duplicate=run.on_duplicate):
            return redirect("importer:mapping", pk=run.pk)
        try:
            self.result = services.check(run)
        except ImportFileError as error:
            messages.error(request, error.message)
            return redirect("importer:start")
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        result = self.result
        shown = [(i, c) for i, c in enumerate(result.columns) if c is not None]
        sample = [row for row in result.rows if row.status in ("new", "update", "unchanged")]
        return super().get_context_data(
            counts=result.counts,
            columns=[c for _i, c in shown],
            sample=[
                (row, [row.values.get(c.key, "") for _i, c in shown])
                for row in sample[:PREVIEW_ROWS]
            ],
            errors=result.errors[:SHOWN_ERRORS],
            error_count=len(result.errors),
            duplicates=[row for row in result.rows if row.duplicate_of][:50],
            **kwargs,
        )


class ImportConfirm(OrganizationMixin, RunMixin, ObjectActionView):
    """Import the previewed file: every valid row in one transaction."""

    def act(self, obj: ImportRun) -> str:
        try:
            result = services.commit(obj, by=self.request.user)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return ""
        return (
            _("Import finished: %(new)s new, %(update)s updated, %(invalid)s rows not imported.")
            % result.counts
        )

    def get_success_url(self) -> str:
        return reverse("importer:result", args=[self.object.pk])


class ImportResult(OrganizationMixin, RunMixin, DetailView):
    """What an import did (or, not yet imported, back to its columns)."""

    template_name = "importer/result.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.status == ImportRun.Status.DRAFT:
            return redirect("importer:mapping", pk=self.object.pk)
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            counts=self.object.counts, target=self.object.import_target, **kwargs
        )


class FailedRowsDownload(OrganizationMixin, RunMixin, DownloadView):
    """The rows an import left out, with the reason, to fix and upload again."""

    def get_file(self) -> tuple[bytes, str, str]:
        run = self.get_object()
        if not run.failed_rows:
            raise Http404
        stem = run.file_name.rsplit(".", 1)[0] or "import"
        return bytes(run.failed_rows), CSV, f"{stem}-{_('errors')}.csv"


class UndoImport(OrganizationMixin, RunMixin, ObjectActionView):
    """Delete what an import created, unless it was changed since."""

    kept: list = []

    def act(self, obj: ImportRun) -> str:
        try:
            deleted, self.kept = services.undo(obj, by=self.request.user)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return ""
        return _("Import undone: %(count)s records deleted.") % {"count": deleted}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if self.kept:
            messages.warning(
                request,
                _("%(count)s records were changed after the import and were kept: %(names)s")
                % {"count": len(self.kept), "names": ", ".join(str(k) for k in self.kept[:20])},
            )
        return response

    def get_success_url(self) -> str:
        return reverse("importer:result", args=[self.object.pk])


class DiscardUpload(OrganizationMixin, RunMixin, ObjectActionView):
    """Drop an upload that is not wanted; nothing is imported."""

    drafts_only = True

    def act(self, obj: ImportRun) -> str:
        services.discard(obj)
        return _("The upload was discarded; nothing was imported.")

    def get_success_url(self) -> str:
        return reverse("importer:start")


class TargetFileView(OrganizationMixin, DownloadView):
    """A file made from the target the URL names (404 for a name no target has)."""

    def names_an_object(self) -> bool:
        return False  # a target is no record of the organization's

    def get_file(self) -> tuple[bytes, str, str]:
        try:
            target = get_target(self.kwargs["target"])
        except LookupError:
            raise Http404 from None
        return self.target_file(target)

    def target_file(self, target: ImportTarget) -> tuple[bytes, str, str]:
        raise NotImplementedError


class TemplateDownload(TargetFileView):
    """The target's columns with an example row, to fill in."""

    def target_file(self, target: ImportTarget) -> tuple[bytes, str, str]:
        name = f"kontor-{_('template')}-{target.label.lower()}.csv"
        return template_csv(target), CSV, name


class ReferenceDownload(TargetFileView):
    """The quick reference to print: every column, its format and an example."""

    as_attachment = False

    def target_file(self, target: ImportTarget) -> tuple[bytes, str, str]:
        name = f"kontor-{_('quick-reference')}-{target.label.lower()}.pdf"
        return quick_reference_pdf(target), "application/pdf", name


class TargetExport(OrganizationMixin, DownloadView):
    """Everything of a target the organization has, in the template's columns; the target is
    given to `as_view()`."""

    target: ImportTarget | None = None

    def get_export(self) -> tuple[ImportTarget, QuerySet]:
        assert self.target is not None
        return self.target, self.target.records(self.organization)

    def get_file(self) -> tuple[bytes, str, str]:
        target, records = self.get_export()
        return target.export(records), CSV, f"kontor-{target.label.lower()}.csv"


class ContactListExport(TargetExport):
    """The contact list as it is filtered on screen: suppliers when it shows suppliers,
    customers otherwise."""

    def get_export(self) -> tuple[ImportTarget, QuerySet]:
        flt = ContactFilterForm(self.request.GET, organization=self.organization).as_filter()
        target = SUPPLIERS if flt.role == SUPPLIERS.role else CUSTOMERS
        return target, filtered_contacts(self.organization, flt)
