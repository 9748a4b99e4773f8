"""Write everything an organization owns into one zip file, for backups and moving elsewhere."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
from django.utils import translation

from accounts.models import Organization
from contacts_app.models import Contact
from importer.exporting import export_target
from importer.targets import TARGETS


def organization_data(organization: Organization) -> dict:
    contacts = Contact.objects.filter(organization=organization).prefetch_related(
        "persons", "web_profiles", "notes__author"
    )
    exclude = ["organization", "search_text", "sort_name"]
    return {
        "organization": {"name": organization.name, "slug": organization.slug},
        "contacts": [
            {
                **model_to_dict(c, exclude=exclude),
                "billing_country": str(c.billing_country),
                "shipping_country": str(c.shipping_country),
                "contact_persons": [model_to_dict(p, exclude=["contact"]) for p in c.persons.all()],
                "web_profiles": [{"kind": w.kind, "value": w.value} for w in c.web_profiles.all()],
                "notes": [
                    {
                        "text": n.text,
                        "author": n.author.email if n.author else None,
                        "created_at": n.created_at,
                    }
                    for n in c.notes.all()
                ],
            }
            for c in contacts
        ],
        "products": [
            model_to_dict(p, exclude=["organization", "search_text"])
            for p in organization.products.all()
        ],
        "imports": [
            {
                "file_name": run.file_name,
                "target": run.target,
                "status": run.status,
                "created_at": run.created_at,
                "created_by": getattr(run.created_by, "email", None),
                "finished_at": run.finished_at,
                "counts": run.counts,
            }
            for run in organization.import_runs.select_related("created_by")
        ],
    }


class Command(BaseCommand):
    help = "Exports an organization's contacts, products and import history as CSV and JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the organization's slug")
        parser.add_argument("-o", "--output", required=True, help="the zip file to write")
        parser.add_argument("--language", choices=["de", "en"], default="de")

    def handle(self, *args, slug: str, output: str, language: str, **options):
        try:
            organization = Organization.objects.get(slug=slug)
        except Organization.DoesNotExist:
            raise CommandError(f"No organization with the slug {slug!r}.") from None
        path = Path(output)
        with (
            translation.override(language),
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for target in TARGETS:
                archive.writestr(f"{target.key}.csv", export_target(organization, target.key))
            archive.writestr(
                "organization.json",
                json.dumps(
                    organization_data(organization),
                    cls=DjangoJSONEncoder,
                    indent=2,
                    ensure_ascii=False,
                ),
            )
        self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")
