from django.urls import path

from . import views, views_duplicates

app_name = "contacts"

urlpatterns = [
    path("", views.ContactList.as_view(), name="list"),
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
]
