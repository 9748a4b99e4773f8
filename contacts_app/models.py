"""The address book: contacts (companies or persons), their contact persons, web profiles, notes
and tags, and each user's way of showing the list.

Modelled on lexoffice's contact so that its users find everything they had.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import ChangeStamped, Organization

CUSTOMER_NUMBERS = (10000, 69999)
SUPPLIER_NUMBERS = (70000, 99999)


class ContactQuerySet(models.QuerySet["Contact"]):
    def for_organization(self, organization: Organization) -> ContactQuerySet:
        return self.filter(organization=organization)

    def active(self) -> ContactQuerySet:
        return self.filter(archived=False)

    def trashed(self) -> ContactQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveContactManager(models.Manager.from_queryset(ContactQuerySet)):  # type: ignore[misc]
    """Contacts not in the trash: what every page, search, import and export sees."""

    def get_queryset(self) -> ContactQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


# Every index the list and its searches use leaves out the trash, so that it costs them
# nothing (a query asking for live contacts can use such a partial index).
LIVE = Q(deleted_at__isnull=True)


TAG_NAME_MAX = 50


class Tag(models.Model):
    """A keyword of the organization's ("Schlagwort") that any number of contacts carry.

    Two names the search would take for one ("Müller", "muller", "Mueller") cannot both be
    tags: `folded_name` is the name as the search folds it, `spelled_name` with the umlauts
    spelled out, and each is unique in the organization (see `contacts_app.tags.name_keys`).
    """

    class Colour(models.TextChoices):
        # A fixed palette: each is a light background with dark text of at least 4.5:1
        # contrast (WCAG AA), drawn by the `tag-<colour>` classes of static/css/kontor.css.
        GREY = "grey", _("grey")
        BLUE = "blue", _("blue")
        TEAL = "teal", _("teal")
        GREEN = "green", _("green")
        YELLOW = "yellow", _("yellow")
        ORANGE = "orange", _("orange")
        RED = "red", _("red")
        PINK = "pink", _("pink")
        PURPLE = "purple", _("purple")

    # No index of its own: the unique constraints start with it.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="tags", db_index=False
    )
    name = models.CharField(_("name"), max_length=TAG_NAME_MAX)
    colour = models.CharField(
        _("colour"), max_length=10, choices=Colour.choices, default=Colour.GREY
    )
    folded_name = models.CharField(max_length=TAG_NAME_MAX * 2, editable=False)
    spelled_name = models.CharField(max_length=TAG_NAME_MAX * 2, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["folded_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "folded_name"], name="tag_folded_name_unique"
            ),
            models.UniqueConstraint(
                fields=["organization", "spelled_name"], name="tag_spelled_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('contacts:list')}?tag={self.pk}"


class Contact(ChangeStamped):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    # No index of its own: every index of the table starts with it (see Meta.indexes).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    is_customer = models.BooleanField(_("customer"), default=True)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    customer_number = models.PositiveIntegerField(_("customer number"), null=True, blank=True)
    supplier_number = models.PositiveIntegerField(_("supplier number"), null=True, blank=True)

    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    tax_number = models.CharField(_("tax number"), max_length=30, blank=True)
    vat_id = models.CharField(_("VAT ID"), max_length=20, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)

    salutation = models.CharField(_("salutation"), max_length=25, blank=True)
    title = models.CharField(_("title"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)

    billing_supplement = models.CharField(_("address supplement"), max_length=100, blank=True)
    billing_street = models.CharField(_("street and number"), max_length=100, blank=True)
    billing_postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    billing_city = models.CharField(_("city"), max_length=100, blank=True)
    billing_country = CountryField(_("country"), blank=True, default="DE")

    has_shipping_address = models.BooleanField(_("separate shipping address"), default=False)
    shipping_supplement = models.CharField(_("address supplement"), max_length=100, blank=True)
    shipping_street = models.CharField(_("street and number"), max_length=100, blank=True)
    shipping_postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    shipping_city = models.CharField(_("city"), max_length=100, blank=True)
    shipping_country = CountryField(_("country"), blank=True)

    email_business = models.EmailField(_("e-mail (business)"), blank=True)
    email_office = models.EmailField(_("e-mail (office)"), blank=True)
    email_private = models.EmailField(_("e-mail (private)"), blank=True)
    email_other = models.EmailField(_("e-mail (other)"), blank=True)
    phone_business = models.CharField(_("phone (business)"), max_length=40, blank=True)
    phone_office = models.CharField(_("phone (office)"), max_length=40, blank=True)
    phone_mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    phone_private = models.CharField(_("phone (private)"), max_length=40, blank=True)
    phone_fax = models.CharField(_("fax"), max_length=40, blank=True)
    phone_other = models.CharField(_("phone (other)"), max_length=40, blank=True)

    archived = models.BooleanField(_("archived"), default=False)
    # Set while the contact is in the trash: hidden everywhere, its numbers still reserved,
    # back whole on restore, purged after settings.TRASH_DAYS.
    deleted_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # What the list shows and sorts by, and what search looks through; kept up to date by
    # contacts_app.services after every change.
    display_name = models.CharField(max_length=250, blank=True, editable=False)
    # Folded, so compared byte by byte: on PostgreSQL the column has the "C" collation
    # (migration 0005), as SQLite compares text, which lets the index below both sort the list
    # and find the names that start with a few letters.
    sort_name = models.CharField(max_length=250, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Changed only through contacts_app.tags, which records each change in the history.
    tags: models.ManyToManyField[Tag, ContactTag] = models.ManyToManyField(
        Tag, through="ContactTag", related_name="contacts", blank=True
    )

    # CardDAV (see carddav/): a card a phone created keeps its name in the address book and
    # its UID (both empty for contacts made in Kontor, whose card is named after the id).
    card_name = models.CharField(max_length=200, blank=True, editable=False)
    card_uid = models.CharField(max_length=200, blank=True, editable=False)
    # The vCard lines of the contact's card that Kontor has no field for (a birthday, a photo,
    # a nickname, …), as the phone sent them: written back, so a phone's edit never strips
    # them. Tracked by the history like any field; no form shows it.
    card_properties = models.TextField(_("further vCard properties"), blank=True)

    objects = LiveContactManager()
    # The trash too: for the trash page, and wherever a number must count as taken.
    all_objects = ContactQuerySet.as_manager()

    # Free text the search looks through besides names, numbers, addresses and phones.
    KEYWORD_FIELDS: tuple[str, ...] = ("industry",)
    EMAIL_FIELDS = ("email_business", "email_office", "email_private", "email_other")
    PHONE_FIELDS = (
        "phone_business",
        "phone_office",
        "phone_mobile",
        "phone_private",
        "phone_fax",
        "phone_other",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "customer_number"],
                condition=Q(customer_number__isnull=False),
                name="contact_customer_number_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "supplier_number"],
                condition=Q(supplier_number__isnull=False),
                name="contact_supplier_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_customer=True) | Q(is_supplier=True),
                name="contact_has_a_role",
            ),
            # Two phones creating a card of the same name at once make one contact, not two.
            models.UniqueConstraint(
                fields=["organization", "card_name"],
                condition=~Q(card_name=""),
                name="contact_card_name_unique",
            ),
        ]
        indexes = [
            # Counting search matches: SQLite probes this index for each match of the
            # full-text index instead of reading the contacts themselves.
            models.Index(fields=["organization", "archived"], condition=LIVE, name="contact_live"),
            models.Index(fields=["organization", "archived", "sort_name"]),
            models.Index(fields=["organization", "billing_city"]),
            models.Index(fields=["organization", "updated_at"]),
            # Sorting by number: customers' numbers, else suppliers' (see selectors.SORTS).
            models.Index(
                F("organization"),
                F("archived"),
                Coalesce("customer_number", "supplier_number"),
                F("id"),
                name="contact_number_order",
            ),
            models.Index(
                fields=["organization", "deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="contact_trash",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.compute_display_name()

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])

    def compute_display_name(self) -> str:
        if self.kind == self.Kind.COMPANY:
            return self.company_name
        return " ".join(p for p in [self.title, self.first_name, self.last_name] if p)

    @property
    def is_company(self) -> bool:
        return self.kind == self.Kind.COMPANY

    @property
    def primary_email(self) -> str:
        return next((getattr(self, f) for f in self.EMAIL_FIELDS if getattr(self, f)), "")

    @property
    def primary_phone(self) -> str:
        return next((getattr(self, f) for f in self.PHONE_FIELDS if getattr(self, f)), "")

    def _label(self, name: str) -> str:
        return str(self._meta.get_field(name).verbose_name)  # type: ignore[union-attr]

    def emails(self) -> list[tuple[str, str]]:
        return [(self._label(f), getattr(self, f)) for f in self.EMAIL_FIELDS if getattr(self, f)]

    def phones(self) -> list[tuple[str, str]]:
        return [(self._label(f), getattr(self, f)) for f in self.PHONE_FIELDS if getattr(self, f)]

    @property
    def numbers(self) -> list[int]:
        return [n for n in (self.customer_number, self.supplier_number) if n]


class ContactTag(models.Model):
    """A contact's tag. Its own model, so that the list filters by tag through an index that
    starts with the tag and bulk actions write rows without loading the contacts."""

    # No index of its own: the unique constraint starts with it.
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "tag"], name="one_tag_per_contact_once")
        ]
        indexes = [models.Index(fields=["tag", "contact"], name="contact_tag_by_tag")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.tag_id}"


class ContactPerson(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="persons")
    salutation = models.CharField(_("salutation"), max_length=25, blank=True)
    title = models.CharField(_("title"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_extension = models.CharField(_("extension"), max_length=10, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    # The person's own card in the CardDAV address book: its UID and name stay the same while
    # the company is edited (the services carry them over when the persons are saved anew), so
    # a phone updates the card instead of deleting and re-creating it. Empty until the first
    # save after the person was added; `card_id` then stands in.
    card_uid = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    card_properties = models.TextField(_("further vCard properties"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(is_primary=True), name="one_primary_person"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.title, self.first_name, self.last_name] if p)

    @property
    def card_id(self) -> str:
        """The UID of the person's card (and its name in the address book, with ".vcf")."""
        return self.card_uid or f"kontor-person-{self.pk}"

    @property
    def phone_with_extension(self) -> str:
        if self.phone and self.phone_extension:
            return f"{self.phone}-{self.phone_extension}"
        return self.phone


