"""Settings → Users: members, pending invitations and what happened to them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from core.views import ObjectActionView
from outbox.selectors import with_last_delivery

from .. import services
from ..forms import InviteForm, RoleForm
from ..models import Invitation, Membership, Role
from ..tenancy import AdminMixin, OrganizationMixin


class UserList(OrganizationMixin, ListView):
    """Every member reads the list; the template offers the controls to admins only."""

    model = Membership
    template_name = "accounts/user_list.html"
    context_object_name = "members"
    ordering = ["user__last_name", "user__first_name", "user__email"]

    def get_queryset(self):
        return super().get_queryset().select_related("user")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        members = list(context["members"])
        admins = [m for m in members if m.role == Role.ADMIN]
        for member in members:
            # The page offers no demotion or removal that would only end in "last admin" errors.
            member.is_only_admin = admins == [member]
        context.update(
            members=members,
            pending=with_last_delivery(
                self.organization.invitations.pending().select_related("invited_by")
            ),
            events=self.organization.audit_events.select_related("actor")[:50],
            is_admin=self.can(Role.ADMIN),
            role_choices=Role.choices,
        )
        return context


class InviteView(AdminMixin, FormView):
    form_class = InviteForm
    template_name = "accounts/invite.html"
    success_url = reverse_lazy("accounts:user_list")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organization": self.organization,
            "membership": self.membership,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pending_invitation"] = context["form"].pending_invitation
        return context

    def form_valid(self, form: InviteForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.invite(
                organization=self.organization,
                by=self.request.user,  # type: ignore[arg-type]
                email=data["email"],
                name=data["name"],
                role=data["role"],
                language=translation.get_language() or "en",
            )
        except services.AlreadyInvited as taken:
            # Another admin's request invited the address after this form had checked it.
            form.pending_invitation = taken.invitation
            form.add_error("email", form.already_invited())
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The invitation to %(email)s is on its way; "
                "the list below shows when it has been delivered."
            )
            % {"email": data["email"]},
        )
        return HttpResponseRedirect(self.get_success_url())


class UserManagementAction(AdminMixin, ObjectActionView):
    """A POST of Settings → Users on one object, for admins; back to the list afterwards."""

    def get_success_url(self) -> str:
        return reverse("accounts:user_list")


class PendingInvitationAction(UserManagementAction):
    model = Invitation

    def get_queryset(self):
        # Only what can still be used: a revoked or accepted invitation answers 404.
        return super().get_queryset().pending()


class InvitationResend(PendingInvitationAction):
    def act(self, obj: Invitation) -> str:
        if services.daily_invitation_limit_reached(self.organization):
            messages.error(
                self.request,
                _(
                    "Your organization has reached today's limit of invitations. "
                    "Try again tomorrow."
                ),
            )
            return ""
        services.resend_invitation(invitation=obj, by=self.request.user)  # type: ignore[arg-type]
        return _(
            "A new invitation to %(email)s is on its way; the previous link no longer works."
        ) % {"email": obj.email}


class InvitationRevoke(PendingInvitationAction):
    def act(self, obj: Invitation) -> str:
        services.revoke_invitation(invitation=obj, by=self.request.user)  # type: ignore[arg-type]
        return _("The invitation for %(email)s was revoked.") % {"email": obj.email}


class MembershipAction(UserManagementAction):
    """A change of someone's membership; the services decide it under the organization's
    lock, so an admin who lost the role a moment ago is told so, and a member who has just
    left is not found."""

    model = Membership

    def get_queryset(self):
        return super().get_queryset().select_related("user", "organization")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except services.NoLongerAdmin:
            messages.error(
                request,
                _("You are no longer an admin of %(organization)s.")
                % {"organization": self.organization},
            )
            return HttpResponseRedirect(reverse("accounts:user_list"))
        except Membership.DoesNotExist as gone:
            raise Http404 from gone


class MemberRoleChange(MembershipAction):
    def act(self, obj: Membership) -> str:
        form = RoleForm(self.request.POST, membership=self.membership)
        if not form.is_valid():
            messages.error(self.request, _("Please choose a valid role."))
            return ""
        try:
            services.change_role(
                membership=obj,
                role=form.cleaned_data["role"],
                by=self.request.user,  # type: ignore[arg-type]
            )
        except services.LastAdminError:
            messages.error(
                self.request,
                _("%(name)s is the last admin. Make someone else an admin first.")
                % {"name": obj.user},
            )
            return ""
        return _("%(name)s is now: %(role)s.") % {
            "name": obj.user,
            "role": obj.get_role_display(),
        }


class MemberRemove(MembershipAction):
    left = False

    def act(self, obj: Membership) -> str:
        try:
            services.remove_member(membership=obj, by=self.request.user)  # type: ignore[arg-type]
        except services.LastAdminError:
            messages.error(
                self.request,
                _("%(name)s is the last admin and cannot be removed.") % {"name": obj.user},
            )
            return ""
        # An admin who leaves has no business on this organization's user list any more.
        self.left = obj.user_id == self.request.user.pk
        return _("%(name)s was removed from %(organization)s.") % {
            "name": obj.user,
            "organization": self.organization,
        }

    def get_success_url(self) -> str:
        return reverse("home") if self.left else super().get_success_url()
