"""Create an organization and its admin, for installations where sign-up is closed."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import services
from accounts.models import Invitation, Role, User


class Command(BaseCommand):
    help = (
        "Creates an organization with an admin. A new admin gets a one-time link to set a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organization's name")
        parser.add_argument("--admin-email", required=True, help="the admin's e-mail address")
        parser.add_argument("--language", default="en", choices=["de", "en"])

    def handle(self, *args, name: str, admin_email: str, language: str, **options):
        admin_email = admin_email.strip()
        try:
            validate_email(admin_email)
        except ValidationError as exc:
            raise CommandError(f"Not a valid e-mail address: {admin_email}") from exc
        if not name.strip():
            raise CommandError("The organization needs a name.")

        with transaction.atomic():
            user = User.objects.with_email(admin_email).first()
            is_new = user is None or not user.has_usable_password()
            if user is None:
                user = User.objects.create_user(admin_email)
            organization = services.create_organization(name=name.strip(), admin=user)

        self.stdout.write(f"Organization: {organization.name}")
        self.stdout.write(f"Slug: {organization.slug}")
        if is_new:
            invitation = Invitation(
                organization=organization, email=user.email, role=Role.ADMIN, language=language
            )
            token = invitation.issue_token()
            invitation.save()
            self.stdout.write(f"Admin: {user.email} (new account)")
            self.stdout.write(
                "Open this one-time link to set the admin's password "
                f"(valid for {(invitation.expires_at - invitation.sent_at).days} days):"
            )
            self.stdout.write(services.invitation_link(token))
        else:
            self.stdout.write(f"Admin: {user.email} (existing account, can log in now)")
