"""The tags page: every tag of the organization with how many contacts carry it; new, rename and
recolour, merge into another, delete."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import CreateView, DeleteView, FormView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from accounts.models import User
from accounts.tenancy import EditorMixin, OrganizationMixin

from . import tags
from .models import ContactTag, Tag
from .tag_forms import TagForm, TagMergeForm

TAG_LIST = reverse_lazy("contacts:tag_list")


class TagList(OrganizationMixin, ListView):
    model = Tag
    template_name = "contacts_app/tag_list.html"

    def get_queryset(self):
        return tags.tags_with_counts(self.organization)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # OrganizationMixin lets only members in


class TagFormMixin(EditorMixin):
    """New and edit: the form, saved through `tags`, a name that is taken shown at the field."""

    model = Tag
    form_class: type[TagForm] | None = TagForm
    template_name: str | None = "contacts_app/tag_form.html"
    pk_url_kwarg = "tag_pk"
    success_message: str | Promise = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}  # type: ignore[misc]

    def save(self, form: TagForm) -> Tag:
        raise NotImplementedError

    def form_valid(self, form: TagForm) -> HttpResponse:
        try:
            tag = self.save(form)
        except tags.TagNameTaken as taken:
            form.add_error(
                "name", _("There is a tag “%(name)s” already.") % {"name": taken.existing}
            )
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, self.success_message % {"name": tag})
        return HttpResponseRedirect(str(TAG_LIST))


class TagCreate(TagFormMixin, CreateView[Tag, TagForm]):
    def get_initial(self) -> dict[str, Any]:
        return {"colour": tags.next_colour(self.organization)}

    success_message = gettext_lazy("Tag “%(name)s” created.")

    def save(self, form: TagForm) -> Tag:
        return tags.create_tag(
            organization=self.organization,
            name=form.cleaned_data["name"],
            colour=form.cleaned_data["colour"],
        )


class TagUpdate(TagFormMixin, UpdateView[Tag, TagForm]):
    success_message = gettext_lazy("Tag “%(name)s” saved.")
    saved_name: str

    def get_object(self, queryset: Any = None) -> Tag:
        tag = super().get_object(queryset)
        # The heading keeps the saved name while the form shows what was typed.
        self.__dict__.setdefault("saved_name", tag.name)
        return tag

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.saved_name, **kwargs)

    def save(self, form: TagForm) -> Tag:
        assert self.object is not None
        return tags.update_tag(
            tag=self.object,
            name=form.cleaned_data["name"],
            colour=form.cleaned_data["colour"],
            by=_actor(self.request),
        )


def _carrier_count(tag: Tag) -> int:
    return ContactTag.objects.filter(tag=tag, contact__deleted_at__isnull=True).count()


class TagMerge(EditorMixin, SingleObjectMixin, FormView):
    """All contacts carrying the tag get another one instead; the tag is deleted."""

    model = Tag
    pk_url_kwarg = "tag_pk"
    form_class = TagMergeForm
    template_name = "contacts_app/tag_merge.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        into = request.POST.get("into", "")
        own = Tag.objects.filter(organization=self.organization)
        if into and not (into.isascii() and into.isdigit() and own.filter(pk=into).exists()):
            raise Http404("no such tag")  # another organization's, as everywhere else
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "tag": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(count=_carrier_count(self.object), **kwargs)

    def form_valid(self, form: TagMergeForm) -> HttpResponse:
        into = form.target()
        count = tags.merge_tag(tag=self.object, into=into, by=_actor(self.request))
        message = ngettext(
            "“%(tag)s” merged into “%(into)s”: %(count)d contact carries “%(into)s” instead.",
            "“%(tag)s” merged into “%(into)s”: %(count)d contacts carry “%(into)s” instead.",
            count,
        )
        messages.success(self.request, message % {"tag": self.object, "into": into, "count": count})
        return HttpResponseRedirect(str(TAG_LIST))


class TagDelete(EditorMixin, DeleteView):
    model = Tag
    pk_url_kwarg = "tag_pk"
    template_name = "contacts_app/tag_confirm_delete.html"
    success_url = TAG_LIST

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(count=_carrier_count(self.object), **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        name = self.object.name
        count = tags.delete_tag(tag=self.object, by=_actor(self.request))
        message = ngettext(
            "Tag “%(name)s” deleted; %(count)d contact no longer carries it.",
            "Tag “%(name)s” deleted; %(count)d contacts no longer carry it.",
            count,
        )
        messages.success(self.request, message % {"name": name, "count": count})
        return HttpResponseRedirect(str(self.success_url))
