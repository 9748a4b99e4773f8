"""`/api/v1/`: the API (key-authenticated), its OpenAPI schema and its documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from .views import articles, contacts

app_name = "api"

urlpatterns = [
    path("contacts", contacts.ContactCollection.as_view(), name="contacts"),
    path("contacts/<str:id>", contacts.ContactItem.as_view(), name="contact"),
    path("articles", articles.ArticleCollection.as_view(), name="articles"),
    path("articles/<str:id>", articles.ArticleItem.as_view(), name="article"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
