"""Contact pages: list and search, create, edit, show, archive, delete, vCard and notes.

The tags page is in `tag_views.py`, the list's bulk actions in `bulk_views.py`.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import CreateView, DeleteView, DetailView, FormView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from accounts.models import Role
from accounts.tenancy import EditorMixin, OrganizationMixin
from core.views import (
    ArchiveView,
    DownloadView,
    FilteredListMixin,
    FragmentMixin,
    ObjectActionView,
    wants_fragment,
)
from history.models import Change

from . import services
from .bulk_forms import export_formats
from .forms import ContactFilterForm, ContactForm, ListColumnsForm, NoteForm, list_query
from .found_via import found_via
from .history import KIND, timeline
from .list_columns import (
    COLUMNS,
    ContactTable,
    Rows,
    chosen_columns,
    list_prefix,
    remember_columns,
    remember_sort,
    row_labels,
    saved_choice,
    tags_of,
)
from .models import Contact, Note, Tag
from .selectors import (
    ContactFilter,
    contact_list,
    count_contacts,
    ordered_for_page,
    similar_contacts,
)

PAGE_SIZE = 25


class ContactList(OrganizationMixin, FilteredListMixin, ListView):
    """The list as a table of the columns the user chose (cards on a phone), sorted by a
    header or the sort box, both remembered for the user; members tick rows for bulk actions."""

    model = Contact
    template_name = "contacts_app/contact_list.html"
    fragment_template_name = "contacts_app/_results.html"
    filter_form_class = ContactFilterForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.choice = saved_choice(request.user, self.organization)  # type: ignore[arg-type]
        response = super().get(request, *args, **kwargs)
        # The last order chosen (a header, the sort box) is the next visit's.
        asked = request.GET.get("sort")
        if asked and asked == self.flt.sort and asked != self.choice.sort:
            remember_sort(user=request.user, organization=self.organization, sort=asked)  # type: ignore[arg-type]
        return response

    def get_filter_form(self) -> ContactFilterForm:
        data: QueryDict = self.request.GET
        if "sort" not in data and self.choice.sort:
            data = data.copy()
            data["sort"] = self.choice.sort
        return ContactFilterForm(data, organization=self.organization)

    def filtered_queryset(self, flt: ContactFilter) -> QuerySet[Contact]:
        return contact_list(self.organization, flt)

    def get_paginate_by(self, queryset: QuerySet[Contact]) -> int:
        return PAGE_SIZE

    def paginate(self, queryset: QuerySet[Contact], page_size: int) -> Page:
        paginator = Paginator(queryset, page_size)
        paginator.count = count_contacts(self.organization, self.flt, queryset)
        # The order that finds the page fastest depends on how many contacts match.
        paginator.object_list = ordered_for_page(queryset, self.flt, paginator.count)
        return paginator.get_page(self.request.GET.get("page"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contacts = list(context["page"].object_list)
        columns = chosen_columns(self.choice.columns)
        shown_tags = tags_of(contacts) if any(c.key == "tags" for c in columns) else {}
        table = ContactTable(
            contacts,
            columns,
            Rows(shown_tags, row_labels(), list_prefix(), found_via(contacts, self.flt.query)),
            selectable=self.can(Role.MEMBER),
        )
        without_sort = self.request.GET.copy()
        for name in ("sort", "page"):
            without_sort.pop(name, None)
        context.update(
            has_any_contact=bool(contacts) or self.organization.contacts.exists(),
            table=table,
            header=table.head(self.flt.sort, without_sort.urlencode()),
            export_formats=export_formats(),
            # The bulk form sends the filter along, for "all that match".
            bulk_fields=parse_qsl(list_query(self.flt)),
        )
        if not wants_fragment(self.request):
            # The filter and the column chooser, which the search box's requests leave as
            # they are.
            tags = list(Tag.objects.filter(organization=self.organization))
            context.update(
                tags=tags,
                chosen_tags=[tag for tag in tags if tag.pk in self.flt.tags],
                active_filters=sum(
                    map(bool, (self.flt.role, self.flt.kind, self.flt.archived, *self.flt.tags))
                ),
                columns=[(column, column in columns) for column in COLUMNS],
            )
        return context


class ContactListColumns(OrganizationMixin, FormView):
    """The columns the user wants on the list (everyone, viewers too: it is their own view)."""

    http_method_names = ["post"]
    write_role = Role.VIEWER
    form_class = ListColumnsForm

    def form_valid(self, form: ListColumnsForm) -> HttpResponse:
        remember_columns(
            user=self.request.user,  # type: ignore[arg-type]
            organization=self.organization,
            keys=form.cleaned_data["columns"],
        )
        messages.success(self.request, _("The list shows the columns you chose."))
        return HttpResponseRedirect(form.list_url())

    def form_invalid(self, form: ListColumnsForm) -> HttpResponse:
        return HttpResponseRedirect(form.list_url())


class ContactDetail(OrganizationMixin, DetailView):
    model = Contact
    template_name = "contacts_app/contact_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        contact = self.object
        return super().get_context_data(
            persons=contact.persons.all(),
            profiles=contact.web_profiles.all(),
            notes=contact.notes.select_related("author"),
            tags=contact.tags.all(),
            note_form=NoteForm(),
            timeline=timeline(contact),
            **kwargs,
        )


class ContactFormMixin(EditorMixin):
    """Create and edit: the contact form with its contact persons and web profiles, a warning
    about look-alike contacts until the user confirms, saved through the services."""

    model = Contact
    form_class: type[ContactForm] | None = ContactForm
    template_name: str | None = "contacts_app/contact_form.html"
    success_message: str | Promise = ""
    object: Contact | None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}  # type: ignore[misc]

    def save(self, form: ContactForm) -> Contact:
        raise NotImplementedError

    def form_valid(self, form: ContactForm) -> HttpResponse:
        if similar := self.look_alikes(form):
            form.send_again_with(confirm_duplicate=True)
            return self.show_again(form, similar=similar)
        try:
            self.object = self.save(form)
        except services.NumberRangeExhausted as exhausted:
            form.add_numbers_used_up_error(str(exhausted))
            return self.form_invalid(form)  # type: ignore[attr-defined]
        except services.ContactChanged as conflict:
            current = conflict.current
            # Keep what the user typed; the next save knowingly replaces the other version.
            form.send_again_with(version=current.version)
            at = date_format(localtime(current.updated_at), "SHORT_DATETIME_FORMAT")
            return self.show_again(
                form, conflict={"by": current.updated_by or _("someone"), "at": at}
            )
        messages.success(self.request, self.success_message % {"name": self.object})
        for warning in form.phone_warnings():
            messages.warning(self.request, warning)
        return HttpResponseRedirect(self.object.get_absolute_url())

    def look_alikes(self, form: ContactForm) -> list[Contact]:
        if form.look_alike_probe() is None:
            return []
        return similar_contacts(
            self.organization,
            values=form.cleaned_data,
            persons=form.person_rows(),
            exclude_pk=self.object.pk if self.object else None,
        )

    def show_again(self, form: ContactForm, **context: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, **context))  # type: ignore[attr-defined]


class ContactCreate(ContactFormMixin, CreateView):
    success_message = gettext_lazy("Contact “%(name)s” created.")

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind")
        initial: dict[str, Any] = {
            "kind": kind if kind in Contact.Kind.values else Contact.Kind.COMPANY
        }
        if self.request.GET.get("role") == "supplier":
            initial.update(is_customer=False, is_supplier=True)
        return initial

    def save(self, form: ContactForm) -> Contact:
        return services.create_contact(
            organization=self.organization,
            data=form.contact_data(),
            persons=form.person_rows(),
            profiles=form.profile_rows(),
            tags=form.tag_names(),
            first_note=form.first_note_text(),
            by=self.user,
        )


class ContactUpdate(ContactFormMixin, UpdateView):
    success_message = gettext_lazy("Contact “%(name)s” saved.")

    def save(self, form: ContactForm) -> Contact:
        contact = cast(Contact, self.object)  # an UpdateView has found it
        return services.update_contact(
            contact=contact,
            data=form.contact_data(),
            persons=form.person_rows(),
            profiles=form.profile_rows(),
            tags=form.tag_names(),
            expected_version=form.cleaned_data.get("version") or contact.version,
            by=self.user,
        )


class ContactArchive(OrganizationMixin, ArchiveView):
    model = Contact
    archived_message = gettext_lazy("“%(name)s” was archived.")
    restored_message = gettext_lazy("“%(name)s” is active again.")

    def set_archived(self, obj: Contact, archived: bool) -> None:
        services.set_archived(contact=obj, archived=archived, by=self.user)


class ContactDelete(EditorMixin, DeleteView):
    """Asks first, then moves the contact to the trash (purged after settings.TRASH_DAYS)."""

    model = Contact
    template_name = "contacts_app/contact_confirm_delete.html"
    success_url = reverse_lazy("contacts:list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(trash_days=settings.TRASH_DAYS, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        services.trash_contact(contact=self.object, by=self.user)
        days = settings.TRASH_DAYS
        message = ngettext(
            "“%(name)s” was moved to the trash. It can be restored there for %(days)d day.",
            "“%(name)s” was moved to the trash. It can be restored there for %(days)d days.",
            days,
        )
        messages.success(self.request, message % {"name": self.object, "days": days})
        return HttpResponseRedirect(self.get_success_url())


class ContactVCard(OrganizationMixin, SingleObjectMixin, DownloadView):
    """The contact's card as the address book (CardDAV) has it: a company's card is a company
    card; with `?persons=1` each of its contact persons follows as a card of its own."""

    model = Contact

    def get_file(self) -> tuple[str, str, str]:
        from carddav.books import render_cards  # the one writer of cards
        from carddav.cards import CONTENT_TYPE

        contact = self.get_object()
        cards = render_cards(self.organization, [contact])
        if self.request.GET.get("persons") == "1" and contact.is_company:
            name = _("%(name)s with contact persons") % {"name": contact}
        else:
            cards, name = cards[:1], str(contact)
        return "".join(card.text for card in cards), CONTENT_TYPE, f"{name or _('contact')}.vcf"


class NoteAdd(OrganizationMixin, FragmentMixin, SingleObjectMixin, FormView):
    """A note on the contact: htmx swaps in a fresh form (or the one with its error) and the
    new note; without JavaScript the contact's page is shown again with a message."""

    model = Contact
    form_class = NoteForm
    http_method_names = ["post"]
    fragment_template_name = "contacts_app/_note_form_swap.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: NoteForm) -> HttpResponse:
        note = services.add_note(contact=self.object, text=form.cleaned_data["text"], by=self.user)
        if wants_fragment(self.request):
            return self.render_to_response(self.get_context_data(form=NoteForm(), note=note))
        messages.success(self.request, _("Note added."))
        return HttpResponseRedirect(self.object.get_absolute_url())

    def form_invalid(self, form: NoteForm) -> HttpResponse:
        if wants_fragment(self.request):
            return super().form_invalid(form)
        messages.error(self.request, _("The note is empty or too long."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class NoteChangeMixin(OrganizationMixin):
    """A note of the contact in the URL, which only its author or an admin may change.

    Put it first in the bases. A stranger's note is not found (404) before anything else is
    decided; a method the view does not answer stays a 405 for everyone.
    """

    model = Note
    organization_field = "contact__organization"
    pk_url_kwarg = "note_pk"

    def get_queryset(self) -> QuerySet[Note]:
        notes = super().get_queryset()
        return notes.filter(contact=self.kwargs["pk"]).select_related("author", "contact")

    def get_object(self, queryset: QuerySet[Note] | None = None) -> Note:
        note = super().get_object(queryset)
        answered = self.request.method.lower() in self.http_method_names  # type: ignore[union-attr]
        if answered and note.author_id != self.request.user.pk and not self.can(Role.ADMIN):
            raise PermissionDenied
        return note

    def get_success_url(self) -> str:
        return reverse("contacts:detail", args=[self.kwargs["pk"]])


class NoteEdit(NoteChangeMixin, EditorMixin, UpdateView):
    form_class = NoteForm
    template_name = "contacts_app/note_form.html"

    def form_valid(self, form: NoteForm) -> HttpResponse:
        services.update_note(note=self.object, text=form.cleaned_data["text"], by=self.user)
        messages.success(self.request, _("Note saved."))
        return HttpResponseRedirect(self.get_success_url())


class NoteDelete(NoteChangeMixin, ObjectActionView):
    def act(self, obj: Note) -> str:
        services.delete_note(note=obj, by=self.user)
        return _("Note deleted.")


class ContactVersionRestore(OrganizationMixin, ObjectActionView):
    """Make the contact what it was after one change of its timeline."""

    model = Contact

    def act(self, obj: Contact) -> str:
        change = get_object_or_404(
            Change.objects.select_related("changeset"),
            pk=self.kwargs["change_pk"],
            kind=KIND,
            object_id=obj.pk,
        )
        try:
            services.restore_version(contact=obj, change=change, by=self.user)
        except IntegrityError:
            messages.error(
                self.request,
                _("This version cannot be restored: its number now belongs to another contact."),
            )
            return ""
        when = date_format(localtime(change.changeset.created_at), "SHORT_DATETIME_FORMAT")
        return _("The version of %(when)s was restored.") % {"when": when}
