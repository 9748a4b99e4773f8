"""Settings → API keys and Settings → Webhooks (admins only)."""

from django.urls import path

from .views import keys, webhooks

app_name = "api_settings"

urlpatterns = [
    path("api-keys/", keys.ApiKeyList.as_view(), name="key_list"),
    path("api-keys/new/", keys.ApiKeyCreate.as_view(), name="key_create"),
    path("api-keys/<int:pk>/revoke/", keys.ApiKeyRevoke.as_view(), name="key_revoke"),
    path("webhooks/", webhooks.WebhookList.as_view(), name="webhook_list"),
    path("webhooks/new/", webhooks.WebhookCreate.as_view(), name="webhook_create"),
    path("webhooks/<int:pk>/", webhooks.WebhookDetail.as_view(), name="webhook_detail"),
    path("webhooks/<int:pk>/edit/", webhooks.WebhookUpdate.as_view(), name="webhook_edit"),
    path("webhooks/<int:pk>/delete/", webhooks.WebhookDelete.as_view(), name="webhook_delete"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/send-again/",
        webhooks.DeliverySendAgain.as_view(),
        name="delivery_send_again",
    ),
]
