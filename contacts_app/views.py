"""Contact pages: list and search, create, edit, show, archive, delete, vCard and notes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.http import require_POST_for
from accounts.models import Role
from accounts.tenancy import get_object_for_organization, organization_required, role_required

from . import services
from .forms import (
    ContactFilterForm,
    ContactForm,
    ContactPersonFormSet,
    NoteForm,
    WebProfileFormSet,
    person_rows,
    profile_rows,
)
from .models import Contact, Note
from .selectors import ContactFilter, contact_list, ordered_for_page, similar_contacts
from .vcard import render_vcard

PAGE_SIZE = 25


def _filter_from(request: HttpRequest) -> tuple[ContactFilterForm, ContactFilter]:
    form = ContactFilterForm(request.GET)
    return form, form.as_filter()


@organization_required
def contact_list_view(request: HttpRequest) -> HttpResponse:
    form, flt = _filter_from(request)
    contacts = contact_list(request.organization, flt)
    paginator = Paginator(contacts, PAGE_SIZE)
    paginator.object_list = ordered_for_page(contacts, flt, paginator.count)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter_form": form,
        "flt": flt,
        "page": page,
        "params": params.urlencode(),
        "has_any_contact": bool(page.object_list) or request.organization.contacts.exists(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "contacts_app/_results.html", context)
    return render(request, "contacts_app/contact_list.html", context)


def _form_page(
    request: HttpRequest, *, contact: Contact | None, form, persons, profiles, **extra
) -> HttpResponse:
    return render(
        request,
        "contacts_app/contact_form.html",
        {"contact": contact, "form": form, "persons": persons, "profiles": profiles, **extra},
    )


IDENTIFYING_FIELDS = {"kind", "company_name", "title", "first_name", "last_name"}
IDENTIFYING_FIELDS.update(Contact.EMAIL_FIELDS)


def _duplicates_warning(request: HttpRequest, form: ContactForm, contact: Contact | None):
    """Look-alike contacts the user has not yet confirmed saving beside.

    An edit that leaves the name and the e-mail addresses as they were is not asked again.
    """
    if form.cleaned_data.get("confirm_duplicate"):
        return []
    if contact is not None and not IDENTIFYING_FIELDS & set(form.changed_data):
        return []
    data = form.cleaned_data
    kind = data.get("kind") or (contact.kind if contact else Contact.Kind.COMPANY)
    if kind == Contact.Kind.COMPANY:
        name = data.get("company_name", "")
    else:
        name = f"{data.get('first_name', '')} {data.get('last_name', '')}"
    return similar_contacts(
        request.organization,
        name=name,
        emails=[data.get(f, "") for f in Contact.EMAIL_FIELDS],
        exclude_pk=contact.pk if contact else None,
    )


def _numbers_used_up(form: ContactForm, exhausted: services.NumberRangeExhausted) -> None:
    role = str(exhausted)
    field = "is_supplier" if role == "supplier" else "is_customer"
    low, high = services.NUMBER_RANGES[role][1]
    form.add_error(
        field,
        _("All numbers for this role (%(low)s–%(high)s) are used up.") % {"low": low, "high": high},
    )


def _with_confirmation(post, **values):
    data = post.copy()
    for key, value in values.items():
        data[key] = value
    return data


@role_required(Role.MEMBER, for_get=True)
def contact_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in Contact.Kind.values else Contact.Kind.COMPANY}
        if request.GET.get("role") == "supplier":
            initial.update(is_customer=False, is_supplier=True)
        return _form_page(
            request,
            contact=None,
            form=ContactForm(initial=initial),
            persons=ContactPersonFormSet(prefix="persons"),
            profiles=WebProfileFormSet(prefix="profiles"),
        )
    form = ContactForm(request.POST)
    persons = ContactPersonFormSet(request.POST, prefix="persons")
    profiles = WebProfileFormSet(request.POST, prefix="profiles")
    if form.is_valid() and persons.is_valid() and profiles.is_valid():
        similar = _duplicates_warning(request, form, None)
        if similar:
            form = ContactForm(_with_confirmation(request.POST, confirm_duplicate="True"))
            form.is_valid()
            return _form_page(
                request,
                contact=None,
                form=form,
                persons=persons,
                profiles=profiles,
                similar=similar,
            )
        try:
            contact = services.create_contact(
                organization=request.organization,
                data=form.contact_data(),
                persons=person_rows(persons),
                profiles=profile_rows(profiles),
                by=request.user,
            )
        except services.NumberRangeExhausted as exhausted:
            _numbers_used_up(form, exhausted)
            return _form_page(request, contact=None, form=form, persons=persons, profiles=profiles)
        messages.success(request, _("Contact “%(name)s” created.") % {"name": contact})
        return redirect("contacts:detail", pk=contact.pk)
    return _form_page(request, contact=None, form=form, persons=persons, profiles=profiles)


def _contact(request: HttpRequest, pk: int) -> Contact:
    return get_object_for_organization(request, Contact.objects.all(), pk=pk)


@role_required(Role.MEMBER, for_get=True)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if request.method != "POST":
        return _form_page(
            request,
            contact=contact,
            form=ContactForm(instance=contact),
            persons=ContactPersonFormSet(
                prefix="persons",
                initial=list(contact.persons.values(*ContactPersonFormSet.form._meta.fields)),
            ),
            profiles=WebProfileFormSet(
                prefix="profiles", initial=list(contact.web_profiles.values("kind", "value"))
            ),
        )
    form = ContactForm(request.POST, instance=contact)
    persons = ContactPersonFormSet(request.POST, prefix="persons")
    profiles = WebProfileFormSet(request.POST, prefix="profiles")
    if not (form.is_valid() and persons.is_valid() and profiles.is_valid()):
        return _form_page(request, contact=contact, form=form, persons=persons, profiles=profiles)
    similar = _duplicates_warning(request, form, contact)
    if similar:
        form = ContactForm(
            _with_confirmation(request.POST, confirm_duplicate="True"), instance=contact
        )
        form.is_valid()
        return _form_page(
            request, contact=contact, form=form, persons=persons, profiles=profiles, similar=similar
        )
    expected = form.cleaned_data.get("version") or contact.version
    try:
        contact = services.update_contact(
            contact=contact,
            data=form.contact_data(),
            persons=person_rows(persons),
            profiles=profile_rows(profiles),
            expected_version=expected,
            by=request.user,
        )
    except services.NumberRangeExhausted as exhausted:
        _numbers_used_up(form, exhausted)
        return _form_page(request, contact=contact, form=form, persons=persons, profiles=profiles)
    except services.ContactChanged as conflict:
        current = conflict.current
        # Keep what the user typed; the next save knowingly replaces the other version.
        form = ContactForm(
            _with_confirmation(request.POST, version=str(current.version)), instance=contact
        )
        form.is_valid()
        return _form_page(
            request,
            contact=contact,
            form=form,
            persons=persons,
            profiles=profiles,
            conflict={
                "by": current.updated_by or _("someone"),
                "at": date_format(localtime(current.updated_at), "SHORT_DATETIME_FORMAT"),
            },
        )
    messages.success(request, _("Contact “%(name)s” saved.") % {"name": contact})
    return redirect("contacts:detail", pk=contact.pk)


@organization_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    return render(
        request,
        "contacts_app/contact_detail.html",
        {
            "contact": contact,
            "persons": contact.persons.all(),
            "profiles": contact.web_profiles.all(),
            "notes": contact.notes.select_related("author"),
            "note_form": NoteForm(),
        },
    )


@role_required(Role.MEMBER)
@require_POST_for(_contact)
def contact_archive(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    services.set_archived(contact=contact, archived=True, by=request.user)
    messages.success(request, _("“%(name)s” was archived.") % {"name": contact})
    return redirect("contacts:detail", pk=contact.pk)


@role_required(Role.MEMBER)
@require_POST_for(_contact)
def contact_unarchive(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    services.set_archived(contact=contact, archived=False, by=request.user)
    messages.success(request, _("“%(name)s” is active again.") % {"name": contact})
    return redirect("contacts:detail", pk=contact.pk)


@role_required(Role.MEMBER, for_get=True)
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if request.method == "POST":
        name = str(contact)
        services.delete_contact(contact=contact)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect("contacts:list")
    return render(request, "contacts_app/contact_confirm_delete.html", {"contact": contact})


@organization_required
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    response = HttpResponse(render_vcard(contact), content_type="text/vcard; charset=utf-8")
    filename = f"{slugify(str(contact)) or 'contact'}.vcf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@role_required(Role.MEMBER)
@require_POST_for(_contact)
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = services.add_note(contact=contact, text=form.cleaned_data["text"], by=request.user)
        if request.htmx:
            return render(
                request,
                "contacts_app/_note_added.html",
                {"contact": contact, "note": note, "note_form": NoteForm()},
            )
        messages.success(request, _("Note added."))
        return redirect("contacts:detail", pk=contact.pk)
    if request.htmx:
        return render(
            request, "contacts_app/_note_form.html", {"contact": contact, "note_form": form}
        )
    messages.error(request, _("The note is empty or too long."))
    return redirect("contacts:detail", pk=contact.pk)


def _note(request: HttpRequest, pk: int, note_pk: int) -> Note:
    return get_object_or_404(_contact(request, pk).notes.select_related("author"), pk=note_pk)


def _own_note(request: HttpRequest, pk: int, note_pk: int) -> Note:
    """A note of one of the organization's contacts that the user may change."""
    note = _note(request, pk, note_pk)
    if note.author_id != request.user.pk and not request.membership.has_role(Role.ADMIN):
        raise PermissionDenied
    return note


@role_required(Role.MEMBER, for_get=True)
def note_edit(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = _own_note(request, pk, note_pk)
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        services.update_note(note=note, text=form.cleaned_data["text"])
        messages.success(request, _("Note saved."))
        return redirect("contacts:detail", pk=pk)
    return render(request, "contacts_app/note_form.html", {"form": form, "note": note})


@role_required(Role.MEMBER)
@require_POST_for(_note)
def note_delete(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = _own_note(request, pk, note_pk)
    services.delete_note(note=note)
    messages.success(request, _("Note deleted."))
    return redirect("contacts:detail", pk=pk)
