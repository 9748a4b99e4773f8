"""Everything that changes users, organizations, memberships and invitations.

Views, management commands and tests call these functions; each records what it did in the
organization's audit trail.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .emails import send_templated_email
from .identities import canonical_email, tidy_email
from .models import (
    ROLE_RANK,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    hash_token,
)


class LastAdminError(Exception):
    """The change would leave the organization without an admin."""


class NoLongerAdmin(Exception):
    """The person acting lost the admin role (or left) a moment before their change."""


class AlreadyInvited(Exception):
    """The address has an open invitation to the organization; `invitation` is it."""

    def __init__(self, invitation: Invitation | None) -> None:
        super().__init__("already invited")
        self.invitation = invitation


class InvitationUnavailable(Exception):
    """The link is malformed, expired, used or revoked; `reason` says which."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_organization(*, name: str, admin: User) -> Organization:
    with transaction.atomic():
        organization = Organization.objects.create(name=name, slug=unique_slug(name))
        Membership.objects.create(user=admin, organization=organization, role=Role.ADMIN)
        AuditEvent.objects.create(
            organization=organization,
            actor=admin,
            action=AuditEvent.Action.CREATED,
            target_email=admin.email,
        )
    return organization


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation_open", args=[token])


def invitations_sent_today(organization: Organization) -> int:
    since = timezone.now() - timedelta(days=1)
    return organization.audit_events.filter(
        action__in=[AuditEvent.Action.INVITED, AuditEvent.Action.RESENT], created_at__gte=since
    ).count()


def daily_invitation_limit_reached(organization: Organization) -> bool:
    return invitations_sent_today(organization) >= settings.INVITATIONS_PER_ORGANIZATION_PER_DAY


