from django.contrib import admin
from django.urls import include, path

from accounts.views.auth import home
from carddav.views import WellKnownCardDav

# /healthz is answered by core.health.HealthCheckMiddleware before any URL is resolved.
handler403 = "core.errors.permission_denied"
handler500 = "core.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("contacts/", include("contacts_app.urls")),
    path("products/", include("products.urls")),
    path("trash/", include("trash.urls")),
    path("import/", include("importer.urls")),
    path("api/v1/", include("api.urls")),
    path("settings/", include("api.settings_urls")),
    path("", include("carddav.urls")),
    path(".well-known/carddav", WellKnownCardDav.as_view(), name="carddav_well_known"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
