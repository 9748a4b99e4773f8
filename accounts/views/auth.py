"""The way in: home, sign-up and login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, RedirectView

from .. import services
from ..forms import SignUpForm, ThrottledLoginForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


class HomeView(RedirectView):
    """The site's root: the contacts for someone logged in, else sign-up (or login)."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        if self.request.user.is_authenticated:
            return reverse("contacts:list")
        return reverse("accounts:signup" if settings.SIGNUP_OPEN else "accounts:login")


# config/urls.py names the root view by this name.
home = HomeView.as_view()


class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "accounts/signup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.SIGNUP_OPEN:
            raise Http404
        if request.user.is_authenticated:
            return redirect("contacts:list")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SignUpForm) -> HttpResponse:
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
            return self.form_invalid(form)
        login(self.request, user, backend=BACKEND)
        messages.success(self.request, _("Welcome to Kontor! Your organization is ready."))
        return HttpResponseRedirect(reverse("contacts:list"))


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
