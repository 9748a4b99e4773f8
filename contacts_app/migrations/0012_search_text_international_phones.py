"""Search text written anew: every German, Austrian and Swiss phone number also carries its
international form with "00" in front ("0351 4711" of a contact in Germany is "00493514711"),
which a search typed with "+" or "00" looks for, so that each digit typed narrows the list."""

import importlib

from django.db import migrations

# The same rewrite as the word starts' (each contact's derived fields from today's rules).
rewrite = importlib.import_module("contacts_app.migrations.0011_search_text_word_starts").rewrite


class Migration(migrations.Migration):
    dependencies = [("contacts", "0011_search_text_word_starts")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
