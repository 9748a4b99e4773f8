"""Product pages: list and search, create, edit, show, archive, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.http import require_POST_for
from accounts.models import Role
from accounts.tenancy import get_object_for_organization, organization_required, role_required

from . import services
from .forms import ProductFilterForm, ProductForm
from .models import BUILT_IN_UNITS, Product
from .selectors import product_list

PAGE_SIZE = 25


@organization_required
def product_list_view(request: HttpRequest) -> HttpResponse:
    filter_form = ProductFilterForm(request.GET)
    flt = filter_form.as_filter()
    page = Paginator(product_list(request.organization, flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter_form": filter_form,
        "flt": flt,
        "page": page,
        "params": params.urlencode(),
        "has_any_product": bool(page.object_list) or request.organization.products.exists(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "products/_results.html", context)
    return render(request, "products/product_list.html", context)


def _product(request: HttpRequest, pk: int) -> Product:
    return get_object_for_organization(request, Product.objects.all(), pk=pk)


def _form_page(
    request: HttpRequest, form: ProductForm, product: Product | None, title: str = ""
) -> HttpResponse:
    return render(
        request,
        "products/product_form.html",
        {"form": form, "product": product, "title": title, "units": BUILT_IN_UNITS},
    )


def _save(request: HttpRequest, form: ProductForm, product: Product | None) -> Product | None:
    """Create or update through the services; their errors go next to the fields."""
    try:
        if product is None:
            return services.create_product(
                organization=request.organization, data=form.product_data(), by=request.user
            )
        return services.update_product(product=product, data=form.product_data(), by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@role_required(Role.MEMBER, for_get=True)
def product_create(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        product = _save(request, form, None)
        if product is not None:
            messages.success(request, _("“%(name)s” was created.") % {"name": product.name})
            return redirect("products:detail", pk=product.pk)
    return _form_page(request, form, None)


@role_required(Role.MEMBER, for_get=True)
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    title = str(product)  # before the form changes the instance
    form = ProductForm(request.POST or None, instance=product, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, product)
        if saved is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
            return redirect("products:detail", pk=saved.pk)
    return _form_page(request, form, product, title)


@organization_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "products/product_detail.html", {"product": _product(request, pk)})


@role_required(Role.MEMBER)
@require_POST_for(_product)
def product_archive(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    services.archive_product(product=product, by=request.user)
    messages.success(request, _("“%(name)s” was archived.") % {"name": product.name})
    return redirect("products:detail", pk=product.pk)


@role_required(Role.MEMBER)
@require_POST_for(_product)
def product_unarchive(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    services.unarchive_product(product=product, by=request.user)
    messages.success(request, _("“%(name)s” is active again.") % {"name": product.name})
    return redirect("products:detail", pk=product.pk)


@role_required(Role.MEMBER, for_get=True)
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    if request.method == "POST":
        name = product.name
        services.delete_product(product=product)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect("products:list")
    return render(request, "products/product_confirm_delete.html", {"product": product})
