"""The trash: what the organization deleted in the last settings.TRASH_DAYS days.

Everyone of the organization may look (viewers too, as they see everything else); members
restore; only admins delete for good before the time is up.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, ListView

from accounts.models import User
from accounts.tenancy import AdminMixin, OrganizationMixin
from contacts_app import services as contact_services
from contacts_app.models import Contact
from core.views import ObjectActionView
from history.models import Source
from history.services import Via
from products import services as product_services
from products.models import Product

from .selectors import days_left, trashed_contacts, trashed_products

PAGE_SIZE = 50
# What the trash page does is recorded as done through the trash.
TRASH = Via(Source.TRASH)


class TrashList(OrganizationMixin, ListView):
    """One tab of the trash page (contacts or products), each with its own pages."""

    template_name = "trash/trash_list.html"
    paginate_by = PAGE_SIZE
    section = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for item in context["object_list"]:
            item.days_left = days_left(item.deleted_at, now)
        counts = {
            "contacts": Contact.all_objects.trashed().filter(organization=self.organization),
            "products": Product.all_objects.trashed().filter(organization=self.organization),
        }
        context.update(
            section=self.section,
            page=context["page_obj"],
            params="",
            trash_days=settings.TRASH_DAYS,
            counts={
                name: context["paginator"].count if name == self.section else rows.count()
                for name, rows in counts.items()
            },
        )
        return context


class TrashContactList(TrashList):
    section = "contacts"

    def get_queryset(self) -> QuerySet[Contact]:
        return trashed_contacts(self.organization)


class TrashProductList(TrashList):
    section = "products"

    def get_queryset(self) -> QuerySet[Product]:
        return trashed_products(self.organization)


class TrashedContacts:
    """The organization's contacts in the trash, named in the URL as `contact_pk`."""

    queryset: QuerySet[Any] | None = Contact.all_objects.trashed()
    pk_url_kwarg = "contact_pk"
    context_object_name: str | None = "item"


class TrashedProducts:
    queryset: QuerySet[Any] | None = Product.all_objects.trashed()
    pk_url_kwarg = "product_pk"
    context_object_name: str | None = "item"


def actor(request: HttpRequest) -> User:
    """The user acting; OrganizationMixin lets nobody else reach these views."""
    return cast(User, request.user)


class RestoreView(ObjectActionView):
    """Back from the trash, then to the restored record's page."""

    section = ""

    def restore(self, obj: Any) -> bool:
        raise NotImplementedError

    def post(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if not self.restore(self.object):
            # Restored or deleted by someone else since the page was shown.
            gone = _("“%(name)s” is no longer in the trash.") % {"name": self.object}
            messages.info(request, gone)
            return HttpResponseRedirect(reverse(f"trash:{self.section}"))
        back = _("“%(name)s” is back from the trash.") % {"name": self.object}
        messages.success(request, back)
        return HttpResponseRedirect(self.object.get_absolute_url())


class ContactRestore(OrganizationMixin, TrashedContacts, RestoreView):
    section = "contacts"

    def restore(self, obj: Contact) -> bool:
        return contact_services.restore_contact(contact=obj, by=actor(self.request), via=TRASH)


class ProductRestore(OrganizationMixin, TrashedProducts, RestoreView):
    section = "products"

    def restore(self, obj: Product) -> bool:
        return product_services.restore_product(product=obj, by=actor(self.request), via=TRASH)


class PurgeView(DeleteView):
    """Asks first, then deletes the record for good (admins only)."""

    template_name = "trash/confirm_purge.html"
    section = ""
    request: Any
    organization: Any

    def purge(self, obj: Any) -> list[str]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(section=self.section, **kwargs)

    def get_success_url(self) -> str:
        return reverse(f"trash:{self.section}")

    def form_valid(self, form: Any) -> HttpResponse:
        if self.purge(self.object):
            messages.success(
                self.request, _("“%(name)s” was deleted for good.") % {"name": self.object}
            )
        else:
            messages.info(
                self.request, _("“%(name)s” is no longer in the trash.") % {"name": self.object}
            )
        return HttpResponseRedirect(self.get_success_url())


class ContactPurge(AdminMixin, TrashedContacts, PurgeView):
    section = "contacts"

    def purge(self, obj: Contact) -> list[str]:
        return contact_services.purge_contacts(
            organization=self.organization, ids=[obj.pk], by=actor(self.request), via=TRASH
        )


class ProductPurge(AdminMixin, TrashedProducts, PurgeView):
    section = "products"

    def purge(self, obj: Product) -> list[str]:
        return product_services.purge_products(
            organization=self.organization, ids=[obj.pk], by=actor(self.request), via=TRASH
        )
