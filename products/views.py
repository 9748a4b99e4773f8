from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.tenancy import organization_required


@organization_required
def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "products/product_list.html", {})
