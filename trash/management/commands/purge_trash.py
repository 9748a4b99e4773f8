"""Delete for good what has been in the trash longer than settings.TRASH_DAYS."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand

from accounts.models import Organization
from contacts_app.models import Contact
from contacts_app.services import purge_contacts
from history.models import Source
from history.services import Via
from products.models import Product
from products.services import purge_products
from trash.selectors import due_for_purge, purge_cutoff

VIA = Via(Source.COMMAND, label="purge_trash")
KINDS: list[tuple[tuple[str, str], type[Contact] | type[Product], Callable[..., list[str]]]] = [
    (("contact", "contacts"), Contact, purge_contacts),
    (("product", "products"), Product, purge_products),
]


class Command(BaseCommand):
    help = (
        "Deletes for good the contacts (with their contact persons, web profiles and notes) "
        "and products that have been in the trash longer than TRASH_DAYS, and prints how many "
        "of each per organization (and their names with --verbosity 2). Run it daily, e.g. "
        "from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what is due; delete nothing"
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options):
        cutoff = purge_cutoff()
        verb = "due" if dry_run else "deleted for good"
        total = 0
        for (one, many), model, purge in KINDS:
            due = due_for_purge(model, cutoff)
            organizations = Organization.objects.in_bulk(list(due))
            for organization_id, ids in due.items():
                organization = organizations[organization_id]
                if dry_run:
                    names = []
                    count = len(ids)
                else:
                    names = purge(
                        organization=organization,
                        ids=ids,
                        by=None,
                        via=VIA,
                        trashed_before=cutoff,
                    )
                    count = len(names)
                if count:
                    label = one if count == 1 else many
                    self.stdout.write(f"{organization.slug}: {count} {label} {verb}")
                if verbosity >= 2:
                    for name in names:
                        self.stdout.write(f"  {name}")
                total += count
        since = cutoff.strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(f"{total} from the trash {verb} (moved there before {since}).")
