"""Sign-up, login, home, organization switching and creation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import OrganizationForm, SignUpForm, ThrottledLoginForm
from ..tenancy import switch_organization

BACKEND = "django.contrib.auth.backends.ModelBackend"


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("contacts:list")
    return redirect("accounts:signup" if settings.SIGNUP_OPEN else "accounts:login")


def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_OPEN:
        raise Http404
    if request.user.is_authenticated:
        return redirect("contacts:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.sign_up(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organization_name=data["organization_name"],
            )
        except services.EmailTaken:
            # A double click on "Create account": the first request made the account.
            form.add_error("email", form.email_taken)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome to Kontor! Your organization is ready."))
            return redirect("contacts:list")
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def no_organization(request: HttpRequest) -> HttpResponse:
    if request.organization is not None:
        return redirect("contacts:list")
    return render(request, "accounts/no_organization.html")


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.create_organization(
            name=form.cleaned_data["name"], admin=request.user
        )
        switch_organization(request, organization)
        messages.success(request, _("Organization “%(name)s” created.") % {"name": organization})
        return redirect("contacts:list")
    return render(request, "accounts/organization_create.html", {"form": form})


@login_required
@require_POST
def organization_switch(request: HttpRequest) -> HttpResponse:
    membership = get_object_or_404(
        request.user.memberships.select_related("organization"),
        organization__slug=request.POST.get("organization", ""),
    )
    switch_organization(request, membership.organization)
    messages.success(
        request, _("You are now working in “%(name)s”.") % {"name": membership.organization}
    )
    return redirect("contacts:list")
