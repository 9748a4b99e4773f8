"""What an import created is kept as id ranges on the import instead of a row per record.

Existing imports keep what they need for an undo: their records' ids become ranges, and the time
the records were written (the same for all of one import) becomes the import's time.
"""

from django.db import migrations, models




def records_to_ranges(apps, schema_editor):
    ImportRun = apps.get_model("importer", "ImportRun")
    ImportedRecord = apps.get_model("importer", "ImportedRecord")
    for run in ImportRun.objects.filter(pk__in=ImportedRecord.objects.values("run_id")):
        records = list(ImportedRecord.objects.filter(run=run).values_list("object_id", "updated_at"))
        ranges: list[list[int]] = []
        for pk in sorted(pk for pk, _updated in records):
            if ranges and pk == ranges[-1][1] + 1:
                ranges[-1][1] = pk
            else:
                ranges.append([pk, pk])
        run.created_ids = ranges
        run.finished_at = min(updated for _pk, updated in records)
        run.save(update_fields=["created_ids", "finished_at"])


def ranges_to_records(apps, schema_editor):
    ImportRun = apps.get_model("importer", "ImportRun")
    ImportedRecord = apps.get_model("importer", "ImportedRecord")
    for run in ImportRun.objects.exclude(created_ids=[]):
        ImportedRecord.objects.bulk_create(
            ImportedRecord(run=run, object_id=pk, updated_at=run.finished_at)
            for first, last in run.created_ids
            for pk in range(first, last + 1)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('importer', '0002_checked_rows'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrun',
            name='created_ids',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(records_to_ranges, ranges_to_records),
        migrations.DeleteModel(
            name='ImportedRecord',
        ),
    ]
