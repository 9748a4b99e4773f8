"""At most one open (neither accepted nor revoked) invitation per organization and address.

Before the constraint, older open invitations of an address are closed: expired ones are past
use anyway; of several still usable ones (two admins inviting at the same moment) the newest
link keeps working.
"""

from django.db import migrations, models
from django.utils import timezone


def close_all_but_the_newest(apps, schema_editor):
    Invitation = apps.get_model("accounts", "Invitation")
    now = timezone.now()
    newest: set[tuple[int, str]] = set()
    closing = []
    open_invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-sent_at", "-pk")
    for pk, organization_id, email in open_invitations.values_list(
        "pk", "organization_id", "email_canonical"
    ):
        if (organization_id, email) in newest:
            closing.append(pk)
        else:
            newest.add((organization_id, email))
    Invitation.objects.filter(pk__in=closing).update(revoked_at=now)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_pending_sign_up")]

    operations = [
        migrations.RunPython(close_all_but_the_newest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("accepted_at__isnull", True), ("revoked_at__isnull", True)),
                fields=("organization", "email_canonical"),
                name="invitation_one_open_per_address",
            ),
        ),
    ]
