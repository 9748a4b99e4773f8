from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .password_reset import SiteURLPasswordResetForm
from .views import auth, invitations, organizations, signup, users

app_name = "accounts"

urlpatterns = [
    path("signup/", signup.SignUpView.as_view(), name="signup"),
    path("signup/sent/", signup.SignUpSentView.as_view(), name="signup_sent"),
    path("signup/confirm/", signup.SignUpConfirmView.as_view(), name="signup_confirm"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=SiteURLPasswordResetForm,
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth.PasswordResetSentView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "organizations/none/",
        organizations.NoOrganizationView.as_view(),
        name="no_organization",
    ),
    path(
        "organizations/new/",
        organizations.OrganizationCreateView.as_view(),
        name="organization_create",
    ),
    path(
        "organizations/switch/",
        organizations.OrganizationSwitchView.as_view(),
        name="organization_switch",
    ),
    path("settings/users/", users.UserList.as_view(), name="user_list"),
    path("settings/users/invite/", users.InviteView.as_view(), name="invite"),
    path(
        "settings/invitations/<int:pk>/resend/",
        users.InvitationResend.as_view(),
        name="invitation_resend",
    ),
    path(
        "settings/invitations/<int:pk>/revoke/",
        users.InvitationRevoke.as_view(),
        name="invitation_revoke",
    ),
    path("settings/members/<int:pk>/role/", users.MemberRoleChange.as_view(), name="member_role"),
    path("settings/members/<int:pk>/remove/", users.MemberRemove.as_view(), name="member_remove"),
    path(
        "settings/organization/",
        organizations.OrganizationSettings.as_view(),
        name="organization_settings",
    ),
    path("invitations/accept/", invitations.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/", invitations.invitation_open, name="invitation_open"),
]
