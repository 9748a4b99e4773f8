"""Writing cards: a PUT creates or updates a contact (or a company's contact person), a DELETE
moves a contact to the trash (or takes a person off the company).

Every write is checked by the contact page's own forms (`ContactForm`, `ContactPersonForm`) and
done by `contacts_app.services`, recorded in the history as coming through CardDAV from the
device (the app password's name). A card the checks refuse changes nothing and is answered
with the reasons, in the client's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contacts_app import services
from contacts_app.forms import ContactForm, ContactPersonForm
from contacts_app.history import PERSON_FIELDS, contact_state
from contacts_app.models import Contact, ContactPerson
from contacts_app.tags import tags_would_change
from history.models import Source
from history.services import Via

from .auth import Device
from .books import Book, card_named, is_kontors_name, name_is_taken
from .card_reading import CardUnreadable, read_card
from .card_values import contact_input, person_input
from .cards import Card


@dataclass
class Outcome:
    status: int
    message: str = ""  # why a write was refused, for the client to show
    condition: str = ""  # the precondition that failed (a DAV:error element), if any


class Refused(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def via(device: Device) -> Via:
    return Via(Source.CARDDAV, label=device.app_password.name, reference=device.app_password.pk)


def check_preconditions(card: Card | None, if_match: str, if_none_match: str) -> None:
    """If-Match / If-None-Match as RFC 9110 has them: a write on a stale ETag changes nothing."""
    if if_none_match.strip() == "*" and card is not None:
        raise Refused(Outcome(412, _("A card of this name exists already.")))
    if if_match:
        tags = {t.strip() for t in if_match.split(",")}
        if card is None or ("*" not in tags and card.etag not in tags):
            raise Refused(
                Outcome(412, _("The card was changed since your device read it: sync first."))
            )


def form_errors(form) -> str:
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            lines.append(f"{label}: {error}" if label else str(error))
    for formset in (getattr(form, "profiles", None),):
        if formset is None:
            continue
        for row_form, row in zip(formset.forms, formset.errors, strict=False):
            value = row_form.data.get(row_form.add_prefix("value"), "")
            for errors in row.values():
                lines += [f"{_('Web profile')} “{value}”: {e}" for e in errors]
        lines += [str(e) for e in formset.non_form_errors()]
    return "\n".join(lines)


def _refuse_invalid(message: str) -> Refused:
    return Refused(
        Outcome(
            403,
            _("Kontor cannot save this card: %(reasons)s") % {"reasons": message},
            "valid-address-data",
        )
    )


def put(book: Book, device: Device, name: str, body: str, if_match: str, if_none_match: str):
    """Create or update the card `name` of the book; returns the HTTP status."""
    organization = book.organization
    existing = card_named(organization, name)
    if existing is None and name_is_taken(organization, name):
        raise Refused(
            Outcome(409, _("This card is archived or in the trash in Kontor: restore it there."))
        )
    if existing is None and is_kontors_name(name):
        raise Refused(
            Outcome(409, _("Names beginning with “kontor-” are Kontor's own: choose another."))
        )
    check_preconditions(existing, if_match, if_none_match)
    try:
        card = read_card(body)
    except CardUnreadable as unreadable:
        raise Refused(Outcome(400, str(unreadable), "valid-address-data")) from unreadable
    with transaction.atomic():
        if existing is None:
            _create(book, device, name, card)
            return 201
        if existing.person is not None:
            _update_person(device, existing.person, card)
        else:
            _update_contact(device, existing.contact, card)
    return 204


def _with_categories(data: dict, card) -> dict:
    """The form data with the card's CATEGORIES as the contact's tags (checked as the form
    checks tags), when the card has that line."""
    if card.categories is not None:
        data = {**data, "tags": card.categories}
    return data


def _create(book: Book, device: Device, name: str, card) -> Contact:
    entered = contact_input(card, None)
    form = ContactForm(data=_with_categories(entered.data, card))
    if not form.is_valid():
        raise _refuse_invalid(form_errors(form))
    data = form.contact_data()
    data.update(
        card_properties=entered.card_properties,
        card_name=name,
        card_uid=card.uid or name.removesuffix(".vcf"),
    )
    try:
        contact = services.create_contact(
            organization=book.organization,
            data=data,
            persons=[],
            profiles=form.profile_rows(),
            tags=form.tag_names(),
            by=device.user,
            via=via(device),
        )
    except services.NumberRangeExhausted as exhausted:
        raise _refuse_invalid(_("all numbers for new contacts are used up")) from exhausted
    except IntegrityError as taken:
        # Another request created a card of this name a moment ago.
        raise Refused(Outcome(412, _("A card of this name exists already."))) from taken
    if entered.note:
        services.add_note(contact=contact, text=entered.note, by=device.user, via=via(device))
    return contact


def _update_contact(device: Device, contact: Contact, card) -> None:
    version = contact.version
    notes = [n.text for n in contact.notes.all()]
    entered = contact_input(card, contact)
    form = ContactForm(data=_with_categories(entered.data, card), instance=contact)
    if not form.is_valid():
        raise _refuse_invalid(form_errors(form))
    data = {**form.contact_data(), "card_properties": entered.card_properties}
    # Without CATEGORIES the tags stay: not every client keeps them.
    tags = form.tag_names() if card.categories is not None else None
    if tags is not None and not tags_would_change(contact, tags):
        tags = None
    if tags is None and _is_unchanged(contact, data, form.profile_rows()):
        _take_note(contact, device, entered.note, "\n\n".join(notes))
        return  # the card as the phone had it: nothing to save, the ETag stays
    try:
        services.update_contact(
            contact=contact,
            data=data,
            profiles=form.profile_rows(),
            tags=tags,
            expected_version=version,
            by=device.user,
            via=via(device),
        )
    except services.ContactChanged as changed:
        raise Refused(Outcome(412, _("The card was changed meanwhile: sync first."))) from changed
    _take_note(contact, device, entered.note, "\n\n".join(notes))


def _is_unchanged(contact: Contact, data: dict, profiles: list[dict]) -> bool:
    """Whether saving `data` and `profiles` would leave the contact as it is."""
    current = Contact.objects.get(pk=contact.pk)
    before = contact_state(current)
    for name, value in data.items():
        setattr(current, name, value)
    return contact_state(current, profiles=profiles) == before


def _take_note(contact: Contact, device: Device, sent: str | None, shown: str) -> None:
    """A note typed into the card on the phone becomes a note of the contact: the text the
    card has beyond the notes it was given (notes are never deleted from a phone)."""
    sent = (sent or "").strip()
    if not sent or sent == shown.strip():
        return
    new = sent.replace(shown.strip(), "").strip() if shown.strip() else sent
    if new:
        services.add_note(contact=contact, text=new[:5000], by=device.user, via=via(device))


def person_rows(company: Contact) -> list[tuple[ContactPerson, dict]]:
    """The company's persons as rows to save again, each with the UID its card has."""
    return [
        (p, {**{f: getattr(p, f) for f in PERSON_FIELDS}, "card_uid": p.card_id})
        for p in company.persons.all()
    ]


