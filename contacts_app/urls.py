from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list_view, name="list"),
    path("new/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/archive/", views.contact_archive, name="archive"),
    path("<int:pk>/unarchive/", views.contact_unarchive, name="unarchive"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    path("<int:pk>/vcard/", views.contact_vcard, name="vcard"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.note_edit, name="note_edit"),
    path("<int:pk>/notes/<int:note_pk>/delete/", views.note_delete, name="note_delete"),
]
