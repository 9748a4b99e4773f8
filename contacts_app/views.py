from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.tenancy import organization_required


@organization_required
def contact_list(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts_app/contact_list.html", {})