def _update_person(device: Device, person: ContactPerson, card) -> None:
    company = person.contact
    data, extras = person_input(card, person, company.billing_country)
    form = ContactPersonForm(data=data)
    if not form.is_valid():
        raise _refuse_invalid(form_errors(form))
    edited = {**form.cleaned_data, "card_uid": person.card_id, "card_properties": extras}
    current = person_rows(company)
    rows = [edited if p.pk == person.pk else row for p, row in current]
    if contact_state(company, persons=rows) == contact_state(
        company, persons=[r for _p, r in current]
    ):
        return  # nothing changed: the ETag stays
    _save_persons(device, company, rows)


def _save_persons(device: Device, company: Contact, rows: list[dict]) -> None:
    try:
        services.update_contact(
            contact=company,
            data={},
            persons=rows,
            expected_version=company.version,
            by=device.user,
            via=via(device),
        )
    except services.ContactChanged as changed:
        raise Refused(Outcome(412, _("The card was changed meanwhile: sync first."))) from changed


def delete(book: Book, device: Device, name: str, if_match: str) -> int:
    existing = card_named(book.organization, name)
    if existing is None:
        raise Refused(Outcome(404, _("There is no such card.")))
    check_preconditions(existing, if_match, "")
    with transaction.atomic():
        if existing.person is not None:
            company = existing.contact
            rows = [row for p, row in person_rows(company) if p.pk != existing.person.pk]
            _save_persons(device, company, rows)
        else:
            services.trash_contact(contact=existing.contact, by=device.user, via=via(device))
    return 204
