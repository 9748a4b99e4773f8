from django.urls import path

from . import bulk_views, tag_views, views, views_duplicates

app_name = "contacts"

urlpatterns = [
    path("", views.ContactList.as_view(), name="list"),
    path("columns/", views.ContactListColumns.as_view(), name="list_columns"),
    path("new/", views.ContactCreate.as_view(), name="create"),
    path("duplicates/", views_duplicates.DuplicateList.as_view(), name="duplicates"),
    path("duplicates/not-the-same/", views_duplicates.DismissPair.as_view(), name="dismiss_pair"),
    path("merge/", views_duplicates.ContactMergeView.as_view(), name="merge"),
    path("<int:pk>/", views.ContactDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContactUpdate.as_view(), name="edit"),
    path("<int:pk>/archive/", views.ContactArchive.as_view(archived=True), name="archive"),
    path("<int:pk>/unarchive/", views.ContactArchive.as_view(archived=False), name="unarchive"),
    path("<int:pk>/delete/", views.ContactDelete.as_view(), name="delete"),
    path("<int:pk>/vcard/", views.ContactVCard.as_view(), name="vcard"),
    path(
        "<int:pk>/history/<int:change_pk>/restore/",
        views.ContactVersionRestore.as_view(),
        name="restore_version",
    ),
    path(
        "<int:pk>/history/<int:change_pk>/undo-merge/",
        views_duplicates.MergeUndo.as_view(),
        name="undo_merge",
    ),
    path("<int:pk>/notes/", views.NoteAdd.as_view(), name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.NoteEdit.as_view(), name="note_edit"),
    path("<int:pk>/notes/<int:note_pk>/delete/", views.NoteDelete.as_view(), name="note_delete"),
    # Bulk actions on the list's ticked contacts (or all that match), one URL each.
    path("bulk/tag/", bulk_views.BulkAddTag.as_view(), name="bulk_tag_add"),
    path("bulk/untag/", bulk_views.BulkRemoveTag.as_view(), name="bulk_tag_remove"),
    path("bulk/archive/", bulk_views.BulkArchive.as_view(archived=True), name="bulk_archive"),
    path("bulk/unarchive/", bulk_views.BulkArchive.as_view(archived=False), name="bulk_unarchive"),
    path("bulk/trash/", bulk_views.BulkTrash.as_view(), name="bulk_trash"),
    path("bulk/export/", bulk_views.BulkExport.as_view(), name="bulk_export"),
    # Tags ("Schlagwörter").
    path("tags/", tag_views.TagList.as_view(), name="tag_list"),
    path("tags/new/", tag_views.TagCreate.as_view(), name="tag_create"),
    path("tags/<int:tag_pk>/edit/", tag_views.TagUpdate.as_view(), name="tag_edit"),
    path("tags/<int:tag_pk>/merge/", tag_views.TagMerge.as_view(), name="tag_merge"),
    path("tags/<int:tag_pk>/delete/", tag_views.TagDelete.as_view(), name="tag_delete"),
]
