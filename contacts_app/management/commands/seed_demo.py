"""Fill an organization with realistic demo contacts, for demos and benchmarks."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Membership, Organization, Role
from contacts_app.management.demo_contacts import seed_contacts


class Command(BaseCommand):
    help = (
        "Adds N realistic German and international contacts (companies with contact persons, "
        "persons, notes, web profiles) to an organization. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument("--contacts", type=int, default=200, help="how many (default 200)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, organization: str, contacts: int, seed: int, **options):
        if contacts < 0:
            raise CommandError("--contacts must not be negative.")
        try:
            org = Organization.objects.get(slug=organization)
        except Organization.DoesNotExist:
            raise CommandError(
                f"No organization with the slug “{organization}”. "
                "Create one with `manage.py create_organization` or by signing up."
            ) from None
        admin = (
            Membership.objects.filter(organization=org, role=Role.ADMIN)
            .select_related("user")
            .order_by("joined_at")
            .first()
        )
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options["verbosity"] and done % 10_000 == 0 and done < contacts:
                self.stdout.write(f"  {done:,} …")

        unnumbered = seed_contacts(
            org, contacts, seed=seed, author=admin.user if admin else None, progress=progress
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Added {contacts:,} contacts to {org.name} in {seconds:.1f} s.")
        )
        if unnumbered:
            self.stdout.write(
                self.style.WARNING(
                    f"{unnumbered:,} of them lack a customer or supplier number: an organization "
                    "has room for 60,000 customer and 30,000 supplier numbers."
                )
            )
