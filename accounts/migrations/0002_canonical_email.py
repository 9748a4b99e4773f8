"""Every account and invitation gets the canonical form of its address (see accounts.identities).

Accounts whose addresses have one canonical form are not merged: the oldest keeps the address,
each later one gets a key no address can have (it cannot log in until an admin gives it another
address) and is reported, so that a person decides.
"""

from django.db import migrations, models

from accounts.identities import canonical_email


def fill_canonical(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Invitation = apps.get_model("accounts", "Invitation")
    seen: dict[str, int] = {}
    collisions = []
    for user in User.objects.order_by("date_joined", "pk").only("pk", "email"):
        key = canonical_email(user.email)
        if key in seen:
            collisions.append((user.pk, user.email, seen[key]))
            key = f"collision:{user.pk}:{key}"[:254]
        else:
            seen[key] = user.pk
        User.objects.filter(pk=user.pk).update(email_canonical=key)
    for invitation in Invitation.objects.only("pk", "email"):
        Invitation.objects.filter(pk=invitation.pk).update(
            email_canonical=canonical_email(invitation.email)
        )
    for pk, email, kept in collisions:
        print(
            f"\n  Account {pk} ({email}) has the same canonical address as account {kept}; "
            "it cannot log in until it is given another address (admin → Users)."
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="user_email_unique_ci"),
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(editable=False, max_length=254, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="email_canonical",
            field=models.CharField(db_index=True, default="", editable=False, max_length=254),
            preserve_default=False,
        ),
        migrations.RunPython(fill_canonical, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(editable=False, max_length=254, unique=True),
        ),
    ]
