"""Following an invitation link and accepting it.

Function views: the accept page is one of four pages depending on who is logged in and whether
the address has an account; a generic view's hooks would only scatter that one decision.

The link's GET only moves the token into the session and redirects, so that the token does not
leak through the Referer header and e-mail scanners that open links change nothing. Only the
POST of the accept page uses the token up.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..forms import AcceptInvitationForm
from ..models import Invitation, User
from ..tenancy import switch_organization
from .auth import BACKEND

SESSION_TOKEN = "invitation_token"


def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.find_invitation(token)
    except services.InvitationUnavailable as problem:
        return _unavailable(request, problem)
    request.session[SESSION_TOKEN] = token
    return redirect("accounts:invitation_accept")


def _unavailable(request: HttpRequest, problem: services.InvitationUnavailable) -> HttpResponse:
    status = 404 if problem.reason == "invalid" else 410
    return render(
        request,
        "accounts/invitation_unavailable.html",
        {"reason": problem.reason, "invitation": problem.invitation},
        status=status,
    )


def _finish(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    request.session.pop(SESSION_TOKEN, None)
    if request.user != user:
        login(request, user, backend=BACKEND)
    switch_organization(request, invitation.organization)
    messages.success(
        request, _("Welcome to %(organization)s!") % {"organization": invitation.organization}
    )
    return redirect("contacts:list")


def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_TOKEN, "")
    try:
        invitation = services.find_invitation(token)
    except services.InvitationUnavailable as problem:
        return _unavailable(request, problem)

    account = User.objects.filter(email_canonical=invitation.email_canonical).first()
    context = {"invitation": invitation, "account": account}

    if account is not None and account.has_usable_password():
        if request.user.is_authenticated and request.user != account:
            # Logging out flushes the session and the token with it: the logout form returns
            # to the link itself, which puts the token into the new session.
            link = reverse("accounts:invitation_open", args=[token])
            return render(request, "accounts/invitation_wrong_user.html", {**context, "link": link})
        if not request.user.is_authenticated:
            return render(request, "accounts/invitation_login.html", context)
        if request.method == "POST":
            try:
                services.accept_invitation_as_existing_user(invitation=invitation, user=account)
            except services.InvitationUnavailable as problem:
                return _unavailable(request, problem)
            return _finish(request, invitation, account)
        return render(request, "accounts/invitation_join.html", context)

    first, _sep, last = invitation.name.partition(" ")
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"first_name": first, "last_name": last},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if account is None:
                user = services.accept_invitation_as_new_user(
                    invitation=invitation,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
            else:
                user = services.set_password_from_invitation(
                    invitation=invitation,
                    user=account,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
        except services.InvitationUnavailable as problem:
            return _unavailable(request, problem)
        return _finish(request, invitation, user)
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})
