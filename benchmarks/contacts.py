"""Contacts benchmark: the list and search pages over 100,000 contacts, beside the naive way.

A fresh SQLite file (var/bench.sqlite3) gets 100,000 demo contacts in the measured organization
and 100,000 in another one, with tags (one on every third contact, others rarer), so that the
list shows tags. Then the list page, four searches and the tag filter are requested through
Django's test client, logged in, each many times; the table shows the median server time and
how many queries a request asked. "naive" is the same page with the search done the way
Django's admin does it: `icontains` on every field, OR-ed per word, a join per tag, over the
same fields and the same database in the same run.

Run with `make bench`, or `python -m benchmarks.contacts [--contacts N] [--repeat N] [--reuse]`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from unittest import mock

from benchmarks.django_setup import configure_django, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = ROOT / "var" / "bench.sqlite3"
MEASURED, OTHER = "bench-measured", "bench-other"
GOAL_MS, GOAL_SPEEDUP = 20.0, 5.0


def setup_django(*, fresh: bool) -> None:
    configure_django(sqlite_url(DB_FILE, fresh=fresh))


def fill(count: int) -> tuple:
    """The two organizations with `count` contacts each (kept if they are already there)."""
    from accounts.models import Membership, Organization, Role, User
    from contacts_app.management.demo_contacts import seed_contacts

    user, _ = User.objects.get_or_create(email="bench@kontor.test")
    organizations = []
    for seed, slug in enumerate((MEASURED, OTHER), start=1):
        org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": slug})
        Membership.objects.get_or_create(user=user, organization=org, role=Role.ADMIN)
        missing = count - org.contacts.count()
        if missing > 0:
            started = time.perf_counter()
            unnumbered = seed_contacts(org, missing, seed=seed * 1000 + missing, author=user)
            print(
                f"Seeded {missing:,} contacts into {slug} in "
                f"{time.perf_counter() - started:.0f} s"
                + (f" ({unnumbered:,} past the number ranges)" if unnumbered else "")
            )
        organizations.append(org)
    return user, organizations[0]


# Tags as a business has them: (name, on every n-th contact).
BENCH_TAGS = [("Newsletter", 3), ("Messe 2025", 10), ("Stammkunde", 40), ("Insolvenz", 2000)]


def tag_contacts(organization) -> None:
    """Give the organization's contacts the BENCH_TAGS (kept if it has tags already)."""
    from contacts_app.models import ContactTag
    from contacts_app.tags import create_tag

    if organization.tags.exists():
        return
    ids = list(organization.contacts.order_by("pk").values_list("pk", flat=True))
    for offset, (name, every) in enumerate(BENCH_TAGS):
        tag = create_tag(organization=organization, name=name)
        ContactTag.objects.bulk_create(
            [ContactTag(contact_id=pk, tag=tag) for pk in ids[offset::every]], batch_size=5000
        )


def tag_cases(organization, queries: list[tuple[str, str]]) -> list[tuple[str, str, dict]]:
    """(label, shown as, params) of the list filtered by tags: a common tag, a rare one, two,
    and a tag with a search."""
    by_name = {tag.name: tag.pk for tag in organization.tags.all()}
    fragment = dict(queries)["4-letter name fragment"]
    return [
        ("tag, every 3rd contact", "Newsletter", {"tag": by_name["Newsletter"]}),
        ("tag, every 2000th", "Insolvenz", {"tag": by_name["Insolvenz"]}),
        (
            "two tags",
            "Newsl.+Messe",
            {"tag": [by_name["Newsletter"], by_name["Messe 2025"]]},
        ),
        ("tag and search", f"N.+{fragment}", {"tag": by_name["Newsletter"], "q": fragment}),
    ]


