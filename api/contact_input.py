"""A contact from the API's JSON, checked by the contact form exactly as the pages check it.

The JSON (its shape already checked by `api.serializers.ContactSerializer`) becomes the data
the contact form would receive from the page, including its contact persons' formset; the
form's verdict, field by field, is translated back into the JSON's paths. So the API can store
nothing that the form would refuse, and says why in the same words.

On PUT, lexoffice's fields are replaced as given (one left out is emptied, as at lexoffice);
Kontor's own fields that lexoffice lacks (industry, tags, a person's title, a contact person's
title, position, extension and mobile number) stay as they were when they are left out, so that
an integration written for lexoffice does not wipe them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organization
from contacts_app.forms import ContactForm
from contacts_app.models import Contact, ContactPerson

from .contact_output import ADDRESS_PARTS, EMAIL_KINDS, PERSON_PARTS, PHONE_KINDS
from .errors import Detail, field_error

KONTOR_PERSON_PARTS = ("title", "position", "phoneExtension", "mobileNumber")

# The form's field → where it is in the JSON.
FORM_TO_JSON = {
    "kind": "company",
    "is_customer": "roles",
    "is_supplier": "roles",
    "company_name": "company.name",
    "tax_number": "company.taxNumber",
    "vat_id": "company.vatRegistrationId",
    "salutation": "person.salutation",
    "title": "person.title",
    "first_name": "person.firstName",
    "last_name": "person.lastName",
    "industry": "industry",
    "has_shipping_address": "addresses.shipping",
    "tags": "tags",
    **{f"billing_{part}": f"addresses.billing[0].{name}" for name, part in ADDRESS_PARTS.items()},
    **{f"shipping_{part}": f"addresses.shipping[0].{name}" for name, part in ADDRESS_PARTS.items()},
    **{field: f"emailAddresses.{kind}[0]" for kind, field in EMAIL_KINDS.items()},
    **{field: f"phoneNumbers.{kind}[0]" for kind, field in PHONE_KINDS.items()},
}
PERSON_TO_JSON = {part: name for name, part in PERSON_PARTS.items()}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _one(values: list[Any] | None, field: str, message: str, problems: list[Detail]) -> Any | None:
    """The single entry of a list Kontor keeps one of; more is an error naming the field."""
    if not values:
        return None
    if len(values) > 1:
        problems.append(field_error(field, message, "too_many"))
    return values[0]


def kind_of(payload: Mapping[str, Any]) -> tuple[str | None, list[Detail]]:
    has_company, has_person = payload.get("company") is not None, payload.get("person") is not None
    if has_company == has_person:
        message = _("Give either “company” or “person”, not both and not neither.")
        return None, [field_error("company", message, "company_or_person")]
    return (Contact.Kind.COMPANY if has_company else Contact.Kind.PERSON), []


def form_data(
    payload: Mapping[str, Any], kind: str, current: Contact | None
) -> tuple[dict[str, Any], list[Detail]]:
    """The contact form's POST data for `payload`, and what cannot even be put into it."""
    problems: list[Detail] = []
    data: dict[str, Any] = {"kind": kind}
    roles = payload.get("roles") or {}
    if "customer" in roles:
        data["is_customer"] = "on"
    if "vendor" in roles:
        data["is_supplier"] = "on"
    company = payload.get("company") or {}
    person = payload.get("person") or {}
    if kind == Contact.Kind.COMPANY:
        data["company_name"] = _text(company.get("name"))
        data["tax_number"] = _text(company.get("taxNumber"))
        data["vat_id"] = _text(company.get("vatRegistrationId"))
    else:
        data["salutation"] = _text(person.get("salutation"))
        data["first_name"] = _text(person.get("firstName"))
        data["last_name"] = _text(person.get("lastName"))
        data["title"] = _kept(person, "title", current.title if current else "")
    data["industry"] = _kept(payload, "industry", current.industry if current else "")
    if "tags" in payload:
        tags: list[str] = list(payload["tags"])
    else:
        tags = list(current.tags.values_list("name", flat=True)) if current else []

    addresses = payload.get("addresses") or {}
    for prefix, message in (
        ("billing", _("Kontor keeps one billing address per contact.")),
        ("shipping", _("Kontor keeps one shipping address per contact.")),
    ):
        address = _one(addresses.get(prefix), f"addresses.{prefix}", message, problems) or {}
        for name, part in ADDRESS_PARTS.items():
            value = _text(address.get(name))
            data[f"{prefix}_{part}"] = value.upper() if name == "countryCode" else value
        if prefix == "shipping" and address:
            data["has_shipping_address"] = "on"

    emails = payload.get("emailAddresses") or {}
    many_emails = _(
        "Kontor keeps one e-mail address of each kind (business, office, private, other)."
    )
    for kind_name, field in EMAIL_KINDS.items():
        path = f"emailAddresses.{kind_name}"
        data[field] = _text(_one(emails.get(kind_name), path, many_emails, problems))
    phones = payload.get("phoneNumbers") or {}
    many_phones = _(
        "Kontor keeps one phone number of each kind (business, office, mobile, private, fax, "
        "other)."
    )
    for kind_name, field in PHONE_KINDS.items():
        path = f"phoneNumbers.{kind_name}"
        data[field] = _text(_one(phones.get(kind_name), path, many_phones, problems))

    persons = company.get("contactPersons") or [] if kind == Contact.Kind.COMPANY else []
    data.update(_person_rows(persons, current))
    data.update({"profiles-TOTAL_FORMS": "0", "profiles-INITIAL_FORMS": "0"})
    data["tags"] = tags
    return data, problems


