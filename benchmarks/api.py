"""API benchmark: pages of 250 contacts over 100,000, beside the plain way, and creating.

A SQLite file (var/bench-api.sqlite3, seeded on the first run and kept; `--fresh` makes it
anew) holds 100,000 demo contacts in the measured organization and 100,000 in another. Measured
through Django's test client with an API key, each request many times, median server time:

- `GET /api/v1/contacts?size=250` on the first page and on page 200 (results 50,001–50,250,
  beyond lexoffice's 10,000), and with a name filter;
- the plain way a Django developer would write it, in the same run over the same query: a
  Django REST framework `ListAPIView` with nested `ModelSerializer`s (the contact and its
  contact persons, every field) and page-number pagination, without prefetching;
- `POST /api/v1/contacts` (a company with a contact person), through the form and the service
  (the 500 highest customer numbers are freed for it first: the seeded contacts hold them all).

Run with `make bench`, or `python -m benchmarks.api [--contacts N] [--repeat N] [--fresh]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from benchmarks.django_setup import configure_django, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = ROOT / "var" / "bench-api.sqlite3"
MEASURED, OTHER = "bench-api-measured", "bench-api-other"
PAGE_GOAL_MS, CREATE_GOAL_MS, GOAL_SPEEDUP = 50.0, 30.0, 5.0
PLAIN_URL = "/bench/plain-contacts"


def setup(fresh: bool) -> None:
    configure_django(sqlite_url(DB_FILE, fresh=fresh))
    from django.conf import settings

    # One client asks as fast as it can: the rate limit is not what is measured here.
    settings.API_RATE_LIMIT_PER_SECOND = 1_000_000
    add_plain_view()


def add_plain_view() -> None:
    """The plain way, mounted beside the API: the framework's defaults, nothing prefetched."""
    from django.urls import clear_url_caches, path
    from django_countries.serializers import CountryFieldMixin
    from rest_framework import generics, pagination, serializers

    from api.authentication import ApiKeyAuthentication
    from api.views.base import HasKey
    from config import urls
    from contacts_app.models import Contact, ContactPerson

    class PlainPersonSerializer(serializers.ModelSerializer):
        class Meta:
            model = ContactPerson
            fields = "__all__"

    # django-countries' mixin, as its documentation says for REST framework serializers.
    class PlainContactSerializer(CountryFieldMixin, serializers.ModelSerializer):
        persons = PlainPersonSerializer(many=True, read_only=True)

        class Meta:
            model = Contact
            fields = "__all__"

    class PlainPages(pagination.PageNumberPagination):
        page_size = 250

    class PlainContactList(generics.ListAPIView):
        authentication_classes = [ApiKeyAuthentication]
        permission_classes = [HasKey]
        serializer_class = PlainContactSerializer
        pagination_class = PlainPages

        def get_queryset(self):
            organization = self.request.user.organization
            return Contact.objects.filter(organization=organization).order_by(
                "archived", "sort_name", "id"
            )

    urls.urlpatterns.append(path(PLAIN_URL.lstrip("/"), PlainContactList.as_view()))
    clear_url_caches()


def fill(count: int):
    from accounts.models import Membership, Organization, Role, User
    from contacts_app.management.demo_contacts import seed_contacts

    user, _ = User.objects.get_or_create(email="bench@kontor.test")
    measured = None
    for seed, slug in enumerate((MEASURED, OTHER), start=1):
        org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": slug})
        Membership.objects.get_or_create(user=user, organization=org, role=Role.ADMIN)
        missing = count - org.contacts.count()
        if missing > 0:
            started = time.perf_counter()
            seed_contacts(org, missing, seed=seed * 1000 + missing, author=user)
            print(
                f"Seeded {missing:,} contacts into {slug} in {time.perf_counter() - started:.0f} s"
            )
        measured = measured or org
    return user, measured


def free_numbers(organization, count: int = 500) -> None:
    """Room for the contacts the benchmark creates: 100,000 seeded contacts hold every
    customer number. Earlier runs' contacts go, and the highest `count` numbers are freed."""
    from contacts_app.models import CUSTOMER_NUMBERS, Contact, NumberSequence

    contacts = Contact.all_objects.filter(organization=organization)
    contacts.filter(company_name__startswith="Benchmark ").delete()
    high = CUSTOMER_NUMBERS[1]
    contacts.filter(customer_number__gt=high - count).update(customer_number=None)
    NumberSequence.objects.update_or_create(
        organization=organization, role="customer", defaults={"last_value": high - count}
    )


