from django.urls import path

from . import views

app_name = "trash"

urlpatterns = [
    path("", views.TrashContactList.as_view(), name="contacts"),
    path("products/", views.TrashProductList.as_view(), name="products"),
    path(
        "contacts/<int:contact_pk>/restore/",
        views.ContactRestore.as_view(),
        name="contact_restore",
    ),
    path("contacts/<int:contact_pk>/delete/", views.ContactPurge.as_view(), name="contact_delete"),
    path(
        "products/<int:product_pk>/restore/",
        views.ProductRestore.as_view(),
        name="product_restore",
    ),
    path("products/<int:product_pk>/delete/", views.ProductPurge.as_view(), name="product_delete"),
]
