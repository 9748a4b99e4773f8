"""Search text written anew for the list's search by word starts.

It now starts with a space and ends with the words that start inside others ("lena" of
"Anna-Lena", "example.de" of an e-mail address), so that every word start follows a space.
"""

from django.db import migrations

BATCH = 500


def rewrite(apps, schema_editor):
    from contacts_app.services import DERIVED_FROM, PERSON_DERIVED_FROM, derived_fields

    Contact = apps.get_model("contacts", "Contact")
    ContactPerson = apps.get_model("contacts", "ContactPerson")
    FormerNumber = apps.get_model("contacts", "FormerNumber")
    alias = schema_editor.connection.alias
    ids = list(Contact.objects.using(alias).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        persons: dict[int, list[dict]] = {}
        for person in ContactPerson.objects.using(alias).filter(contact_id__in=chunk):
            persons.setdefault(person.contact_id, []).append(
                {f: getattr(person, f) for f in PERSON_DERIVED_FROM}
            )
        former: dict[int, list[int]] = {}
        for contact_id, number in FormerNumber.objects.using(alias).filter(
            contact_id__in=chunk
        ).values_list("contact_id", "number"):
            former.setdefault(contact_id, []).append(number)
        changed = []
        for contact in Contact.objects.using(alias).filter(pk__in=chunk):
            values = {f: getattr(contact, f) for f in DERIVED_FROM}
            search_text = derived_fields(
                values, persons.get(contact.pk, []), former.get(contact.pk, [])
            )["search_text"]
            if search_text != contact.search_text:
                contact.search_text = search_text
                changed.append(contact)
        Contact.objects.using(alias).bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("contacts", "0010_card_identities")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
