from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.tenancy import organization_required


@organization_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "importer/start.html", {})

