"""View building blocks shared by the apps' class-based views.

They go after `accounts.tenancy.OrganizationMixin` in a view's bases, which supplies the
login, role and tenancy checks.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import Promise
from django.views import View
from django.views.generic.detail import SingleObjectMixin

StrOrPromise = str | Promise

if TYPE_CHECKING:
    from django.views.generic.base import TemplateResponseMixin

    _TemplateBase = TemplateResponseMixin
else:
    _TemplateBase = object


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (not the back button restoring one)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


class FragmentMixin(_TemplateBase):
    """Answers htmx requests with `fragment_template_name`, others with the whole page.

    A URL that answers both says so in `Vary`, and a fragment is never stored, so that no
    cache (the browser's back button included) shows a bare fragment for a page.
    """

    fragment_template_name: str = ""
    request: HttpRequest

    def get_template_names(self) -> list[str]:
        if self.fragment_template_name and wants_fragment(self.request):
            return [self.fragment_template_name]
        return super().get_template_names()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if self.fragment_template_name:
            patch_vary_headers(response, ["HX-Request"])
            if wants_fragment(self.request):
                # Not kept at all: a browser that ignores Vary would show it for the page.
                patch_cache_control(response, no_store=True)
        return response


class FilteredListMixin(FragmentMixin):
    """A `ListView` filtered by a GET form and paginated, whose results htmx swaps as you type.

    Subclasses set `filter_form_class` (a form with `as_filter()`; `get_filter_form()` makes
    it) and implement `filtered_queryset(flt)`; the template gets `filter_form`, `flt`, `page`
    and `params` (the query string without the page, for the pagination links). A page number
    out of range shows the nearest page instead of an error.
    """

    filter_form_class: type
    paginate_by: int | None = 25

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.filter_form = self.get_filter_form()
        self.flt = self.filter_form.as_filter()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def get_filter_form(self) -> Any:
        return self.filter_form_class(self.request.GET)

    def filtered_queryset(self, flt: Any) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.filtered_queryset(self.flt)

    def paginate(self, queryset: QuerySet, page_size: int) -> Any:
        return Paginator(queryset, page_size).get_page(self.request.GET.get("page"))

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Paginator, Page, Any, bool]:
        page = self.paginate(queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            flt=self.flt,
            page=context["page_obj"],
            params=params.urlencode(),
        )
        return context


class ObjectActionView(SingleObjectMixin, View):
    """A POST that does one thing to one object, says so and returns to it (no page of its own).

    Subclasses implement `act(obj)`, returning the success message; `get_success_url()`
    defaults to the object's page.
    """

    http_method_names = ["post"]

    def act(self, obj: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        message = self.act(self.object)
        if message:
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class ArchiveView(ObjectActionView):
    """Archive (`archived = True`) or restore (`archived = False`) one object.

    Subclasses implement `set_archived(obj, archived)` and the two messages.
    """

    archived = True
    archived_message: StrOrPromise = ""
    restored_message: StrOrPromise = ""

    def set_archived(self, obj: Any, archived: bool) -> None:
        raise NotImplementedError

    def act(self, obj: Any) -> str:
        self.set_archived(obj, self.archived)
        template = self.archived_message if self.archived else self.restored_message
        return str(template) % {"name": obj}


class DownloadView(View):
    """A file made on request: subclasses implement `get_file()` → (data, content type, name)."""

    http_method_names = ["get", "head"]
    as_attachment = True

    def get_file(self) -> tuple[bytes | str, str, str]:  # (data, content type, file name)
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data, content_type, filename = self.get_file()
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = content_disposition(filename, self.as_attachment)
        return response


# What German names need beyond dropping accents (NFKD would make "ä" an "a").
_GERMAN_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_GERMAN_ASCII.update(str.maketrans({"ß": "ss", "ẞ": "SS", "–": "-", "—": "-", "„": "", "“": ""}))
# Not in a file name on any of the systems a download lands on: path separators, quotes,
# wildcards and control characters.
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f"/\\:*?<>|]+')


def content_disposition(filename: str, as_attachment: bool = True) -> str:
    """The header that names a download: the name as it is in `filename*` (RFC 6266 with RFC
    5987's UTF-8 encoding, which browsers use), and an ASCII spelling of it in `filename` for
    programs that know only that ("Müller.csv" → "Mueller.csv"; a name of other scripts only
    "download.csv")."""
    name = " ".join(_NOT_IN_FILE_NAMES.sub(" ", filename).split())
    name = "".join(c for c in name if c.isprintable()) or "download"
    kind = "attachment" if as_attachment else "inline"
    if name.isascii():
        return f'{kind}; filename="{name}"'
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem.translate(_GERMAN_ASCII))
    ascii_stem = " ".join(ascii_stem.encode("ascii", "ignore").decode("ascii").split())
    fallback = (ascii_stem or "download") + dot + extension.encode("ascii", "ignore").decode()
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
