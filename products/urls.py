from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.product_list_view, name="list"),
    path("new/", views.product_create, name="create"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/archive/", views.product_archive, name="archive"),
    path("<int:pk>/unarchive/", views.product_unarchive, name="unarchive"),
    path("<int:pk>/delete/", views.product_delete, name="delete"),
]