def _kept(values: Mapping[str, Any], name: str, current: str) -> str:
    return _text(values[name]) if name in values else current


def _person_rows(persons: list[Mapping[str, Any]], current: Contact | None) -> dict[str, str]:
    """The contact persons' formset data; Kontor's own fields a person leaves out are taken
    from the current contact person of the same name, if there is one."""
    known: dict[tuple[str, str], ContactPerson] = {}
    if current is not None:
        for existing in current.persons.all():
            name = (existing.first_name.casefold(), existing.last_name.casefold())
            known.setdefault(name, existing)
    rows = {"persons-TOTAL_FORMS": str(len(persons)), "persons-INITIAL_FORMS": "0"}
    for index, person in enumerate(persons):
        name = (_text(person.get("firstName")).casefold(), _text(person.get("lastName")).casefold())
        saved = known.get(name)
        for json_name, part in PERSON_PARTS.items():
            key = f"persons-{index}-{part}"
            if json_name == "primary":
                if person.get("primary"):
                    rows[key] = "on"
            elif json_name in KONTOR_PERSON_PARTS and json_name not in person:
                rows[key] = getattr(saved, part) if saved is not None else ""
            else:
                rows[key] = _text(person.get(json_name))
    return rows


def form_errors(form: ContactForm) -> list[Detail]:
    """The form's errors, each named by its place in the JSON."""
    details = [
        field_error(FORM_TO_JSON.get(field, field), message, error.code or "invalid")
        for field, errors in form.errors.as_data().items()
        for error in errors
        for message in error.messages
    ]
    for index, person_form in enumerate(form.persons.forms):
        for field, errors in person_form.errors.as_data().items():
            name = PERSON_TO_JSON.get(field, field)
            path = f"company.contactPersons[{index}].{name}"
            details += [
                field_error(path, message, error.code or "invalid")
                for error in errors
                for message in error.messages
            ]
    for error in form.persons.non_form_errors().as_data():
        details += [
            field_error("company.contactPersons", message, error.code or "invalid")
            for message in error.messages
        ]
    return details


def check_contact(
    payload: Mapping[str, Any], current: Contact | None, *, organization: Organization
) -> tuple[ContactForm | None, list[Detail]]:
    """The valid contact form for `payload`, or None and every reason it is not valid."""
    kind, problems = kind_of(payload)
    if kind is None:
        return None, problems
    if current is not None and kind != current.kind:
        if current.kind == Contact.Kind.COMPANY:
            stays = _("A contact stays a company or a person: this one is a company.")
        else:
            stays = _("A contact stays a company or a person: this one is a person.")
        field = "person" if kind == Contact.Kind.PERSON else "company"
        return None, [field_error(field, stays, "kind")]
    data, problems = form_data(payload, kind, current)
    form = ContactForm(data, instance=current, organization=organization)
    if not form.is_valid() or problems:
        return None, problems + (form_errors(form) if form.is_bound else [])
    return form, []
