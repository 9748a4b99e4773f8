"""Settings → Users: members, pending invitations and what happened to them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from outbox.selectors import with_last_delivery

from .. import services
from ..forms import InviteForm, OrganizationForm, RoleForm
from ..http import require_POST_for
from ..models import Invitation, Membership, Role
from ..tenancy import can, get_object_for_organization, organization_required, role_required


@organization_required
def user_list(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    members = list(
        organization.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__email"
        )
    )
    admins = [m for m in members if m.role == Role.ADMIN]
    for member in members:
        # The page offers no demotion or removal that would only end in "last admin" errors.
        member.is_only_admin = admins == [member]
    pending = with_last_delivery(organization.invitations.pending().select_related("invited_by"))
    events = organization.audit_events.select_related("actor")[:50]
    return render(
        request,
        "accounts/user_list.html",
        {
            "members": members,
            "pending": pending,
            "events": events,
            "is_admin": can(request, Role.ADMIN),
            "role_choices": Role.choices,
        },
    )


@role_required(Role.ADMIN, for_get=True)
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(
        request.POST or None, organization=request.organization, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.invite(
            organization=request.organization,
            by=request.user,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            language=translation.get_language() or "en",
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "pending_invitation": form.pending_invitation},
    )


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_for_organization(request, Invitation.objects.pending(), pk=pk)


@role_required(Role.ADMIN)
@require_POST_for(_invitation)
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    if services.daily_invitation_limit_reached(request.organization):
        messages.error(
            request,
            _("Your organization has reached today's limit of invitations. Try again tomorrow."),
        )
    else:
        services.resend_invitation(invitation=invitation, by=request.user)
        messages.success(
            request,
            _("A new invitation was sent to %(email)s; the previous link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("accounts:user_list")


@role_required(Role.ADMIN)
@require_POST_for(_invitation)
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    services.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(
        request, _("The invitation for %(email)s was revoked.") % {"email": invitation.email}
    )
    return redirect("accounts:user_list")


def _membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_for_organization(
        request, Membership.objects.select_related("user", "organization"), pk=pk
    )


@role_required(Role.ADMIN)
@require_POST_for(_membership)
def member_change_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    form = RoleForm(request.POST, membership=request.membership)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid role."))
    else:
        try:
            services.change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except services.LastAdminError:
            messages.error(
                request,
                _("%(name)s is the last admin. Make someone else an admin first.")
                % {"name": membership.user},
            )
        else:
            messages.success(
                request,
                _("%(name)s is now: %(role)s.")
                % {"name": membership.user, "role": membership.get_role_display()},
            )
    return redirect("accounts:user_list")


@role_required(Role.ADMIN)
@require_POST_for(_membership)
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    try:
        services.remove_member(membership=membership, by=request.user)
    except services.LastAdminError:
        messages.error(
            request,
            _("%(name)s is the last admin and cannot be removed.") % {"name": membership.user},
        )
        return redirect("accounts:user_list")
    messages.success(
        request,
        _("%(name)s was removed from %(organization)s.")
        % {"name": membership.user, "organization": request.organization},
    )
    if membership.user_id == request.user.pk:
        return redirect("home")
    return redirect("accounts:user_list")


@role_required(Role.ADMIN, for_get=True)
def organization_settings(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None, instance=request.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Organization settings saved."))
        return redirect("accounts:organization_settings")
    return render(request, "accounts/organization_settings.html", {"form": form})
