"""`/api/v1/contacts`: lexoffice's contacts endpoint, written through Kontor's services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from contacts_app import services
from contacts_app.forms import ContactForm, NoteForm
from contacts_app.models import Contact

from .. import ids
from ..contact_filters import filtered_contacts
from ..contact_input import check_contact
from ..contact_output import contact_uri, contacts_json, page_sort, write_result
from ..errors import ApiError, Detail, field_error, invalid
from ..paging import page_of, page_request
from ..serializers import ContactPageSerializer, ContactSerializer, WriteResultSerializer
from .base import KeyAuthenticatedView
from .schema import ERRORS, LIST_PARAMETERS, errors

CONTACT_FILTERS = [
    OpenApiParameter("email", str, description="At least 3 characters; `_` and `%` wildcards."),
    OpenApiParameter("name", str, description="At least 3 characters; `_` and `%` wildcards."),
    OpenApiParameter("number", int, description="A customer or vendor number."),
    OpenApiParameter("customer", bool, description="Only contacts with (or without) the role."),
    OpenApiParameter("vendor", bool, description="Only contacts with (or without) the role."),
]


def _note_problems(payload: dict[str, Any]) -> list[Detail]:
    note = payload.get("note")
    if not note:
        return []
    form = NoteForm({"text": note})
    if form.is_valid():
        return []
    return [field_error("note", str(m), "invalid") for m in form.errors.get("text", [])]


class ContactWriteMixin(KeyAuthenticatedView):
    def checked(self, current: Contact | None) -> tuple[ContactForm, dict[str, Any]]:
        payload = self.shape(ContactSerializer)
        if current is not None:
            self.check_version(payload, current)
        form, problems = check_contact(payload, current, organization=self.organization)
        problems += _note_problems(payload)
        if form is None or problems:
            raise invalid(problems)
        return form, payload

    def check_version(self, payload: dict[str, Any], current: Contact) -> None:
        if payload.get("version") is None:
            message = _("Give the version the change was made on (the contact's “version”).")
            raise invalid([field_error("version", message, "required")])
        if payload["version"] != current.version:
            raise self.conflict(current)

    def conflict(self, current: Contact) -> ApiError:
        message = _(
            "The contact was changed meanwhile (it is at version %(version)s now): read it "
            "again and send your change with that version."
        ) % {"version": current.version}
        return ApiError(409, message)

    def finish(self, contact: Contact, payload: dict[str, Any]) -> None:
        """The note and the archiving, which the contact form does not hold."""
        holder = self.holder
        note = (payload.get("note") or "").strip()
        if note and note != (contact.notes.values_list("text", flat=True).first() or ""):
            services.add_note(contact=contact, text=note, by=holder.user, via=holder.via)
        archived = payload.get("archived")
        if archived is not None and archived != contact.archived:
            services.set_archived(
                contact=contact, archived=archived, by=holder.user, via=holder.via
            )

    def numbers_used_up(self, form: ContactForm, role: str) -> ApiError:
        form.add_numbers_used_up_error(role)
        errors: list[str] = [
            str(message)
            for field in ("is_customer", "is_supplier")
            for message in form.errors.get(field, [])
        ]
        return invalid([field_error("roles", message, "numbers_used_up") for message in errors])


@extend_schema(tags=["contacts"])
class ContactCollection(ContactWriteMixin):
    model = Contact
    id_kind = ids.CONTACT

    @extend_schema(
        summary="Find contacts",
        operation_id="contacts_list",
        parameters=[*LIST_PARAMETERS, *CONTACT_FILTERS],
        responses={200: ContactPageSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        page = page_request(request.query_params)
        contacts = filtered_contacts(self.organization, request.query_params)
        return Response(page_of(contacts, page, contacts_json, page_sort()))

    @extend_schema(
        summary="Create a contact",
        operation_id="contacts_create",
        request=ContactSerializer,
        responses={201: WriteResultSerializer, **errors(400, 403, 415)},
    )
    def post(self, request: Request) -> Response:
        form, payload = self.checked(None)
        holder = self.holder
        try:
            with transaction.atomic():
                contact = services.create_contact(
                    organization=self.organization,
                    data=form.contact_data(),
                    persons=form.person_rows(),
                    tags=form.tag_names(),
                    by=holder.user,
                    via=holder.via,
                )
                self.finish(contact, payload)
        except services.NumberRangeExhausted as exhausted:
            raise self.numbers_used_up(form, str(exhausted)) from None
        uri = self.absolute(contact_uri(contact.pk))
        return Response(write_result(contact, self.absolute), status=201, headers={"Location": uri})


@extend_schema(tags=["contacts"], parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
class ContactItem(ContactWriteMixin):
    model = Contact
    id_kind = ids.CONTACT
    object: Contact

    @extend_schema(
        summary="Read a contact",
        operation_id="contacts_read",
        responses={200: ContactSerializer, **errors(404)},
    )
    def get(self, request: Request, id: str) -> Response:
        (contact,) = contacts_json(Contact.objects.filter(pk=self.object.pk))
        return Response(contact)

    @extend_schema(
        summary="Change a contact",
        operation_id="contacts_update",
        request=ContactSerializer,
        responses={200: WriteResultSerializer, **errors(400, 403, 404, 409, 415)},
    )
    def put(self, request: Request, id: str) -> Response:
        current = self.object
        form, payload = self.checked(current)
        holder = self.holder
        try:
            with transaction.atomic():
                contact = services.update_contact(
                    contact=current,
                    data=form.contact_data(),
                    persons=form.person_rows(),
                    tags=form.tag_names(),
                    expected_version=payload["version"],
                    by=holder.user,
                    via=holder.via,
                )
                self.finish(contact, payload)
        except services.ContactChanged as changed:
            raise self.conflict(changed.current) from None
        except services.NumberRangeExhausted as exhausted:
            raise self.numbers_used_up(form, str(exhausted)) from None
        return Response(write_result(contact, self.absolute))

    @extend_schema(
        summary="Move a contact to the trash",
        operation_id="contacts_delete",
        responses={204: OpenApiResponse(description="In the trash."), **errors(403, 404)},
    )
    def delete(self, request: Request, id: str) -> Response:
        holder = self.holder
        services.trash_contact(contact=self.object, by=holder.user, via=holder.via)
        return Response(status=204)


__all__ = ["ERRORS", "ContactCollection", "ContactItem"]
