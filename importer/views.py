"""The import pages: start and history, columns, preview and choices, import, result, undo, and
the files of rows with errors (the template, quick reference and exports: `downloads.py`).

Class-based views on the tenancy mixins (`accounts.tenancy`) and the building blocks of
`core.views`; every choice of target comes from the registry (`importer.targets`). The upload
itself is a function view, in `uploads.py`, which says why.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from accounts.tenancy import EditorMixin, OrganizationMixin
from core.views import DownloadView, ObjectActionView

from . import known_exports, services
from .checking import MixedRows
from .formats import is_vcard
from .forms import UPLOAD_ACCEPT, MappingForm, ReadingForm, RowChoicesForm, SheetForm, UploadForm
from .models import ImportRun
from .preview import (
    SHOWN_NOTICES,
    row_choice_options,
    sample_value,
    shown_groups,
    shown_updates,
)
from .reading import ImportFileError, ParsedFile
from .targets import TARGETS

PREVIEW_ROWS = 10
SHOWN_ERRORS = 200
HISTORY_LENGTH = 20
CSV = "text/csv; charset=utf-8"


class ImportStart(OrganizationMixin, ListView):
    """Every target with its template, quick reference and upload form; the past imports
    (those imported, undone or not; never an upload that was not imported)."""

    model = ImportRun
    template_name = "importer/start.html"
    context_object_name = "runs"

    def get_queryset(self) -> QuerySet[ImportRun]:
        return (
            super()
            .get_queryset()
            .select_related("created_by")
            # Only what was imported: an upload never started is no import (and is dropped
            # after a day, see services.discard_abandoned).
            .filter(status__in=[ImportRun.Status.DONE, ImportRun.Status.UNDONE])
            .defer("file_data", "checked_rows", "failed_rows")[:HISTORY_LENGTH]
        )

    def get_context_data(
        self, *, forms: dict[str, UploadForm] | None = None, selected: str = "", **kwargs: Any
    ) -> dict[str, Any]:
        upload_forms = {target.key: UploadForm() for target in TARGETS} | (forms or {})
        return super().get_context_data(
            targets=TARGETS,
            forms=upload_forms,
            selected=selected,
            upload_accept=UPLOAD_ACCEPT,
            **kwargs,
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
        target, headers = self.object.import_target, self.parsed.headers
        self.export = None if self.parsed.is_vcard else known_exports.recognise(headers, target)
        return {
            **super().get_form_kwargs(),
            "headers": headers,
            "columns": target.columns_for(headers),
            "further": [c for c in target.import_columns if c not in target.columns],
            "mapping": self.object.mapping,
            "suggested": known_exports.suggestions(
                headers, self.object.mapping, target.import_columns_for(headers), self.export
            ),
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
        confirms = [
            form[f"confirm_{i}"] if i in form.suggested else None for i in range(len(form.headers))
        ]
        return {
            **context,
            "parsed": self.parsed,
            "export": self.export,
            "rows": list(
                zip(form.headers, fields, column_samples(self.parsed), confirms, strict=True)
            ),
            "missing": self.missing,
            "reading_form": ReadingForm(
                initial={"encoding": run.encoding, "delimiter": run.delimiter},
                current_encoding=run.encoding,
            ),
            "sheet_form": SheetForm(initial={"sheet": run.sheet}, sheets=self.parsed.sheets),
            "row_count": len(self.parsed.rows),
        }


class ReadAgain(OrganizationMixin, RunMixin, ObjectActionView):
    """Read the file again with another encoding or delimiter, or another sheet of a
    workbook."""

    drafts_only = True

    def act(self, obj: ImportRun) -> str:
        form: ReadingForm | SheetForm
        if obj.sheet:
            form = SheetForm(self.request.POST)
        else:
            form = ReadingForm(self.request.POST, current_encoding=obj.encoding)
        if not form.is_valid():
            return ""
        try:
            services.change_reading(obj, **form.cleaned_data)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return ""
        if obj.sheet:
            return _("The sheet “%(sheet)s” was read.") % {"sheet": obj.sheet}
        return _("The file was read again.")

    def get_success_url(self) -> str:
        return reverse("importer:mapping", args=[self.object.pk])


class ImportPreview(EditorMixin, RunMixin, DetailView):
    """The dry run: counts, the first rows as they will be stored, the groups that need a
    decision, what the updates change, every problem and notice."""

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
        result, run = self.result, self.object
        target = run.import_target
        sample = [row for row in result.rows if row.status in ("new", "update", "unchanged")]
        # The columns where the first rows' values land (a further phone number of the file
        # may be the contact's mobile number).
        filled = {key for row in sample[:PREVIEW_ROWS] for key in row.values}
        shown = [c for c in target.columns_for_mapping(run.mapping) if c.key in filled]
        updates, other_updates = shown_updates(result, target)
        notices = result.notices
        return super().get_context_data(
            parsed=services.vcard_file(run),
            counts=result.counts,
            columns=shown,
            sample=[
                (row, [sample_value(row.values.get(c.key)) for c in shown])
                for row in sample[:PREVIEW_ROWS]
            ],
            mixed_rows=mixed_rows_rule(run),
            mixed_rows_choices=MixedRows.choices,
            groups=shown_groups(result, target, run.choices()),
            choice_options=row_choice_options(),
            group_choices=cast(
                forms.ChoiceField, RowChoicesForm.base_fields["on_mismatch"]
            ).choices,
            updates=updates,
            other_updates=other_updates,
            other_update_count=max(0, result.count("update") - len(updates)),
            notices=notices[:SHOWN_NOTICES],
            notice_count=len(notices),
            errors=result.errors[:SHOWN_ERRORS],
            error_count=len(result.errors),
            duplicates=[row for row in result.rows if row.duplicate_of][:50],
            **kwargs,
        )


def mixed_rows_rule(run: ImportRun) -> str:
    """What a row with a company and a person's name becomes, in one sentence, for a file
    that can have such rows ("" for one that cannot)."""
    keys = set(run.mapping)
    if not run.import_target.recognises_exports or "company_name" not in keys:
        return ""
    if run.file_data is not None and is_vcard(bytes(run.file_data[:4096])):
        return ""  # a card's person is its company's contact person already (`vcards`)
    if not keys & {"first_name", "last_name"}:
        return ""
    if run.mixed_rows == MixedRows.PERSONS:
        return _(
            "Every row becomes a person of its own; a company name beside the person's name "
            "goes into the person's note. A row with a company name only becomes a company."
        )
    return _(
        "A row with a company name and a person's name becomes the company, with that person "
        "as its contact person (the person's position, e-mail address and mobile number go "
        "with the person; the address and the business phone stay with the company). A row "
        "with only a person's name becomes a person, one with only a company name a company."
    )


def save_row_choices(request: HttpRequest, run: ImportRun) -> bool:
    """Store the choices the preview's form sends, if it sends any (False, with a message,
    when they are no choices)."""
    form = RowChoicesForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Those are no choices.")]:
            messages.error(request, str(error))
        return False
    data = form.cleaned_data
    services.set_choices(
        run,
        on_mismatch=data["on_mismatch"] or None,
        on_probable=data["on_probable"] or None,
        rows=data["rows"],
    )
    if data["mixed_rows"]:
        services.set_mixed_rows(run, data["mixed_rows"])
    return True


class RowChoicesSave(EditorMixin, RunMixin, ObjectActionView):
    """What the rows of the preview's groups do; back to the preview, counted anew."""

    drafts_only = True

    def act(self, obj: ImportRun) -> str:
        if save_row_choices(self.request, obj):
            return _("Your choices are applied; the preview shows what the import will do.")
        return ""

    def get_success_url(self) -> str:
        return reverse("importer:preview", args=[self.object.pk])


