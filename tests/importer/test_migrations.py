"""Migrating existing imports: what they created stays undoable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from contacts_app.search import ensure_search_index

BEFORE = [("importer", "0002_checked_rows"), ("contacts", "0005_fewer_indexes_sort_name_bytewise")]
AFTER = [("importer", "0003_created_id_ranges")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_imported_records_become_id_ranges_with_their_write_time():
    apps = migrate(BEFORE)
    organization = apps.get_model("accounts", "Organization").objects.create(name="Alt", slug="alt")
    ImportRun = apps.get_model("importer", "ImportRun")
    ImportedRecord = apps.get_model("importer", "ImportedRecord")
    written = timezone.now() - timedelta(days=3)
    run = ImportRun.objects.create(
        organization=organization,
        target="customers",
        status="done",
        file_name="k.csv",
        finished_at=written + timedelta(milliseconds=40),
    )
    ImportedRecord.objects.bulk_create(
        ImportedRecord(run=run, object_id=pk, updated_at=written) for pk in (5, 6, 7, 9, 12, 13)
    )
    untouched = ImportRun.objects.create(
        organization=organization, target="products", file_name="p.csv"
    )

    apps = migrate(AFTER)
    ImportRun = apps.get_model("importer", "ImportRun")
    run = ImportRun.objects.get(pk=run.pk)
    assert run.created_ids == [[5, 7], [9, 9], [12, 13]]
    assert run.finished_at == written  # what the undo compares the records' change time with
    assert ImportRun.objects.get(pk=untouched.pk).created_ids == []

    apps = migrate(BEFORE)
    ImportedRecord = apps.get_model("importer", "ImportedRecord")
    back = ImportedRecord.objects.filter(run_id=run.pk)
    assert sorted(back.values_list("object_id", flat=True)) == [5, 6, 7, 9, 12, 13]
    assert {r.updated_at for r in back} == {written}
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ensure_search_index()  # as `migrate` does after every run
