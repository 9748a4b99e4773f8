"""Export an organization's customers, suppliers or products in the import template's columns."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.models import Organization
from importer.exporting import export_target
from importer.targets import target_keys


class Command(BaseCommand):
    help = "Writes customers, suppliers or products as CSV (German: ';', English: ',')."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument("--target", required=True, choices=target_keys())
        parser.add_argument("--language", choices=["de", "en"], default="de")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        try:
            organization = Organization.objects.get(slug=options["organization"])
        except Organization.DoesNotExist:
            raise CommandError(
                f"No organization with the slug {options['organization']!r}.", returncode=2
            ) from None
        with translation.override(options["language"]):
            data = export_target(organization, options["target"])
        if options["output"]:
            Path(options["output"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
