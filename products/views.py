"""Product pages: list and search, create, edit, show, archive, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from accounts.tenancy import EditorMixin, OrganizationMixin
from core.views import ArchiveView, FilteredListMixin, StrOrPromise

from . import services
from .forms import ProductFilterForm, ProductForm
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
    model = Product
    success_url = reverse_lazy("products:list")

    def form_valid(self, form: Any) -> HttpResponse:
        name = self.object.name
        services.delete_product(product=self.object)
        messages.success(self.request, _("“%(name)s” was deleted.") % {"name": name})
        return HttpResponseRedirect(self.get_success_url())
