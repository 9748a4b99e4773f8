"""List stored contact data that today's checks refuse or warn about; change nothing."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Coalesce

from accounts.models import Organization
from contacts_app.data_checks import contact_problems
from contacts_app.models import Contact

COLUMNS = ("organization", "number", "name", "field", "value", "reason")


class Command(BaseCommand):
    help = (
        "Lists the contacts whose stored VAT ID, tax number, postal codes, phone numbers or "
        "e-mail addresses fail Kontor's checks, one tab-separated line per value: "
        "organization, number, name, field, value, reason. Changes nothing. "
        "Exit status 0 when all values pass, 1 when some do not, 2 for usage errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="only this organization (its slug)")

    def handle(self, *args, organization: str | None = None, **options):
        contacts = Contact.objects.select_related("organization").prefetch_related("persons")
        if organization is not None:
            try:
                org = Organization.objects.get(slug=organization)
            except Organization.DoesNotExist:
                raise CommandError(
                    f"No organization with the slug {organization!r}.", returncode=2
                ) from None
            contacts = contacts.filter(organization=org)
        contacts = contacts.order_by(
            "organization__slug", Coalesce("customer_number", "supplier_number"), "id"
        )
        found = affected = 0
        for contact in contacts.iterator(chunk_size=1000):
            problems = contact_problems(contact, contact.persons.all())
            if not problems:
                continue
            if not found:
                self.stdout.write("\t".join(COLUMNS))
            affected += 1
            numbers = "/".join(str(n) for n in contact.numbers)
            for problem in problems:
                found += 1
                row = (
                    contact.organization.slug,
                    numbers,
                    str(contact),
                    problem.field,
                    problem.value,
                    problem.reason,
                )
                self.stdout.write("\t".join(_one_line(cell) for cell in row))
        if not found:
            self.stdout.write(
                "Every stored VAT ID, tax number, postal code, phone number and "
                "e-mail address passes the checks."
            )
            return
        self.stderr.write(
            f"{found} value(s) of {affected} contact(s) fail the checks. Nothing was changed: "
            "correct them in the contact form or by importing a corrected file."
        )
        sys.exit(1)


def _one_line(cell: str) -> str:
    """A cell as one tab-free line, so every line of the output is one value."""
    return " ".join(str(cell).split())
