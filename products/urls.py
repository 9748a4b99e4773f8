from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.ProductList.as_view(), name="list"),
    path("new/", views.ProductCreate.as_view(), name="create"),
    path("<int:pk>/", views.ProductDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProductUpdate.as_view(), name="edit"),
    path("<int:pk>/archive/", views.ProductArchive.as_view(archived=True), name="archive"),
    path("<int:pk>/unarchive/", views.ProductArchive.as_view(archived=False), name="unarchive"),
    path("<int:pk>/delete/", views.ProductDelete.as_view(), name="delete"),
    path(
        "<int:pk>/history/<int:change_pk>/restore/",
        views.ProductVersionRestore.as_view(),
        name="restore_version",
    ),
]
