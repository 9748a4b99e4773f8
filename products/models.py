"""Products and services an organization sells (lexoffice's "Artikel")."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import ChangeStamped, Organization
from core.values import validate_gtin

NUMBER_MAX_LENGTH = 18
PRICE_MAX_DIGITS = 12
# The units every organization has; others can be typed in. Stored in German, as lexoffice does.
BUILT_IN_UNITS = (("Stück", _("piece")), ("Stunde", _("hour")))


class ProductQuerySet(models.QuerySet["Product"]):
    def trashed(self) -> ProductQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveProductManager(models.Manager.from_queryset(ProductQuerySet)):  # type: ignore[misc]
    """Products not in the trash: what every page, search, import and export sees."""

    def get_queryset(self) -> ProductQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Product(ChangeStamped):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")

    class TaxRate(models.IntegerChoices):
        STANDARD = 19, _("19 %")
        REDUCED = 7, _("7 %")
        ZERO = 0, _("0 %")

    class LeadingPrice(models.TextChoices):
        """Which price the user entered; the other one is computed from it."""

        NET = "net", _("net")
        GROSS = "gross", _("gross")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="products"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    number = models.CharField(
        _("product number"),
        max_length=NUMBER_MAX_LENGTH,
        blank=True,
        help_text=_("Optional; at most 18 characters, unique in your organization."),
    )
    gtin = models.CharField(
        _("GTIN/EAN"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],  # type: ignore[list-item]  # returns the digits too
        help_text=_("8, 12, 13 or 14 digits."),
    )
    name = models.CharField(_("name"), max_length=100)
    # TextField's max_length only reaches the form; the validator also holds for services.
    description = models.TextField(
        _("description"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    internal_note = models.TextField(
        _("internal note"),
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text=_("Only for your team; never printed on documents."),
    )
    unit = models.CharField(_("unit"), max_length=30, default="Stück")
    tax_rate = models.PositiveSmallIntegerField(
        _("tax rate"), choices=TaxRate.choices, default=TaxRate.STANDARD
    )
    leading_price = models.CharField(
        _("price entered as"),
        max_length=5,
        choices=LeadingPrice.choices,
        default=LeadingPrice.NET,
    )
    net_price = models.DecimalField(
        _("net price"),
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    gross_price = models.DecimalField(
        _("gross price"),
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    archived = models.BooleanField(_("archived"), default=False)
    # Set while the product is in the trash: hidden everywhere, its number still taken, back
    # on restore, purged after settings.TRASH_DAYS.
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
    # Name, number, GTIN and description folded for search; kept current by products.services.
    search_text = models.TextField(blank=True, editable=False)

    objects = LiveProductManager()
    # The trash too: for the trash page, and wherever a number must count as taken.
    all_objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=~Q(number=""),
                name="product_number_unique",
                violation_error_message=_("Another product already has this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "archived", "name"], name="product_list_idx"),
            models.Index(
                fields=["organization", "deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="product_trash",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("products:detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.number} {self.name}" if self.number else self.name
