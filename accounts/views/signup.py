"""Sign-up: the form, "check your inbox", and the e-mailed link that makes the account.

The link's GET only moves the token into the session and redirects, so that it does not leak
through the Referer header and e-mail scanners that open links change nothing; the account
is made by the POST of the page it leads to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import mail_limits, signups
from ..conf import setting
from ..forms import SignUpConfirmForm, SignUpForm
from ..models import PendingSignUp
from .auth import BACKEND, MailSentMixin

SESSION_TOKEN = "signup_token"


def require_signup_open() -> None:
    """Nothing of sign-up exists where it is closed (SIGNUP_OPEN=0)."""
    if not settings.SIGNUP_OPEN:
        raise Http404


def welcome(request: HttpRequest, user: Any) -> HttpResponse:
    login(request, user, backend=BACKEND)
    messages.success(request, _("Welcome to Kontor! Your organization is ready."))
    return redirect("contacts:list")


class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "accounts/signup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_signup_open()
        if request.user.is_authenticated:
            return redirect("contacts:list")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        data = form.cleaned_data
        user = signups.sign_up(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organization_name=data["organization_name"],
            language=translation.get_language() or "en",
            send_email=mail_limits.may_send(to=data["email"], request=self.request),
        )
        if user is None:
            return redirect("accounts:signup_sent")
        return welcome(self.request, user)


class SignUpSentView(MailSentMixin, TemplateView):
    """The same page for every address, with an account or without."""

    template_name = "accounts/signup_sent.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_signup_open()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(days=setting("SIGNUP_LINK_MAX_AGE_DAYS"), **kwargs)


class SignUpConfirmView(FormView):
    form_class = SignUpConfirmForm
    template_name = "accounts/signup_confirm.html"
    pending: PendingSignUp

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_signup_open()
        if request.method == "GET" and "token" in request.GET:
            request.session[SESSION_TOKEN] = request.GET["token"]
            return redirect("accounts:signup_confirm")
        try:
            self.pending = signups.find_pending_sign_up(request.session.get(SESSION_TOKEN, ""))
        except signups.SignUpUnavailable as problem:
            return self.unavailable(problem)
        return super().dispatch(request, *args, **kwargs)

    def unavailable(self, problem: signups.SignUpUnavailable) -> HttpResponse:
        return render(
            self.request,
            "accounts/signup_unavailable.html",
            {"reason": problem.reason},
            status=404 if problem.reason == "invalid" else 410,
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "pending": self.pending, "request": self.request}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(pending=self.pending, **kwargs)

    def form_valid(self, form: SignUpConfirmForm) -> HttpResponse:
        try:
            user = signups.confirm_sign_up(pending=self.pending)
        except signups.SignUpUnavailable as problem:
            return self.unavailable(problem)
        self.request.session.pop(SESSION_TOKEN, None)
        return welcome(self.request, user)