def median_ms(request, repeat: int, warm: int = 3) -> float:
    for _ in range(warm):
        request()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        request()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def queries_of(request) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        request()
    return len(captured)


def new_company(index: int) -> dict:
    return {
        "roles": {"customer": {}},
        "company": {
            "name": f"Benchmark {index} GmbH",
            "vatRegistrationId": "DE123456788",
            "contactPersons": [
                {
                    "firstName": "Max",
                    "lastName": f"Muster {index}",
                    "emailAddress": "max@bench.example",
                }
            ],
        },
        "addresses": {
            "billing": [
                {"street": "Hauptstr. 1", "zip": "10115", "city": "Berlin", "countryCode": "DE"}
            ]
        },
        "emailAddresses": {"business": [f"info{index}@bench.example"]},
    }


def run(count: int = 100_000, repeat: int = 20, fresh: bool = False) -> list[tuple[str, float]]:
    setup(fresh)
    from django.test import Client

    from accounts.models import Role
    from api.keys import issue_key

    user, organization = fill(count)
    free_numbers(organization)
    _key, token = issue_key(organization=organization, name="benchmark", role=Role.MEMBER, by=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(url: str, params: dict):
        def request():
            response = client.get(url, params)
            assert response.status_code == 200, response.content[:300]
            return response

        return request

    first = get("/api/v1/contacts", {"size": 250})
    deep = get("/api/v1/contacts", {"size": 250, "page": 200})
    named = get("/api/v1/contacts", {"size": 250, "name": "%müller%"})
    plain_first = get(PLAIN_URL, {"page": 1})
    plain_deep = get(PLAIN_URL, {"page": 201})
    created = iter(range(10**9))

    def create():
        response = client.post(
            "/api/v1/contacts", new_company(next(created)), content_type="application/json"
        )
        assert response.status_code == 201, response.content[:300]

    assert [c["id"] for c in first().json()["content"]][0]
    rows = [
        ("page 0 of 250", first, plain_first),
        ("page 200 of 250", deep, plain_deep),
        ("page 0, name filter", named, None),
    ]
    print(
        f"\nAPI: {count:,} contacts in the measured organization and {count:,} in another, "
        f"SQLite, median of {repeat} requests (the plain way: of 5).\n"
    )
    header = f"{'request':<24}{'queries':>8}{'Kontor ms':>11}{'plain ms':>10}{'plain q':>9}{'×':>7}"
    print(header)
    print("-" * len(header))
    results, failures = [], []
    for label, ours, plain in rows:
        ours_ms, ours_queries = median_ms(ours, repeat), queries_of(ours)
        line = f"{label:<24}{ours_queries:>8}{ours_ms:>11.1f}"
        if plain is not None:
            plain_ms, plain_queries = median_ms(plain, 5, warm=1), queries_of(plain)
            speedup = plain_ms / ours_ms
            line += f"{plain_ms:>10.1f}{plain_queries:>9}{speedup:>6.1f}×"
            if speedup < GOAL_SPEEDUP:
                failures.append(f"{label} only {speedup:.1f}× faster")
        print(line)
        results.append((f"api {label}", ours_ms))
        if plain is not None and ours_ms > PAGE_GOAL_MS:  # the filtered page is shown only
            failures.append(f"{label} {ours_ms:.0f} ms")
    create_ms = median_ms(create, repeat)
    create_queries = queries_of(create)
    print(f"{'create a company':<24}{create_queries:>8}{create_ms:>11.1f}")
    results.append(("api create", create_ms))
    if create_ms > CREATE_GOAL_MS:
        failures.append(f"create {create_ms:.0f} ms")
    if queries_of(first) != queries_of(deep):
        failures.append("the query count depends on the page")
    print(
        f"Goals: a page (unfiltered) ≤ {PAGE_GOAL_MS:.0f} ms and ≥ {GOAL_SPEEDUP:.0f}× faster "
        f"than the plain way with as many queries on every page, a create ≤ "
        f"{CREATE_GOAL_MS:.0f} ms: "
        + ("met." if not failures else f"missed: {'; '.join(failures)}.")
    )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="per organization")
    parser.add_argument("--repeat", type=int, default=20, help="requests per measurement")
    parser.add_argument("--fresh", action="store_true", help="seed var/bench-api.sqlite3 anew")
    args = parser.parse_args(argv)
    run(count=args.contacts, repeat=args.repeat, fresh=args.fresh)


if __name__ == "__main__":
    sys.exit(main())
