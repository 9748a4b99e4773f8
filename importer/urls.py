from django.urls import path

from . import downloads, views
from .targets.products import PRODUCTS
from .uploads import upload

app_name = "importer"

urlpatterns = [
    path("", views.ImportStart.as_view(), name="start"),
    path("export/contacts.csv", downloads.ContactListExport.as_view(), name="export_contacts"),
    path(
        "export/contacts.xlsx",
        downloads.ContactListExport.as_view(file_format="xlsx"),
        name="export_contacts_xlsx",
    ),
    path(
        "export/products.csv",
        downloads.TargetExport.as_view(target=PRODUCTS, back_to="products:list"),
        name="export_products",
    ),
    path(
        "export/products.xlsx",
        downloads.TargetExport.as_view(
            target=PRODUCTS, file_format="xlsx", back_to="products:list"
        ),
        name="export_products_xlsx",
    ),
    path("<str:target>/upload/", upload, name="upload"),
    path("<str:target>/template.csv", downloads.TemplateDownload.as_view(), name="template"),
    path("<str:target>/reference.pdf", downloads.ReferenceDownload.as_view(), name="reference"),
    path("runs/<int:pk>/", views.ImportResult.as_view(), name="result"),
    path("runs/<int:pk>/columns/", views.ColumnAssignment.as_view(), name="mapping"),
    path("runs/<int:pk>/reading/", views.ReadAgain.as_view(), name="reading"),
    path("runs/<int:pk>/preview/", views.ImportPreview.as_view(), name="preview"),
    path("runs/<int:pk>/choices/", views.RowChoicesSave.as_view(), name="choices"),
    path(
        "runs/<int:pk>/preview/failed.csv",
        views.DraftFailedRowsDownload.as_view(),
        name="draft_failed_rows",
    ),
    path("runs/<int:pk>/confirm/", views.ImportConfirm.as_view(), name="confirm"),
    path("runs/<int:pk>/failed.csv", views.FailedRowsDownload.as_view(), name="failed_rows"),
    path("runs/<int:pk>/undo/", views.UndoImport.as_view(), name="undo"),
    path("runs/<int:pk>/discard/", views.DiscardUpload.as_view(), name="discard"),
]