class WebProfile(models.Model):
    class Kind(models.TextChoices):
        WEBSITE = "website", _("Website")
        BLOG = "blog", _("Blog")
        TWITTER = "twitter", _("Twitter/X")
        SKYPE = "skype", _("Skype")
        MESSENGER = "messenger", _("Messenger")
        LINKEDIN = "linkedin", _("LinkedIn")
        XING = "xing", _("XING")
        OTHER = "other", _("Other")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="web_profiles")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.WEBSITE)
    value = models.CharField(_("address or name"), max_length=300)

    class Meta:
        verbose_name = _("web profile")
        verbose_name_plural = _("web profiles")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Note(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class NumberSequence(models.Model):
    """The last number handed out per organization and role, so deleted numbers never return."""

    class Role(models.TextChoices):
        CUSTOMER = "customer", _("customer")
        SUPPLIER = "supplier", _("supplier")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    last_value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "role"], name="one_sequence_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.role} {self.last_value}"


class DismissedPair(models.Model):
    """Two contacts someone said are not the same: the duplicates page shows them apart."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The lower id first, so that a pair is one row whichever way round it was dismissed.
    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "first", "second"], name="dismissed_pair_once"
            ),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="dismissed_pair_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class ContactMerge(models.Model):
    """Contacts merged into one (`kept`): what the undo needs besides the history's fields."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kept = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    # The kept contact's change in the history (its fields say what the merge changed there).
    change = models.ForeignKey(
        "history.Change", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Rows moved by id, per merged contact, and numbers it handed over: what the undo moves back.
    moved = models.JSONField(default=dict)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"merge into {self.kept_id}"


class MergedContact(models.Model):
    """A contact merged away: in the trash with this mark of what it went into."""

    merge = models.ForeignKey(ContactMerge, on_delete=models.CASCADE, related_name="merged")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="merged_into")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merge", "contact"], name="merged_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.merge_id}"


class FormerNumber(models.Model):
    """A number a contact merged into this one had: reserved for good, found by the search."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="former_numbers")
    role = models.CharField(max_length=10, choices=NumberSequence.Role.choices)
    number = models.PositiveIntegerField()
    merge = models.ForeignKey(
        ContactMerge, on_delete=models.SET_NULL, null=True, related_name="former_numbers"
    )

    class Meta:
        ordering = ["role", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role", "number"], name="former_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.number}"


class ContactListPreference(models.Model):
    """How one user likes the contact list of one organization: its columns and sort order."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # Keys of contacts_app.list_columns.COLUMNS, in their order; keys no longer known are left
    # out when read.
    columns = models.JSONField(default=list)
    sort = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_list_preference_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.organization_id}"