class ImportConfirm(OrganizationMixin, RunMixin, ObjectActionView):
    """Import the previewed file, with the choices its form sends: every valid row in one
    transaction."""

    failed = False

    def act(self, obj: ImportRun) -> str:
        if obj.status == ImportRun.Status.DRAFT and not save_row_choices(self.request, obj):
            self.failed = True
            return ""
        try:
            result = services.commit(obj, by=self.user)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return ""
        return (
            _("Import finished: %(new)s new, %(update)s updated, %(invalid)s rows not imported.")
            % result.counts
        )

    def get_success_url(self) -> str:
        if self.failed:
            return reverse("importer:preview", args=[self.object.pk])
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


def failed_rows_name(run: ImportRun) -> str:
    stem = run.file_name.rsplit(".", 1)[0] or "import"
    return f"{stem}-{_('errors')}.csv"


class FailedRowsDownload(OrganizationMixin, RunMixin, DownloadView):
    """The rows an import left out, with the reason, to fix and upload again."""

    def get_file(self) -> tuple[bytes, str, str]:
        run = self.get_object()
        if not run.failed_rows:
            raise Http404
        return bytes(run.failed_rows), CSV, failed_rows_name(run)


class DraftFailedRowsDownload(EditorMixin, RunMixin, DownloadView):
    """The rows the preview finds errors in, before anything is imported."""

    drafts_only = True

    def get_file(self) -> tuple[bytes, str, str]:
        run = self.get_object()
        try:
            data = services.draft_failed_rows(run)
        except ImportFileError:
            raise Http404 from None
        if data is None:
            raise Http404
        return data, CSV, failed_rows_name(run)


class UndoImport(OrganizationMixin, RunMixin, ObjectActionView):
    """Put back what an import changed and delete what it created, unless changed since."""

    def act(self, obj: ImportRun) -> str:
        try:
            outcome = services.undo(obj, by=self.user)
        except ImportFileError as error:
            messages.error(self.request, error.message)
            return ""
        if outcome.kept:
            messages.warning(
                self.request,
                _("Changed after the import and kept as they are: %(count)s (listed below).")
                % {"count": len(outcome.kept)},
            )
        return _("Import undone: %(deleted)s deleted, %(reverted)s put back as they were.") % {
            "deleted": outcome.deleted,
            "reverted": outcome.reverted,
        }

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
