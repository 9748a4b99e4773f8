"""Forms for signing up, logging in, inviting and managing members."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext_lazy as _

from . import login_throttle
from .identities import canonical_email, tidy_email
from .models import Invitation, Membership, Organization, PendingSignUp, Role, User
from .services import daily_invitation_limit_reached, grantable_roles


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not entirely numeric and not too common."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User:
        """A stand-in user so that the similarity validator can compare the password."""
        return User(
            email=str(self.cleaned_data.get("email") or getattr(self, "email", "")),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.password_user())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignUpForm(PasswordPairMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    organization_name = forms.CharField(
        label=_("Company or organization"),
        max_length=150,
        help_text=_("You can invite your colleagues to it afterwards."),
    )
    field_order = ["first_name", "last_name", "email", "organization_name"]

    def clean_email(self) -> str:
        # Whether the address has an account is not said here (nor anywhere): see signups.
        return tidy_email(self.cleaned_data["email"])


class SignUpConfirmForm(login_throttle.PasswordGuessLimit, forms.Form):
    """The last step of a sign-up: the password chosen in its first step.

    Asked again so that a link to a sign-up somebody else started with this address (and so
    with a password they know) does not make that account for the link's reader.
    """

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("The password you chose when you signed up."),
    )

    def __init__(self, *args, pending: PendingSignUp, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]

        def check() -> str:
            if not check_password(password, self.pending.password):
                raise forms.ValidationError(
                    _("This is not the password you chose when you signed up.")
                )
            return password

        return self.limited(check, email=self.pending.email_canonical)


class LoginThrottleMixin(login_throttle.PasswordGuessLimit):
    """For an `AuthenticationForm`: the login page and the admin's login share the counters."""

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        return self.limited(super().clean, email=email)


class ThrottledLoginForm(LoginThrottleMixin, AuthenticationForm):
    """Django's login form with the login limits."""


class ThrottledAdminLoginForm(LoginThrottleMixin, AdminAuthenticationForm):
    """The admin's login form with the same limits (`admin.site.login_form`)."""


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organization: Organization, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        role = cast(forms.ChoiceField, self.fields["role"])
        role.choices = grantable_roles(membership.role)
        role.initial = Role.MEMBER
        self.fields["role"].help_text = _(
            "Viewers can only read; members can also create, edit, delete and import; "
            "admins can also manage users."
        )
        self.pending_invitation: Invitation | None = None

    def clean_email(self) -> str:
        email = tidy_email(self.cleaned_data["email"])
        key = canonical_email(email)
        if self.organization.memberships.filter(user__email_canonical=key).exists():
            raise forms.ValidationError(_("This person is already a member of the organization."))
        pending = self.organization.invitations.pending().filter(email_canonical=key).first()
        if pending is not None:
            self.pending_invitation = pending
            raise self.already_invited()
        return email

    def already_invited(self) -> forms.ValidationError:
        return forms.ValidationError(
            _("This address has already been invited. You can send the invitation again."),
            code="pending",
        )

    def clean(self):
        cleaned = super().clean()
        if daily_invitation_limit_reached(self.organization):
            raise forms.ValidationError(
                _(
                    "Your organization has sent %(limit)s invitations in the last 24 hours, "
                    "the most allowed. Please try again tomorrow."
                ),
                params={"limit": settings.INVITATIONS_PER_ORGANIZATION_PER_DAY},
            )
        return cleaned


class AcceptInvitationForm(PasswordPairMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    field_order = ["first_name", "last_name"]

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = grantable_roles(membership.role)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name"]


class ThrottledPasswordChangeForm(login_throttle.PasswordGuessLimit, PasswordChangeForm):
    """Django's password change, whose old password counts as a login attempt."""

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        return self.limited(super().clean_old_password, email=self.user.email)
