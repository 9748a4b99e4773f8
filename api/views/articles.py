"""`/api/v1/articles`: lexoffice's articles endpoint for Kontor's products."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from products import services
from products.models import Product

from .. import ids
from ..article_io import (
    FORM_TO_JSON,
    ArticlePageSerializer,
    ArticleSerializer,
    article_uri,
    articles_json,
    check_article,
    stale,
    write_result,
)
from ..errors import ApiError, field_error, invalid
from ..paging import page_of, page_request
from ..serializers import WriteResultSerializer
from .base import KeyAuthenticatedView
from .schema import LIST_PARAMETERS, errors

ARTICLE_FILTERS = [
    OpenApiParameter("articleNumber", str, description="The article number, exactly."),
    OpenApiParameter("gtin", str, description="The GTIN/EAN, exactly."),
    OpenApiParameter("type", str, enum=["PRODUCT", "SERVICE"]),
]
SORT = [
    {
        "property": "title",
        "direction": "ASC",
        "ignoreCase": False,
        "nullHandling": "NATIVE",
        "ascending": True,
    }
]


def through_api(service: Callable[..., Any], holder: Any, **kwargs: Any) -> Any:
    """Call a product service as the key; `via` (the history's "through what") is passed
    where the service takes it, as the product services do once they keep a history."""
    if "via" in inspect.signature(service).parameters:
        kwargs["via"] = holder.via
    return service(by=holder.user, **kwargs)


def _saved(save: Callable[[], Product]) -> Product:
    try:
        return save()
    except ValidationError as error:
        details = [
            field_error(FORM_TO_JSON.get(field, field), message, "invalid")
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        raise invalid(details) from None


@extend_schema(tags=["articles"])
class ArticleCollection(KeyAuthenticatedView):
    model = Product
    id_kind = ids.ARTICLE

    @extend_schema(
        summary="Find articles",
        operation_id="articles_list",
        parameters=[*LIST_PARAMETERS, *ARTICLE_FILTERS],
        responses={200: ArticlePageSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        page = page_request(request.query_params)
        params = request.query_params
        products = self.get_queryset()
        if "articleNumber" in params:
            products = products.filter(number=params["articleNumber"])
        if "gtin" in params:
            products = products.filter(gtin=params["gtin"])
        if "type" in params:
            kind = params["type"].lower()
            if kind not in Product.Kind.values:
                raise invalid([field_error("type", "PRODUCT, SERVICE", "invalid_choice")])
            products = products.filter(kind=kind)
        products = products.order_by("name", "id")
        return Response(page_of(products, page, articles_json, SORT))

    @extend_schema(
        summary="Create an article",
        operation_id="articles_create",
        request=ArticleSerializer,
        responses={201: WriteResultSerializer, **errors(400, 403, 415)},
    )
    def post(self, request: Request) -> Response:
        payload = self.shape(ArticleSerializer)
        form, problems = check_article(payload, organization=self.organization, current=None)
        if form is None:
            raise invalid(problems)
        product = _saved(
            lambda: through_api(
                services.create_product,
                self.holder,
                organization=self.organization,
                data=form.product_data(),
            )
        )
        uri = self.absolute(article_uri(product.pk))
        return Response(write_result(product, self.absolute), status=201, headers={"Location": uri})


@extend_schema(tags=["articles"], parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
class ArticleItem(KeyAuthenticatedView):
    model = Product
    id_kind = ids.ARTICLE
    object: Product

    @extend_schema(
        summary="Read an article",
        operation_id="articles_read",
        responses={200: ArticleSerializer, **errors(404)},
    )
    def get(self, request: Request, id: str) -> Response:
        (article,) = articles_json(Product.objects.filter(pk=self.object.pk))
        return Response(article)

    @extend_schema(
        summary="Change an article",
        operation_id="articles_update",
        request=ArticleSerializer,
        responses={200: WriteResultSerializer, **errors(400, 403, 404, 409, 415)},
    )
    def put(self, request: Request, id: str) -> Response:
        payload = self.shape(ArticleSerializer)
        with transaction.atomic():
            product = Product.objects.select_for_update().get(pk=self.object.pk)
            if why := stale(product, payload.get("version")):
                if payload.get("version") is None:
                    raise invalid([field_error("version", why, "required")])
                raise ApiError(409, why)
            form, problems = check_article(payload, organization=self.organization, current=product)
            if form is None:
                raise invalid(problems)
            product = _saved(
                lambda: through_api(
                    services.update_product, self.holder, product=product, data=form.product_data()
                )
            )
        return Response(write_result(product, self.absolute))

    @extend_schema(
        summary="Delete an article",
        operation_id="articles_delete",
        responses={204: OpenApiResponse(description="Deleted."), **errors(403, 404)},
    )
    def delete(self, request: Request, id: str) -> Response:
        # The trash, where the product services have one; else deleted as the page deletes.
        remove = getattr(services, "trash_product", None)
        if remove is not None:
            through_api(remove, self.holder, product=self.object)
        else:
            services.delete_product(product=self.object)
        return Response(status=204)
