"""Forms for a contact with its contact persons and web profiles, and for notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

from . import phones, validators
from .list_columns import COLUMNS
from .models import Contact, ContactPerson, ContactTag, Note, NumberSequence, Tag, WebProfile
from .selectors import ContactFilter, row_count
from .services import NUMBER_RANGES, settle_shipping_address
from .tag_forms import TagsField
from .tag_names import sorted_names
from .widgets import QuickSelect, SuggestingInput

# What a person types into a contact: every field of the contact but those the code sets
# (numbers are handed out, archiving is an action of its own).
NOT_TYPED = {"id", "organization", "created_by", "updated_by", "customer_number", "supplier_number"}
NOT_TYPED |= {"archived", "card_properties"}  # a phone's card keeps what no field holds
CONTACT_FIELDS = [
    f.name for f in Contact._meta.concrete_fields if f.editable and f.name not in NOT_TYPED
]

# The salutations offered (stored as written in a German letter, each with a label in the
# user's language); any other may be typed, and none is the empty field.
SALUTATIONS = [("Herr", _("Mr")), ("Frau", _("Ms")), ("Divers", _("Mx (diverse)"))]


def salutation_input() -> SuggestingInput:
    return SuggestingInput(SALUTATIONS, attrs={"placeholder": _("none"), "autocomplete": "off"})


class RequiredForKindField(forms.CharField):
    """A field that the contact's kind asks for (the company's name, the person's last name):
    shown as required, as it is wherever its section is shown, but asked for by the form's
    clean(), which knows the kind."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=True, **kwargs)
        self.widget.attrs["aria-required"] = "true"

    def validate(self, value: Any) -> None:
        """Nothing here: an empty value is refused by the form, and only for its kind."""


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = [
            "salutation",
            "title",
            "first_name",
            "last_name",
            "position",
            "email",
            "phone",
            "phone_extension",
            "mobile",
            "is_primary",
        ]
        widgets = {
            "salutation": salutation_input(),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "mobile": forms.TextInput(attrs={"type": "tel"}),
        }

    def clean_phone(self) -> str:
        number = self.cleaned_data["phone"]
        return phones.validate_phone_number(number) if number else ""

    def clean_mobile(self) -> str:
        number = self.cleaned_data["mobile"]
        return phones.validate_phone_number(number) if number else ""


class BaseContactPersonFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        primaries = [
            f
            for f in self.forms
            if f.cleaned_data.get("is_primary") and not self._should_delete_form(f)
        ]
        if len(primaries) > 1:
            raise ValidationError(_("Only one contact person can be the primary one."))

    def people(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


def _without_delete(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("DELETE", "id")} for row in rows]


ContactPersonFormSet = cast(
    type[BaseContactPersonFormSet],
    forms.formset_factory(
        ContactPersonForm,
        formset=BaseContactPersonFormSet,
        extra=0,
        can_delete=True,
        max_num=50,
        validate_max=True,
    ),
)


class WebProfileForm(forms.ModelForm):
    class Meta:
        model = WebProfile
        fields = ["kind", "value"]
        widgets = {"kind": forms.Select(attrs={"class": "form-select"})}

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind and value:
            try:
                cleaned["value"] = validators.validate_web_profile(kind, value)
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned


