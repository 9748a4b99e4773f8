"""Product pages: list and search, create, edit, show with its history, archive, restore a
version, move to the trash."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from accounts.tenancy import EditorMixin, OrganizationMixin
from core.views import ArchiveView, FilteredListMixin, ObjectActionView, StrOrPromise
from history.models import Change

from . import services
from .forms import ProductFilterForm, ProductForm
from .history import KIND, product_history
from .models import BUILT_IN_UNITS, Product
from .selectors import ProductFilter, product_list


class ProductList(OrganizationMixin, FilteredListMixin, ListView):
    model = Product
    template_name = "products/product_list.html"
    fragment_template_name = "products/_results.html"
    filter_form_class = ProductFilterForm

    def filtered_queryset(self, flt: ProductFilter):
        return product_list(self.organization, flt)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["has_any_product"] = (
            bool(context["page"].object_list) or self.organization.products.exists()
        )
        return context


class ProductDetail(OrganizationMixin, DetailView):
    model = Product

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(history=product_history(self.object), **kwargs)


class ProductFormMixin(EditorMixin):
    """Create and edit: the form, saved through the services, whose errors go to the fields."""

    model = Product
    form_class: Any = ProductForm
    success_message: StrOrPromise = ""
    object: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(units=BUILT_IN_UNITS, **kwargs)  # type: ignore[misc]

    def save(self, form: ProductForm) -> Product:
        raise NotImplementedError

    def form_valid(self, form: ProductForm) -> HttpResponse:
        try:
            self.object = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, self.success_message % {"name": self.object.name})
        return HttpResponseRedirect(self.object.get_absolute_url())


class ProductCreate(ProductFormMixin, CreateView):
    success_message = gettext_lazy("“%(name)s” was created.")

    def save(self, form: ProductForm) -> Product:
        return services.create_product(
            organization=self.organization, data=form.product_data(), by=self.user
        )


class ProductUpdate(ProductFormMixin, UpdateView):
    saved_name: str

    success_message = gettext_lazy("“%(name)s” was saved.")

    def get_object(self, queryset: Any = None) -> Product:
        product = super().get_object(queryset)
        # The heading keeps the saved name while the form shows what was typed.
        self.__dict__.setdefault("saved_name", str(product))
        return product

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.saved_name, **kwargs)

    def save(self, form: ProductForm) -> Product:
        return services.update_product(product=self.object, data=form.product_data(), by=self.user)


class ProductArchive(OrganizationMixin, ArchiveView):
    model = Product
    archived_message = gettext_lazy("“%(name)s” was archived.")
    restored_message = gettext_lazy("“%(name)s” is active again.")

    def set_archived(self, obj: Product, archived: bool) -> None:
        services.set_archived(product=obj, archived=archived, by=self.user)


class ProductDelete(EditorMixin, DeleteView):
    """Asks first, then moves the product to the trash (purged after settings.TRASH_DAYS)."""

    model = Product
    success_url = reverse_lazy("products:list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(trash_days=settings.TRASH_DAYS, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        services.trash_product(product=self.object, by=self.user)
        days = settings.TRASH_DAYS
        message = ngettext(
            "“%(name)s” was moved to the trash. It can be restored there for %(days)d day.",
            "“%(name)s” was moved to the trash. It can be restored there for %(days)d days.",
            days,
        )
        messages.success(self.request, message % {"name": self.object.name, "days": days})
        return HttpResponseRedirect(self.get_success_url())


class ProductVersionRestore(OrganizationMixin, ObjectActionView):
    """Make the product what it was after one change of its history."""

    model = Product

    def act(self, obj: Product) -> str:
        change = get_object_or_404(
            Change.objects.select_related("changeset"),
            pk=self.kwargs["change_pk"],
            kind=KIND,
            object_id=obj.pk,
        )
        try:
            services.restore_version(product=obj, change=change, by=self.user)
        except ValidationError as error:
            messages.error(
                self.request,
                _("This version cannot be restored: %(reason)s")
                % {"reason": " ".join(error.messages)},
            )
            return ""
        when = date_format(localtime(change.changeset.created_at), "SHORT_DATETIME_FORMAT")
        return _("The version of %(when)s was restored.") % {"when": when}
