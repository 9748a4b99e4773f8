"""Forms of the product pages: the filter above the list and the one form to create or edit."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.values import parse_decimal, validate_gtin

from . import services
from .models import PRICE_MAX_DIGITS, Product
from .selectors import ProductFilter, Status

MAX_PRICE = Decimal(10 ** (PRICE_MAX_DIGITS - 2)) - Decimal("0.01")


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Products and services")), *Product.Kind.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (Status.ACTIVE, _("Active")),
            (Status.ARCHIVED, _("Archived")),
            (Status.ALL, _("All")),
        ],
    )

    def as_filter(self) -> ProductFilter:
        if not self.is_valid():
            return ProductFilter()
        data = self.cleaned_data
        return ProductFilter(
            query=data["q"], kind=data["kind"], status=data["status"] or Status.ACTIVE
        )


class PriceField(forms.CharField):
    """A price as people write it: 19,99 or 19.99, 1.234,50 or 1,234.50, with or without €."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        price = parse_decimal(text)
        if price < 0:
            raise ValidationError(_("A price cannot be negative."), code="negative")
        if -price.as_tuple().exponent > 2:
            raise ValidationError(_("A price has at most two decimal places."), code="places")
        if price > MAX_PRICE:
            raise ValidationError(_("This price is too high."), code="too_high")
        return price

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2)
        return value


class ProductForm(forms.ModelForm):
    price = PriceField(label=_("Price"), help_text=_("Like 19,99 or 1.234,50"))

    class Meta:
        model = Product
        fields = [
            "kind",
            "name",
            "number",
            "gtin",
            "unit",
            "tax_rate",
            "leading_price",
            "price",
            "description",
            "internal_note",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "leading_price": forms.RadioSelect,
            "unit": forms.TextInput(attrs={"list": "product-units", "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["leading_price"].label = _("The price is")
        if self.instance.pk:
            self.fields["price"].initial = (
                self.instance.gross_price
                if self.instance.leading_price == Product.LeadingPrice.GROSS
                else self.instance.net_price
            )

    def clean_gtin(self) -> str:
        value = self.cleaned_data.get("gtin", "")
        return validate_gtin(value) if value else ""

    def clean_number(self) -> str:
        number = self.cleaned_data.get("number", "").strip()
        holder = services.number_holder(
            organization=self.organization, number=number, exclude=self.instance
        )
        if holder is not None:
            raise services.number_error(holder, number)
        return number

    def product_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