class BaseWebProfileFormSet(forms.BaseFormSet):
    def profiles(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


WebProfileFormSet = cast(
    type[BaseWebProfileFormSet],
    forms.formset_factory(
        WebProfileForm,
        formset=BaseWebProfileFormSet,
        extra=0,
        can_delete=True,
        max_num=30,
        validate_max=True,
    ),
)


def tag_names_of(contact: Contact) -> list[str]:
    return sorted_names(contact.tags.values_list("name", flat=True))


# What tells one contact from another: changing it asks again about look-alikes.
IDENTIFYING_FIELDS = {"kind", "company_name", "title", "first_name", "last_name"}
IDENTIFYING_FIELDS.update(Contact.EMAIL_FIELDS)


class ContactForm(forms.ModelForm):
    """A contact with its contact persons (`persons`) and web profiles (`profiles`) as formsets,
    valid only when all three are, and its tags (`tags`: names, among the `organization`'s
    or new)."""

    persons: BaseContactPersonFormSet
    profiles: BaseWebProfileFormSet
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_duplicate = forms.BooleanField(widget=forms.HiddenInput, required=False)
    company_name = RequiredForKindField(
        label=_("Company name"), max_length=Contact._meta.get_field("company_name").max_length
    )
    last_name = RequiredForKindField(
        label=_("Last name"), max_length=Contact._meta.get_field("last_name").max_length
    )
    first_note = forms.CharField(
        label=_("First note"),
        required=False,
        max_length=Note._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: saved as the contact's first note."),
    )

    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        widgets = {
            "kind": forms.RadioSelect,
            "salutation": salutation_input(),
            **{f: forms.EmailInput(attrs={"autocomplete": "off"}) for f in Contact.EMAIL_FIELDS},
            **{f: forms.TextInput(attrs={"type": "tel"}) for f in Contact.PHONE_FIELDS},
        }

    def __init__(self, *args, organization: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"] = TagsField(organization=organization, label=_("Tags"))
        if self.instance.pk:
            self.initial.setdefault("tags", tag_names_of(self.instance))
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("A contact stays a company or a person.")
            self.fields["version"].initial = self.instance.version
            del self.fields["first_note"]  # notes of a saved contact are written on its page
        for name in ("billing_country", "shipping_country"):
            field = cast(forms.ChoiceField, self.fields[name])
            choices: Any = field.choices
            field.widget = QuickSelect(choices=choices, attrs={"class": "form-select"})
        if self.is_bound:
            # No initial rows: every posted row counts as changed, since all are saved anew.
            self.persons = ContactPersonFormSet(self.data, prefix="persons")
            self.profiles = WebProfileFormSet(self.data, prefix="profiles")
        else:
            saved = self.instance.pk is not None
            self.persons = ContactPersonFormSet(
                prefix="persons",
                initial=list(self.instance.persons.values(*ContactPersonForm.Meta.fields))
                if saved
                else [],
            )
            self.profiles = WebProfileFormSet(
                prefix="profiles",
                initial=list(self.instance.web_profiles.values("kind", "value")) if saved else [],
            )

    def is_valid(self) -> bool:
        # All three are checked, so that every error shows at once.
        return all([super().is_valid(), self.persons.is_valid(), self.profiles.is_valid()])

    def clean_vat_id(self) -> str:
        value = self.cleaned_data.get("vat_id", "")
        return validators.validate_vat_id(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        if not cleaned.get("is_customer") and not cleaned.get("is_supplier"):
            self.add_error("is_customer", _("Choose at least one role: customer or supplier."))
        if kind == Contact.Kind.COMPANY and not cleaned.get("company_name", "").strip():
            self.add_error("company_name", _("A company needs a name."))
        if kind == Contact.Kind.PERSON and not cleaned.get("last_name", "").strip():
            self.add_error("last_name", _("A person needs a last name."))
        # A shipping address that is not wanted is not kept, so neither is it checked.
        settle_shipping_address(cleaned)
        for prefix in ("billing", "shipping"):
            if code := cleaned.get(f"{prefix}_postal_code", ""):
                try:
                    cleaned[f"{prefix}_postal_code"] = validators.validate_postal_code(
                        code, cleaned.get(f"{prefix}_country") or ""
                    )
                except ValidationError as error:
                    self.add_error(f"{prefix}_postal_code", error)
        if tax_number := cleaned.get("tax_number", ""):
            try:
                cleaned["tax_number"] = validators.validate_tax_number(
                    tax_number, cleaned.get("billing_country") or "DE"
                )
            except ValidationError as error:
                self.add_error("tax_number", error)
        for field in Contact.PHONE_FIELDS:
            if number := cleaned.get(field, ""):
                try:
                    cleaned[field] = phones.validate_phone_number(number)
                except ValidationError as error:
                    self.add_error(field, error)
        return cleaned

    def phone_warnings(self) -> list[str]:
        """Numbers that were saved but cannot exist as typed: said, never refused."""
        cleaned = self.cleaned_data
        country = cleaned.get("billing_country") or "DE"
        numbers = [cleaned.get(f, "") for f in Contact.PHONE_FIELDS]
        numbers += [n for row in self.person_rows() for n in (row.get("phone"), row.get("mobile"))]
        return [w for n in numbers if n and (w := phones.phone_warning(n, country))]

    def contact_data(self) -> dict:
        cleaned = self.cleaned_data
        return {name: cleaned[name] for name in CONTACT_FIELDS if name in cleaned}

    def tag_names(self) -> list[str]:
        return self.cleaned_data.get("tags", [])

    def first_note_text(self) -> str:
        return self.cleaned_data.get("first_note", "").strip()

    def person_rows(self) -> list[dict]:
        return _without_delete(self.persons.people())

    def profile_rows(self) -> list[dict]:
        return _without_delete(self.profiles.profiles())

    def look_alike_probe(self) -> tuple[str, list[str]] | None:
        """The name and e-mail addresses to look for look-alike contacts with, or None when
        the user confirmed saving beside them or an edit keeps name and addresses."""
        if self.cleaned_data.get("confirm_duplicate"):
            return None
        if self.instance.pk and not IDENTIFYING_FIELDS & set(self.changed_data):
            return None
        data = self.cleaned_data
        if (data.get("kind") or self.instance.kind) == Contact.Kind.COMPANY:
            name = data.get("company_name", "")
        else:
            name = f"{data.get('first_name', '')} {data.get('last_name', '')}"
        return name, [data.get(f, "") for f in Contact.EMAIL_FIELDS]

    def add_numbers_used_up_error(self, role: str) -> None:
        field = "is_supplier" if role == NumberSequence.Role.SUPPLIER else "is_customer"
        low, high = NUMBER_RANGES[NumberSequence.Role(role)][1]
        self.add_error(
            field,
            _("All numbers for this role (%(low)s–%(high)s) are used up.")
            % {"low": low, "high": high},
        )

    def send_again_with(self, **hidden: object) -> None:
        """Show the form again as typed, its next submission carrying these hidden values (the
        confirmation of a look-alike, the version a conflict was found with)."""
        data = cast(QueryDict, self.data).copy()
        for name, value in hidden.items():
            data[name] = str(value)
        self.data = data


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


SORT_CHOICES = [
    ("name", _("Name, A–Z")),
    ("-name", _("Name, Z–A")),
    ("number", _("Number, lowest first")),
    ("-number", _("Number, highest first")),
    ("city", _("City, A–Z")),
    ("-city", _("City, Z–A")),
    ("-changed", _("Last change, newest first")),
    ("changed", _("Last change, oldest first")),
]
# A selection handed to the export names at most this many contacts (the ticked rows of a page).
MAX_SELECTED_IDS = 500


class ContactFilterForm(forms.Form):
    """The list's filter as the query string carries it.

    Tags are given by id (`tag`, repeated for several); with the `organization`, an id that
    is not one of its tags answers 404, as every other object of another organization does.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), ("customer", _("Customers")), ("supplier", _("Suppliers"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Companies and persons")),
            ("company", _("Companies")),
            ("person", _("Persons")),
        ],
    )
    archived = forms.BooleanField(label=_("Archived"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any = None, *, organization: Organization | None = None) -> None:
        super().__init__(data)
        self.organization = organization

    def as_filter(self) -> ContactFilter:
        """The filter the query string asks for; invalid choices are simply dropped, but a tag
        that is not the organization's is not found (404)."""
        self.is_valid()
        data = self.cleaned_data
        return ContactFilter(
            query=data.get("q", ""),
            role=data.get("role", ""),
            kind=data.get("kind", ""),
            archived=bool(data.get("archived")),
            sort=data.get("sort") or "name",
            tags=self._tag_ids(),
            ids=self._ids(),
        )

    def _tag_ids(self) -> tuple[int, ...]:
        wanted = self.data.getlist("tag") if hasattr(self.data, "getlist") else []
        if not wanted:
            return ()
        if not all(value.isascii() and value.isdigit() for value in wanted):
            raise Http404("no such tag")
        ids = tuple(dict.fromkeys(int(value) for value in wanted))
        if self.organization is None:
            return ids
        own = Tag.objects.filter(organization=self.organization, pk__in=ids)
        if len(ids) == 1:
            if not own.exists():
                raise Http404("no such tag")
            return ids
        # The rarest tag first: counting and finding a page start from its few rows.
        carried = dict(
            own.values_list("pk", row_count(ContactTag.objects.filter(tag_id=OuterRef("pk"))))
        )
        if len(carried) != len(ids):
            raise Http404("no such tag")
        return tuple(sorted(ids, key=lambda pk: carried[pk] or 0))

    def _ids(self) -> tuple[int, ...]:
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        ids = [int(v) for v in values[:MAX_SELECTED_IDS] if v.isascii() and v.isdigit()]
        return tuple(dict.fromkeys(ids))


def list_query(flt: ContactFilter, *, ids: Sequence[int] = ()) -> str:
    """The query string of the list showing `flt` (without its page), e.g. to return to it;
    with `ids`, of just those contacts among them."""
    params: list[tuple[str, Any]] = [
        (name, value)
        for name, value in (("q", flt.query), ("role", flt.role), ("kind", flt.kind))
        if value
    ]
    if flt.archived:
        params.append(("archived", "on"))
    params += [("tag", pk) for pk in flt.tags]
    params.append(("sort", flt.sort))
    params += [("ids", pk) for pk in ids]
    return urlencode(params)


class ListColumnsForm(forms.Form):
    """The columns a user wants on the list; `params` is the list's query string to return to."""

    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        required=False,
        choices=[(column.key, column.label) for column in COLUMNS],
        widget=forms.CheckboxSelectMultiple,
    )
    params = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def list_url(self) -> str:
        # Read and written again as a query string, so it can only lead back to the list.
        params = QueryDict(str(self.data.get("params", ""))[:2000]).urlencode()
        return reverse("contacts:list") + (f"?{params}" if params else "")