def _send_invitation(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    send_templated_email(
        template="invitation",
        to=invitation.email,
        language=invitation.language,
        invitation=invitation,
        context={
            "invitation": invitation,
            "organization": invitation.organization,
            "inviter": inviter.get_full_name() or inviter.email if inviter else "",
            "link": invitation_link(token),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )


def invite(
    *,
    organization: Organization,
    by: User | None,
    email: str,
    name: str,
    role: str,
    language: str,
) -> tuple[Invitation, str]:
    """Create an invitation, e-mail its link, and return it with the token.

    Raises AlreadyInvited if the address has an open invitation to the organization (the
    database allows one, so of simultaneous requests exactly one invites).
    """
    invitation = Invitation(
        organization=organization,
        email=tidy_email(email),
        name=name,
        role=role,
        invited_by=by,
        language=language,
    )
    token = invitation.issue_token()
    key = canonical_email(invitation.email)
    try:
        with transaction.atomic():
            # An expired invitation no longer blocks a new one: it is closed first.
            Invitation.objects.filter(
                organization=organization,
                email_canonical=key,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__lte=invitation.sent_at,
            ).update(revoked_at=invitation.sent_at)
            invitation.save()
            AuditEvent.objects.create(
                organization=organization,
                actor=by,
                action=AuditEvent.Action.INVITED,
                target_email=invitation.email,
                detail=role,
            )
    except IntegrityError as exc:
        pending = organization.invitations.pending().filter(email_canonical=key).first()
        raise AlreadyInvited(pending) from exc
    _send_invitation(invitation, token)
    return invitation, token


def resend_invitation(*, invitation: Invitation, by: User) -> str:
    """A new token and a new e-mail; the old link stops working."""
    token = invitation.issue_token()
    with transaction.atomic():
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        AuditEvent.objects.create(
            organization=invitation.organization,
            actor=by,
            action=AuditEvent.Action.RESENT,
            target_email=invitation.email,
        )
    _send_invitation(invitation, token)
    return token


def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        AuditEvent.objects.create(
            organization=invitation.organization,
            actor=by,
            action=AuditEvent.Action.REVOKED,
            target_email=invitation.email,
        )


def find_invitation(token: str) -> Invitation:
    """The invitation behind `token`, if it can still be used; else InvitationUnavailable."""
    if not token or len(token) > 100:
        raise InvitationUnavailable("invalid")
    # The lookup is by hash: an equality test on a digest leaks nothing about the token.
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnavailable("invalid")
    if invitation.accepted_at is not None:
        raise InvitationUnavailable("used", invitation)
    # Expiry first: an expired invitation is closed (revoked) when the address is invited anew.
    if invitation.expires_at <= timezone.now():
        raise InvitationUnavailable("expired", invitation)
    if invitation.revoked_at is not None:
        raise InvitationUnavailable("revoked", invitation)
    return invitation


def _claim(invitation: Invitation) -> None:
    """Mark the invitation used; only one of several simultaneous requests succeeds."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        token_hash=invitation.token_hash,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(accepted_at=timezone.now())
    if not claimed:
        raise InvitationUnavailable("used", invitation)


def _join(invitation: Invitation, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    if created:
        AuditEvent.objects.create(
            organization=invitation.organization,
            actor=user,
            action=AuditEvent.Action.JOINED,
            target_email=user.email,
            detail=invitation.role,
        )
    return membership


def accept_invitation_as_new_user(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    try:
        with transaction.atomic():
            _claim(invitation)
            user = User.objects.create_user(
                invitation.email, password, first_name=first_name, last_name=last_name
            )
            _join(invitation, user)
    except IntegrityError as exc:
        # Someone registered the address in the meantime: the invitation stays usable by login.
        raise InvitationUnavailable("account_exists", invitation) from exc
    return user


def accept_invitation_as_existing_user(*, invitation: Invitation, user: User) -> Membership:
    with transaction.atomic():
        _claim(invitation)
        return _join(invitation, user)


def set_password_from_invitation(
    *, invitation: Invitation, user: User, first_name: str, last_name: str, password: str
) -> User:
    """For an account made by `create_organization` that has no password yet."""
    with transaction.atomic():
        _claim(invitation)
        user.first_name, user.last_name = first_name, last_name
        user.set_password(password)
        user.save()
        _join(invitation, user)
    return user


def _lock_for_user_management(membership: Membership, by: User) -> str:
    """Take the organization's lock, then read again what the change depends on.

    Every change of roles and memberships takes the one organization lock first, so that two
    admins changing each other at the same moment are served one after the other (no
    deadlock) and the second one sees the first one's change. Returns the target's role now;
    raises NoLongerAdmin if `by` is no admin any more, Membership.DoesNotExist if the target
    has left meanwhile.
    """
    organization_id = membership.organization_id
    Organization.objects.lock_for_writing(organization_id)
    if not Membership.objects.filter(
        organization_id=organization_id, user=by, role=Role.ADMIN
    ).exists():
        raise NoLongerAdmin
    return Membership.objects.values_list("role", flat=True).get(pk=membership.pk)


def _other_admins(membership: Membership) -> bool:
    admins = Membership.objects.filter(organization_id=membership.organization_id, role=Role.ADMIN)
    return admins.exclude(pk=membership.pk).exists()


def change_role(*, membership: Membership, role: str, by: User) -> None:
    with transaction.atomic():
        current = _lock_for_user_management(membership, by)
        if current == Role.ADMIN and role != Role.ADMIN and not _other_admins(membership):
            raise LastAdminError
        Membership.objects.filter(pk=membership.pk).update(role=role)
        AuditEvent.objects.create(
            organization=membership.organization,
            actor=by,
            action=AuditEvent.Action.ROLE_CHANGED,
            target_email=membership.user.email,
            detail=role,
        )
    membership.role = role


def remove_member(*, membership: Membership, by: User) -> None:
    with transaction.atomic():
        current = _lock_for_user_management(membership, by)
        if current == Role.ADMIN and not _other_admins(membership):
            raise LastAdminError
        membership.delete()
        AuditEvent.objects.create(
            organization=membership.organization,
            actor=by,
            action=AuditEvent.Action.REMOVED,
            target_email=membership.user.email,
        )


def grantable_roles(role: str) -> list[tuple[str, str]]:
    """The roles someone with `role` may give: none above their own."""
    return [
        (value, str(label))
        for value, label in Role.choices
        if ROLE_RANK[Role(value)] <= ROLE_RANK[Role(role)]
    ]
