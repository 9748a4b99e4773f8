"""Files made from the import targets for download: the template, the quick reference and the
exports. Class-based views on the tenancy mixins; every choice of target comes from the
registry (`importer.targets`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tenancy import OrganizationMixin
from contacts_app.forms import ContactFilterForm
from contacts_app.selectors import filtered_contacts
from core.views import DownloadView

from .documents import quick_reference_pdf, template_csv
from .export_formats import XLSX_TYPE, ExportTooLarge, csv_file, xlsx_file
from .targets import ImportTarget, get_target
from .targets.customers import CUSTOMERS
from .targets.suppliers import SUPPLIERS

CSV = "text/csv; charset=utf-8"


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
        name = f"kontor-{_('template')}-{str(target.label).lower()}.csv"
        return template_csv(target), CSV, name


class ReferenceDownload(TargetFileView):
    """The quick reference to print: every column, its format and an example."""

    as_attachment = False

    def target_file(self, target: ImportTarget) -> tuple[bytes, str, str]:
        name = f"kontor-{_('quick-reference')}-{str(target.label).lower()}.pdf"
        return quick_reference_pdf(target), "application/pdf", name


class TargetExport(OrganizationMixin, DownloadView):
    """Everything of a target the organization has, in the template's columns (grown with the
    data), as CSV or as an Excel workbook; the target and the `file_format` ("csv" or "xlsx")
    are given to `as_view()`. Viewers may export: it is reading."""

    target: ImportTarget | None = None
    file_format = "csv"
    back_to = "contacts:list"

    def get_export(self) -> tuple[ImportTarget, QuerySet]:
        assert self.target is not None
        return self.target, self.target.records(self.organization)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except ExportTooLarge as error:
            messages.error(request, str(error))
            return redirect(self.back_to)

    def get_file(self) -> tuple[bytes, str, str]:
        target, records = self.get_export()
        table = target.export_table(records)
        name = f"{self.organization.name} – {target.label} {timezone.localdate():%Y-%m-%d}"
        if self.file_format == "xlsx":
            return xlsx_file(table), XLSX_TYPE, f"{name}.xlsx"
        return csv_file(table), CSV, f"{name}.csv"


class ContactListExport(TargetExport):
    """The contact list as it is filtered on screen (or the ticked contacts of it, whose ids
    the bulk bar sends along): suppliers when it shows suppliers, customers otherwise."""

    def get_export(self) -> tuple[ImportTarget, QuerySet]:
        flt = ContactFilterForm(self.request.GET, organization=self.organization).as_filter()
        target = SUPPLIERS if flt.role == SUPPLIERS.role else CUSTOMERS
        return target, filtered_contacts(self.organization, flt)
