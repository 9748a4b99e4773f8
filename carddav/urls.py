from django.urls import path

from . import device_views, views

app_name = "carddav"

urlpatterns = [
    path("dav/", views.ServiceRoot.as_view(), name="root"),
    path("dav/principal/", views.Principal.as_view(), name="principal"),
    path("dav/books/", views.AddressBookHome.as_view(), name="home"),
    path("dav/books/<slug:slug>/", views.AddressBook.as_view(), name="book"),
    path("dav/books/<slug:slug>/<str:name>", views.CardResource.as_view(), name="card"),
    path("settings/devices/", device_views.DeviceList.as_view(), name="devices"),
    path("settings/devices/new/", device_views.DeviceCreate.as_view(), name="device_create"),
    path(
        "settings/devices/<int:pk>/revoke/",
        device_views.DeviceRevoke.as_view(),
        name="device_revoke",
    ),
]
