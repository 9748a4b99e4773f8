"""Import a CSV file, a workbook or a vCard file from the command line, with the same checks as
the import pages (the kind of file is told by its content, as on the pages).

Exit status: 0 when the file was processed (even if some rows were invalid), 1 when it was
refused, 2 for wrong arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from importer import known_exports, services
from importer.checking import Group, MixedRows, OnDuplicate, RowChoice, missing_required
from importer.reading import ImportFileError, check_size
from importer.targets import target_keys


class Command(BaseCommand):
    help = (
        "Imports customers, suppliers or products from a CSV file or a workbook (.xlsx, .xls, "
        ".ods) into an organization (customers and suppliers also from a vCard file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file, workbook or vCard (.vcf) file")
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument("--target", required=True, choices=target_keys())
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--encoding", help="e.g. utf-8, cp1252 (default: detected)")
        parser.add_argument("--delimiter", help="; , tab or | (default: detected)")
        parser.add_argument("--sheet", help="the sheet of a workbook (default: the first one)")
        parser.add_argument(
            "--on-duplicate",
            choices=OnDuplicate.values,
            default=OnDuplicate.UPDATE,
            help="what a row whose number exists does (default: update)",
        )
        parser.add_argument(
            "--on-mismatch",
            choices=RowChoice.values,
            default=RowChoice.SKIP,
            help="a row whose number belongs to a contact with another name: update that "
            "contact, import the row as a new contact with the next free number, or skip it "
            "(default: skip)",
        )
        parser.add_argument(
            "--on-probable-duplicate",
            choices=RowChoice.values,
            default=RowChoice.SKIP,
            help="a row without a number that matches a contact by e-mail address, or by name "
            "and postal code: update that contact, import it as new, or skip it (default: skip)",
        )
        parser.add_argument(
            "--every-row-a-person",
            action="store_true",
            help="a row with a company name and a person's name becomes a person (the company's "
            "name goes into the note), not a company with that contact person",
        )
        parser.add_argument("--errors-to", help="write the invalid rows with reasons here")

    def handle(self, *args, **options):
        try:
            organization = Organization.objects.get(slug=options["organization"])
        except Organization.DoesNotExist:
            raise CommandError(
                f"No organization with the slug {options['organization']!r}.", returncode=2
            ) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=2)
        delimiter = options["delimiter"]
        if delimiter in ("tab", "\\t"):
            delimiter = "\t"
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
            run, parsed = services.start_import(
                organization=organization,
                target=options["target"],
                file_name=path.name,
                data=data,
                by=None,
                encoding=options["encoding"],
                delimiter=delimiter,
                sheet=options["sheet"],
            )
        except (ImportFileError, LookupError) as error:
            self.stderr.write(f"Refused: {error}")
            sys.exit(1)
        target = run.import_target
        export = None if parsed.is_vcard else known_exports.recognise(parsed.headers, target)
        if export is not None:
            self.stdout.write(f"Recognised: {export.label}")
        suggested = known_exports.suggestions(
            parsed.headers, run.mapping, target.import_columns_for(parsed.headers), export
        )
        for index, column in suggested.items():
            self.stdout.write(
                f"Not imported: {parsed.headers[index]!r} (looks like {column.en!r}; a "
                "suggestion is not applied: rename the column to import it)"
            )
        missing = missing_required(run.mapping, target.import_columns)
        if missing:
            services.discard(run)
            names = ", ".join(c.de for c in missing)
            self.stderr.write(f"Refused: required columns missing: {names}")
            sys.exit(1)
        run.on_duplicate = options["on_duplicate"]
        run.save(update_fields=["on_duplicate"])
        if options["every_row_a_person"]:
            services.set_mixed_rows(run, MixedRows.PERSONS)
        services.set_choices(
            run,
            on_mismatch=options["on_mismatch"],
            on_probable=options["on_probable_duplicate"],
        )
        if options["dry_run"]:
            result = services.check(run, parsed, keep=False)
            services.discard(run)
        else:
            result = services.commit(run, by=None)
        counts = result.counts
        self.stdout.write(
            "{mode}: {new} new, {update} updated, {unchanged} unchanged, {skip} skipped, "
            "{invalid} invalid ({total} rows)".format(
                mode="Checked (dry run)" if options["dry_run"] else "Imported", **counts
            )
        )
        for group in Group:
            rows = result.group(group)
            if rows:
                chosen = ", ".join(
                    f"{sum(1 for row in rows if row.choice == choice)} {choice}"
                    for choice in RowChoice.values
                    if any(row.choice == choice for row in rows)
                )
                self.stdout.write(f"{group.label}: {len(rows)} ({chosen})")
        for cell in result.errors[:20]:
            column = f" {cell.column}:" if cell.column else ""
            self.stdout.write(f"  line {cell.line}:{column} {cell.message}")
        if len(result.errors) > 20:
            self.stdout.write(f"  … and {len(result.errors) - 20} more")
        if options["errors_to"]:
            services.fill_cells(run, result)
            Path(options["errors_to"]).write_bytes(
                services.failed_rows_csv(parsed.headers, parsed.delimiter, result)
            )
