"""Files made from the import targets for download: the template, the quick reference and the
exports. Class-based views on the tenancy mixins; every choice of target comes from the
registry (`importer.targets`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.tenancy import OrganizationMixin
from contacts_app.forms import ContactFilterForm
from contacts_app.selectors import filtered_contacts
from core.views import DownloadView

from .documents import quick_reference_pdf, template_csv
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
    """Everything of a target the organization has, in the template's columns; the target is
    given to `as_view()`."""

    target: ImportTarget | None = None

    def get_export(self) -> tuple[ImportTarget, QuerySet]:
        assert self.target is not None
        return self.target, self.target.records(self.organization)

    def get_file(self) -> tuple[bytes, str, str]:
        target, records = self.get_export()
        return target.export(records), CSV, f"kontor-{str(target.label).lower()}.csv"


class ContactListExport(TargetExport):
    """The contact list as it is filtered on screen: suppliers when it shows suppliers,
    customers otherwise."""

    def get_export(self) -> tuple[ImportTarget, QuerySet]:
        flt = ContactFilterForm(self.request.GET, organization=self.organization).as_filter()
        target = SUPPLIERS if flt.role == SUPPLIERS.role else CUSTOMERS
        return target, filtered_contacts(self.organization, flt)
