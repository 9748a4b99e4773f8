"""Export → import into an empty organization → export gives the same file, for any contacts
the contact form accepts: in German and in English, as CSV and as a workbook.

The contacts are made as a person makes them: the form's data goes through `ContactForm` (and a
note through `NoteForm`), and what the form cleans is what the services save. Tags are left out:
the export writes them, the import does not read them.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Organization
from contacts_app.forms import ContactForm, NoteForm
from contacts_app.services import add_note, create_contact, set_archived
from importer import services
from importer.export_formats import xlsx_file
from importer.formulas import unescape_formula
from importer.targets.customers import CUSTOMERS
from tests.contacts.conftest import contact_post_data
from tests.workbooks import read_workbook

from .test_export_formats import csv_rows

pytestmark = pytest.mark.django_db

# Letters as names have them, digits, punctuation, and what starts a spreadsheet formula.
LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßéèçłñ ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ0123456789"
MARKS = ".,;:&/()'\"„“–-+=@#%!?_*"
word = st.text(alphabet=LETTERS + MARKS, min_size=1, max_size=24).filter(str.strip)
maybe = lambda strategy: st.one_of(st.just(""), strategy)  # noqa: E731
note_text = st.lists(
    st.one_of(word, st.just("----"), st.just("-----"), st.just("")), min_size=1, max_size=4
).map("\n".join)

# (country, postal code, city) as people type them; the form stores its own spelling.
PLACES = [
    ("DE", "01067", "Dresden"),
    ("DE", "10115", "Berlin"),
    ("DE", "80331", "München"),
    ("AT", "1010", "Wien"),
    ("CH", "8001", "Zürich"),
    ("FR", "75001", "Paris"),
    ("NL", "1012 AB", "Amsterdam"),
    ("GB", "SW1A 1AA", "London"),
]
email = st.from_regex(r"\A[a-z]{1,8}(\.[a-z0-9]{1,5})?@[a-z]{2,10}\.(de|com|at)\Z")
phone = st.from_regex(r"\A(\+49 (30|221|170) [1-9][0-9]{4,7}|0(30|89) [1-9][0-9]{5,7})\Z")
PROFILES = {
    "website": st.from_regex(r"\Ahttps://www\.[a-z]{2,10}\.de(/[a-z]{1,8})?\Z"),
    "blog": st.from_regex(r"\Ahttps://[a-z]{2,10}\.blog\.de\Z"),
    "twitter": st.from_regex(r"\A@[A-Za-z][A-Za-z0-9_]{0,14}\Z"),
    "skype": st.from_regex(r"\A[a-z][a-z0-9]{5,20}\Z"),
    "messenger": word,
    "linkedin": st.from_regex(r"\Ahttps://www\.linkedin\.com/in/[a-z]{2,12}\Z"),
    "xing": st.from_regex(r"\Ahttps://www\.xing\.com/profile/[A-Z][a-z]{2,10}\Z"),
    "other": word,
}
profile = st.sampled_from(list(PROFILES)).flatmap(
    lambda kind: PROFILES[kind].map(lambda value: {"kind": kind, "value": value})
)
person = st.fixed_dictionaries(
    {
        "last_name": word,
        "first_name": maybe(word),
        "salutation": maybe(st.sampled_from(["Frau", "Herr", "Divers", "Dr. med."])),
        "title": maybe(st.sampled_from(["Dr.", "Prof.", "Dipl.-Ing."])),
        "position": maybe(word),
        "email": maybe(email),
        "phone": maybe(phone),
        "phone_extension": maybe(st.from_regex(r"\A[0-9]{1,4}\Z")),
        "mobile": maybe(phone),
    }
)


@st.composite
def contact_forms(draw) -> dict[str, Any]:
    """A contact as the form is sent, with its notes and whether it gets archived."""
    is_company = draw(st.booleans())
    country, postal_code, city = draw(st.sampled_from(PLACES))
    fields: dict[str, Any] = {
        "kind": "company" if is_company else "person",
        # The form lets a person keep a company name: the file's contact type keeps it a person.
        "company_name": draw(word) if is_company else draw(maybe(word)),
        "last_name": draw(word if not is_company else maybe(word)),
        "first_name": draw(maybe(word)),
        "salutation": "" if is_company else draw(maybe(st.sampled_from(["Frau", "Herr"]))),
        "title": "" if is_company else draw(maybe(st.sampled_from(["Dr.", "Prof."]))),
        "industry": draw(maybe(word)),
        "vat_id": draw(st.sampled_from(["", "DE123456788", "ATU13585627"])),
        "tax_number": draw(st.sampled_from(["", "21/815/08150"])) if country == "DE" else "",
        "billing_supplement": draw(maybe(word)),
        "billing_street": draw(maybe(word)),
        "billing_postal_code": draw(st.sampled_from(["", postal_code])),
        "billing_city": city,
        "billing_country": country,
    }
    if draw(st.booleans()):
        country, postal_code, city = draw(st.sampled_from(PLACES))
        fields.update(
            has_shipping_address=True,
            shipping_street=draw(word),
            shipping_postal_code=postal_code,
            shipping_city=city,
            shipping_country=country,
        )
    for name in ("email_business", "email_office", "email_private", "email_other"):
        fields[name] = draw(maybe(email))
    for name in ("phone_business", "phone_office", "phone_mobile", "phone_private"):
        fields[name] = draw(maybe(phone))
    fields["phone_fax"], fields["phone_other"] = draw(maybe(phone)), draw(maybe(phone))
    persons = draw(st.lists(person, max_size=4)) if is_company else []
    profiles = draw(st.lists(profile, max_size=4))
    return {
        "post": contact_post_data(persons=persons, profiles=profiles, **fields),
        "notes": draw(st.lists(note_text, max_size=3)),
        "archived": draw(st.booleans()),
    }


organizations = itertools.count()


def new_organization() -> Organization:
    n = next(organizations)
    return Organization.objects.create(name=f"Prüfung {n}", slug=f"round-trip-{n}")


def make(organization: Organization, contact: dict[str, Any]) -> None:
    form = ContactForm(contact["post"], organization=organization)
    assert form.is_valid(), (form.errors, form.persons.errors, form.profiles.errors)
    saved = create_contact(
        organization=organization,
        data=form.contact_data(),
        persons=form.person_rows(),
        profiles=form.profile_rows(),
        by=None,
    )
    for text in contact["notes"]:
        note = NoteForm({"text": text})
        if note.is_valid():  # a note of blanks only is refused, as on the page
            add_note(contact=saved, text=note.cleaned_data["text"], by=None)
    if contact["archived"]:
        set_archived(contact=saved, archived=True, by=None)


def export_both(organization: Organization) -> tuple[bytes, list[list[str]]]:
    table = CUSTOMERS.export_table(CUSTOMERS.records(organization))
    return CUSTOMERS.export(CUSTOMERS.records(organization)), read_workbook(xlsx_file(table)).rows


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(contacts=st.lists(contact_forms(), min_size=1, max_size=4))
@pytest.mark.parametrize("language", ["de", "en"])
def test_export_import_export_gives_the_same_files(db, language, contacts):
    with translation.override(language):
        source = new_organization()
        for contact in contacts:
            make(source, contact)
        exported, workbook = export_both(source)
        # The workbook holds the CSV's cells as the import reads them.
        assert workbook == [[unescape_formula(c) for c in row] for row in csv_rows(exported)]

        copy = new_organization()
        run, _parsed = services.start_import(
            organization=copy, target="customers", file_name="e.csv", data=exported, by=None
        )
        result = services.commit(run, by=None)
        assert result.counts["invalid"] == 0, result.errors
        assert result.counts["new"] == len(contacts)

        again, again_workbook = export_both(copy)
    assert again == exported
    assert again_workbook == workbook
