from django.contrib import admin
from django.urls import include, path

from accounts.views.auth import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("contacts/", include("contacts_app.urls")),
    path("products/", include("products.urls")),
    path("import/", include("importer.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