def sample_queries(organization) -> list[tuple[str, str]]:
    """What a user would type, taken from a contact in the middle of the measured organization."""
    from contacts_app.models import Contact, ContactPerson
    from contacts_app.search import phone_key

    middle = organization.contacts.count() // 2
    company = (
        Contact.objects.filter(organization=organization, kind="company", customer_number__gt=0)
        .exclude(persons=None)
        .order_by("id")[middle // 2 :][:1]
        .get()
    )
    person = ContactPerson.objects.filter(contact=company).order_by("id").first()
    local = person.email.split("@")[0]
    # "jana.sch": the start of the address as far as a few letters of the last name.
    email = local[: local.index(".") + 4] if "." in local else local[:8]
    # Six digits from the middle of the number, as someone types what they remember of it.
    phone = phone_key(company.phone_business)[-7:-1]
    return [
        ("list page", ""),
        ("2-letter name start", person.last_name[:2]),
        ("4-letter name fragment", person.last_name[:4]),
        ("e-mail fragment", email),
        ("customer number", str(company.customer_number)),
        ("phone number fragment", phone),
    ]


def naive_contact_list(organization, flt):
    """The list filtered the way Django's admin searches: icontains on each field, per word."""
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    from contacts_app.models import Contact
    from contacts_app.selectors import LIST_FIELDS, SORTS

    contacts = Contact.objects.filter(organization=organization, archived=flt.archived)
    if flt.role == "customer":
        contacts = contacts.filter(is_customer=True)
    elif flt.role == "supplier":
        contacts = contacts.filter(is_supplier=True)
    if flt.kind:
        contacts = contacts.filter(kind=flt.kind)
    for tag in flt.tags:
        contacts = contacts.filter(tags=tag)
    fields = [
        "company_name",
        "first_name",
        "last_name",
        "persons__first_name",
        "persons__last_name",
        *Contact.EMAIL_FIELDS,
        "persons__email",
        *Contact.PHONE_FIELDS,
        "persons__phone",
        "persons__mobile",
        "billing_city",
        "customer_number_text",
        "supplier_number_text",
    ]
    if flt.query.split():
        contacts = contacts.annotate(
            customer_number_text=Cast("customer_number", CharField()),
            supplier_number_text=Cast("supplier_number", CharField()),
        )
        for word in flt.query.split():
            any_field = Q()
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": word})
            contacts = contacts.filter(any_field)
        contacts = contacts.distinct()  # the admin's answer to duplicates from the persons join
    return contacts.only(*LIST_FIELDS).order_by(*SORTS["name"])


def timings(client, params: dict, repeat: int) -> dict[str, list[float]]:
    """Seconds per request: Kontor via htmx and as a whole page, and the naive search via htmx.

    Kontor's two take turns; the naive search runs after them, because each of its requests
    reads the whole table and would leave Kontor's next request a cold cache.
    """
    from django.urls import reverse

    url = reverse("contacts:list")
    htmx = {"HX-Request": "true"}

    def kontor_htmx():
        return client.get(url, params, headers=htmx)

    def kontor_page():
        return client.get(url, params)

    def naive_htmx():
        with mock.patch("contacts_app.views.contact_list", naive_contact_list):
            return client.get(url, params, headers=htmx)

    samples: dict[str, list[float]] = {"kontor": [], "page": [], "naive": []}
    for group in ({"kontor": kontor_htmx, "page": kontor_page}, {"naive": naive_htmx}):
        for request in group.values():  # warm caches: templates, translations, SQLite pages
            for _ in range(3):
                assert request().status_code == 200
        for _ in range(repeat):
            for name, request in group.items():
                started = time.perf_counter()
                request()
                samples[name].append(time.perf_counter() - started)
    return samples


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def queries_of(client, params: dict) -> int:
    """How many queries the search box's request asks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("contacts:list"), params, headers={"HX-Request": "true"})
    return len(captured)


def run(count: int = 100_000, repeat: int = 30, reuse: bool = False) -> list[tuple[str, float]]:
    setup_django(fresh=not reuse)
    from django.test import Client

    from contacts_app.forms import ContactFilterForm

    user, organization = fill(count)
    tag_contacts(organization)
    client = Client()
    client.force_login(user)
    print(
        f"\nContacts list and search: {count:,} contacts in the measured organization and "
        f"{count:,} in another, SQLite, median of {repeat} requests.\n"
        "A search is measured as the search box sends it (htmx, the results only) and as a "
        "whole page (reload, bookmark); naive is the same htmx request searching naively. "
        "Every page shows the contacts' tags; q is how many queries a request asks."
    )
    header = (
        f"{'request':<24}{'query':<14}{'found':>8}{'Kontor ms':>11}{'page ms':>9}"
        f"{'naive ms':>10}{'×':>7}{'q':>4}"
    )
    print(header)
    print("-" * len(header))
    queries = sample_queries(organization)
    cases = [(label, query, {"q": query} if query else {}) for label, query in queries]
    cases += tag_cases(organization, queries)
    results, failures, counts = [], [], set()
    for label, shown, params in cases:
        flt = ContactFilterForm(as_query(params), organization=organization).as_filter()
        found = contact_list_count(organization, flt)
        naive_found = naive_contact_list(organization, flt).count()
        samples = timings(client, params, repeat)
        ours, page, naive = (median_ms(samples[k]) for k in ("kontor", "page", "naive"))
        asked = queries_of(client, params)
        counts.add(asked)
        speedup = naive / ours
        note = f"  (naive found {naive_found:,})" if naive_found != found else ""
        print(
            f"{label:<24}{shown:<14}{found:>8,}{ours:>11.1f}{page:>9.1f}{naive:>10.1f}"
            f"{speedup:>6.1f}×{asked:>4}{note}"
        )
        results.append((f"contacts {label}", ours))
        # A tag filter is an index lookup either way: only its time has a goal.
        slow = ours > GOAL_MS or ("q" in params and speedup < GOAL_SPEEDUP)
        if params and slow:
            failures.append(label)
    print(
        f"Goal for every search and tag filter: ≤ {GOAL_MS:.0f} ms, a search also "
        f"≥ {GOAL_SPEEDUP:.0f}× faster than naive: "
        + ("met." if not failures else f"missed by {', '.join(failures)}.")
    )
    print(
        f"Queries a request asks: {', '.join(map(str, sorted(counts)))} (the same however many "
        "contacts and tags a page shows; a tag filter checks its tags, a long word asks the "
        "full-text index)."
    )
    return results


def as_query(params: dict):
    """`params` (a value or a list of values each) as the request's GET has them."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    return query


def contact_list_count(organization, flt) -> int:
    from contacts_app.selectors import contact_list

    return contact_list(organization, flt).count()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="per organization")
    parser.add_argument("--repeat", type=int, default=30, help="requests per measurement")
    parser.add_argument(
        "--reuse", action="store_true", help="keep var/bench.sqlite3 from an earlier run"
    )
    args = parser.parse_args(argv)
    run(count=args.contacts, repeat=args.repeat, reuse=args.reuse)


if __name__ == "__main__":
    main()
