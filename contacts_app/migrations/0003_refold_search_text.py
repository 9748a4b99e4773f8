"""Search text folded anew where the folding rules changed.

Styled letters (𝐇) now end up in lower case, ı, œ, þ and ð get Latin stand-ins, and e-mail
addresses are folded like names. Only contacts whose search text still holds a capital or a
character outside printable ASCII can be affected; just those are recomputed.
"""

from django.db import migrations

BATCH = 500


def refold(apps, schema_editor):
    from contacts_app.services import DERIVED_FROM, PERSON_DERIVED_FROM, derived_fields

    Contact = apps.get_model("contacts", "Contact")
    ContactPerson = apps.get_model("contacts", "ContactPerson")
    alias = schema_editor.connection.alias
    affected = Contact.objects.using(alias).filter(search_text__regex=r"[^ -~]|[A-Z]")
    ids = list(affected.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        persons: dict[int, list[dict]] = {}
        for person in ContactPerson.objects.using(alias).filter(contact_id__in=chunk):
            persons.setdefault(person.contact_id, []).append(
                {f: getattr(person, f) for f in PERSON_DERIVED_FROM}
            )
        changed = []
        for contact in Contact.objects.using(alias).filter(pk__in=chunk):
            values = {f: getattr(contact, f) for f in DERIVED_FROM}
            search_text = derived_fields(values, persons.get(contact.pk, []))["search_text"]
            if search_text != contact.search_text:
                contact.search_text = search_text
                changed.append(contact)
        Contact.objects.using(alias).bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_contact_organization_archived_index")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
