from django.urls import path

from . import views

app_name = "importer"

urlpatterns = [
    path("", views.start, name="start"),
    path("export/contacts.csv", views.export_contacts, name="export_contacts"),
    path("export/products.csv", views.export_products, name="export_products"),
    path("<str:target>/upload/", views.upload, name="upload"),
    path("<str:target>/template.csv", views.template_download, name="template"),
    path("<str:target>/reference.pdf", views.reference_download, name="reference"),
    path("runs/<int:pk>/", views.result, name="result"),
    path("runs/<int:pk>/columns/", views.mapping, name="mapping"),
    path("runs/<int:pk>/reading/", views.reading, name="reading"),
    path("runs/<int:pk>/preview/", views.preview, name="preview"),
    path("runs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("runs/<int:pk>/failed.csv", views.failed_rows, name="failed_rows"),
    path("runs/<int:pk>/undo/", views.undo, name="undo"),
    path("runs/<int:pk>/discard/", views.discard, name="discard"),
]
