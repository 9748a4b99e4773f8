"""The way in: home, login, and what the pages that promise an e-mail add in development."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse
from django.views.generic import RedirectView

from ..forms import ThrottledLoginForm, ThrottledPasswordChangeForm

BACKEND = "django.contrib.auth.backends.ModelBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


class HomeView(RedirectView):
    """The site's root: the contacts for someone logged in, else sign-up (or login)."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        if self.request.user.is_authenticated:
            return reverse("contacts:list")
        return reverse("accounts:signup" if settings.SIGNUP_OPEN else "accounts:login")


# config/urls.py names the root view by this name.
home = HomeView.as_view()


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; a wrong old password counts as a failed login."""

    form_class = ThrottledPasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class MailSentMixin:
    """A "check your inbox" page: in development it says where the e-mail went instead."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["mail_printed_to_console"] = settings.EMAIL_BACKEND == CONSOLE_BACKEND
        return context


class PasswordResetSentView(MailSentMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
