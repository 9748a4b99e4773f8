"""Duplicates benchmark: how fast the finder scans, how well it finds planted duplicates, and how
much its blocking saves against comparing every pair.

A fresh SQLite file (var/bench-duplicates.sqlite3) gets three organizations of demo contacts:

- 100,000 contacts: the whole scan (reading, blocking, comparing, grouping) is timed, and the
  duplicates page requested with the cache empty and filled;
- 10,000 contacts and 1,000 planted duplicates of 1,000 of them (`plant_duplicates`: typos,
  umlauts spelled out or dropped, first and last name swapped, the e-mail address in other
  letter case, "GmbH" against "GmbH & Co. KG"; besides, each copy keeps its original's e-mail
  address, phone number and VAT ID only now and then, and its street is abbreviated or
  missing now and then): recall is the share of planted pairs found, precision the share of
  found pairs that were planted;
- 5,000 contacts with 500 planted duplicates: the finder beside the same matcher run on every
  pair (12.5 million), timed in the same run.

Run with `make bench`, or `python -m benchmarks.duplicates [--scan N] [--repeat N] [--reuse]`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter

from benchmarks.contacts import ROOT
from benchmarks.django_setup import configure_django, sqlite_url

DB_FILE = ROOT / "var" / "bench-duplicates.sqlite3"
# Which pairs were planted, kept beside the database for a run with --reuse.
TRUTH_FILE = ROOT / "var" / "bench-duplicates-planted.json"
SCAN_GOAL_S, RECALL_GOAL, PRECISION_GOAL, SPEEDUP_GOAL = 5.0, 0.95, 0.98, 10.0
VARIATIONS = ("typo", "umlaut", "swapped", "email case", "legal form")
KEYBOARD_NEIGHBOURS = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "r": "et", "s": "ad", "t": "rz", "u": "zi", "v": "cb", "w": "qe", "x": "yc", "z": "tu",
}  # fmt: skip
UMLAUT_SPELLINGS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


def setup_django(*, fresh: bool) -> None:
    if fresh:
        TRUTH_FILE.unlink(missing_ok=True)
    configure_django(sqlite_url(DB_FILE, fresh=fresh))


def organization_with(slug: str, count: int, seed: int, user):
    from accounts.models import Membership, Organization, Role
    from contacts_app.management.demo_contacts import seed_contacts

    organization, created = Organization.objects.get_or_create(slug=slug, defaults={"name": slug})
    Membership.objects.get_or_create(user=user, organization=organization, role=Role.ADMIN)
    if created or not organization.contacts.exists():
        started = time.perf_counter()
        seed_contacts(organization, count, seed=seed, author=user)
        print(f"Seeded {count:,} contacts into {slug} in {time.perf_counter() - started:.0f} s")
    return organization, created


# --- planted duplicates -------------------------------------------------------------------------


def typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard in a word of four letters or more."""
    words = [i for i, w in enumerate(text.split(" ")) if len(w) >= 4 and w.isalpha()]
    if not words:
        return text + "e"
    parts = text.split(" ")
    index = rng.choice(words)
    word = parts[index]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["substitute", "delete", "double", "swap"])
    if kind == "substitute":
        letter = word[at].lower()
        word = word[:at] + rng.choice(KEYBOARD_NEIGHBOURS.get(letter, "e")) + word[at + 1 :]
    elif kind == "delete":
        word = word[:at] + word[at + 1 :]
    elif kind == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    parts[index] = word
    return " ".join(parts)


def umlaut_spelling(text: str, rng: random.Random) -> str | None:
    """Umlauts spelled out ("Müller" → "Mueller") or dropped ("Muller"), or None if none."""
    if not any(c in UMLAUT_SPELLINGS for c in text):
        return None
    if rng.random() < 0.7:
        return "".join(UMLAUT_SPELLINGS.get(c, c) for c in text)
    return text.translate(str.maketrans("äöüÄÖÜ", "aouAOU"))


LEGAL_FORMS = [
    "GmbH & Co. KG", "GmbH", "AG", "KG", "e.K.", "OHG", "UG", "SARL", "SAS", "B.V.", "SA",
    "Sp. z o.o.", "s.r.o.", "S.r.l.", "S.L.", "ApS", "Ltd",
]  # fmt: skip


def split_legal_form(name: str) -> tuple[str, str]:
    for form in LEGAL_FORMS:
        if name.endswith(" " + form):
            return name.removesuffix(" " + form), form
    return name, ""


def legal_form_variant(name: str) -> str:
    """ "GmbH" and "GmbH & Co. KG" the other way round; another form left out."""
    core, form = split_legal_form(name)
    if form == "GmbH & Co. KG":
        return f"{core} GmbH"
    if form == "GmbH":
        return f"{core} GmbH & Co. KG"
    return core


def swapped(contact) -> None:
    """First and last name the other way round; a company's first two words."""
    if contact.kind == "person":
        contact.first_name, contact.last_name = contact.last_name, contact.first_name
        return
    core, form = split_legal_form(contact.company_name)
    words = core.split(" ")
    if "&" in words:
        at = words.index("&")
        words = [*words[at + 1 :], "&", *words[:at]]
    elif len(words) >= 2:
        words = [*words[1:], words[0]]
    contact.company_name = " ".join(words + ([form] if form else []))


def vary_name(contact, variation: str, rng: random.Random) -> str:
    """Change the copy's name as a second typist would; returns the variation really made."""
    field = "company_name" if contact.kind == "company" else rng.choice(["first_name", "last_name"])
    if variation == "umlaut":
        fields = ["company_name"] if contact.kind == "company" else ["last_name", "first_name"]
        for name in fields:
            if (spelled := umlaut_spelling(getattr(contact, name), rng)) is not None:
                setattr(contact, name, spelled)
                return variation
        variation = "typo"
    if variation == "swapped":
        swapped(contact)
        return variation
    if variation == "legal form":
        if contact.kind == "company":
            contact.company_name = legal_form_variant(contact.company_name)
            return variation
        variation = "typo"
    if variation == "typo":
        setattr(contact, field, typo(getattr(contact, field), rng))
    return variation


def email_in_other_case(address: str) -> str:
    local, _at, domain = address.partition("@")
    return f"{local[:1].upper()}{local[1:]}@{domain.upper()}"


def plant_duplicates(organization, count: int, seed: int) -> list[tuple[int, int, str]]:
    """Copies of `count` of the organization's contacts, each changed as a duplicate typed
    in again would be; returns (original id, copy id, variation)."""
    from django.db import transaction

    from contacts_app import services
    from contacts_app.models import Contact, ContactPerson

    rng = random.Random(seed)
    originals = list(Contact.objects.filter(organization=organization).order_by("id"))
    chosen = rng.sample(originals, count)
    copies, planted = [], []
    for position, original in enumerate(chosen):
        copy = Contact.objects.get(pk=original.pk)
        copy.pk = copy.id = None
        copy.customer_number = copy.supplier_number = None
        variation = vary_name(copy, VARIATIONS[position % len(VARIATIONS)], rng)
        emails = [f for f in Contact.EMAIL_FIELDS if getattr(copy, f)]
        if variation == "email case":
            for name in emails:
                setattr(copy, name, email_in_other_case(getattr(copy, name)))
        elif rng.random() < 0.7:
            for name in emails:
                setattr(copy, name, "")
        if rng.random() < 0.7:
            for name in Contact.PHONE_FIELDS:
                setattr(copy, name, "")
        if rng.random() < 0.8:
            copy.vat_id = ""
        street = rng.random()
        if street < 0.25:
            copy.billing_street = copy.billing_street.replace("straße", "str.")
        elif street < 0.4:
            copy.billing_street = ""
        services.refresh_derived_fields(copy, [])
        copies.append(copy)
        planted.append((original.pk, variation))
    with transaction.atomic():
        Contact.objects.bulk_create(copies)
        # The originals' contact persons stay with them: a duplicate typed in again has none.
        assert not ContactPerson.objects.filter(contact__in=copies).exists()
    return [(pk, copy.pk, variation) for (pk, variation), copy in zip(planted, copies, strict=True)]


# --- measurements -------------------------------------------------------------------------------


def scan(organization):
    from contacts_app.duplicates import dismissed_pairs, find_pairs, group_pairs, read_profiles

    started, cpu = time.perf_counter(), time.process_time()
    profiles = read_profiles(organization)
    read = time.perf_counter()
    pairs = find_pairs(profiles)
    found = time.perf_counter()
    groups = group_pairs(profiles, pairs, dismissed_pairs(organization))
    done = time.perf_counter()
    return {
        "cpu": time.process_time() - cpu,
        "read": read - started,
        "compare": found - read,
        "group": done - found,
        "total": done - started,
        "profiles": profiles,
        "pairs": pairs,
        "groups": groups,
    }


def found_pairs(result) -> set[tuple[int, int]]:
    profiles = result["profiles"]
    return {
        tuple(sorted((profiles[a].pk, profiles[b].pk)))  # type: ignore[misc]
        for a, b in result["pairs"]
    }


def every_pair(profiles):
    """The same matcher on every pair of contacts: the baseline the blocking is measured by."""
    from contacts_app.matching import pair_reasons

    pairs = {}
    for first in range(len(profiles)):
        a = profiles[first]
        for second in range(first + 1, len(profiles)):
            if reasons := pair_reasons(a, profiles[second]):
                pairs[(first, second)] = reasons
    return pairs


def page_timings(client, organization, repeat: int) -> tuple[float, float]:
    from django.core.cache import cache
    from django.urls import reverse

    url = reverse("contacts:duplicates")
    cold, warm = [], []
    for _ in range(max(1, repeat // 10)):
        cache.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        cold.append(time.perf_counter() - started)
    for _ in range(repeat):
        started = time.perf_counter()
        assert client.get(url, {"page": 2}).status_code == 200
        warm.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm)


def look_alike_timing(organization, repeat: int) -> float:
    """The look-alike check of a new company typed in like one of the organization's."""
    from contacts_app.models import Contact
    from contacts_app.selectors import similar_contacts

    sample = Contact.objects.filter(organization=organization, kind="company").order_by("id")
    typed = sample[sample.count() // 2]
    values = {name: getattr(typed, name) for name in ("kind", "company_name", "billing_street")}
    values |= {
        "company_name": typed.company_name + "x",
        "billing_postal_code": typed.billing_postal_code,
        "billing_city": typed.billing_city,
        "billing_country": str(typed.billing_country),
        "email_business": typed.email_business,
        "phone_business": typed.phone_business,
    }
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        similar_contacts(organization, values=values)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(scan_count: int = 100_000, repeat: int = 10, reuse: bool = False) -> bool:
    setup_django(fresh=not reuse)
    from django.test import Client

    from accounts.models import Organization, User

    user, _ = User.objects.get_or_create(email="bench@kontor.test")
    failures = []

    # 1. The scan of a large organization, and the page.
    big, _ = organization_with("dups-scan", scan_count, 7, user)
    runs = [scan(big) for _ in range(3)]
    total = statistics.median(r["total"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    last = runs[-1]
    print(
        f"\nDuplicate finder, SQLite, {scan_count:,} contacts (median of 3 scans): "
        f"{total:.2f} s ({cpu:.2f} s of this process's CPU time; the rest is waiting for the "
        f"processor or the disk) — reading {last['read']:.2f} s, blocking and comparing "
        f"{last['compare']:.2f} s, grouping {last['group']:.2f} s; "
        f"{len(last['pairs']):,} pairs in {len(last['groups']):,} groups."
    )
    if total > SCAN_GOAL_S:
        failures.append("scan")
    client = Client()
    client.force_login(user)
    session = client.session
    session["organization_id"] = big.pk
    session.save()
    cold, warm = page_timings(client, big, repeat)
    print(
        f"Duplicates page: {cold * 1000:,.0f} ms with the cache empty (the scan included), "
        f"{warm * 1000:,.1f} ms from the cache (median of {repeat})."
    )
    print(f"Look-alike check on save: {look_alike_timing(big, repeat) * 1000:.1f} ms (median).")

    # 2. Recall and precision on planted duplicates.
    if not TRUTH_FILE.exists():  # planted by an earlier version: plant anew
        Organization.objects.filter(slug="dups-planted").delete()
    planted_org, fresh = organization_with("dups-planted", 10_000, 11, user)
    if fresh or not TRUTH_FILE.exists():
        truth = plant_duplicates(planted_org, 1_000, seed=12)
        TRUTH_FILE.write_text(json.dumps(truth))
    else:
        truth = [tuple(row) for row in json.loads(TRUTH_FILE.read_text())]
    if truth:
        result = scan(planted_org)
        found = found_pairs(result)
        planted = {tuple(sorted((a, b))): variation for a, b, variation in truth}
        hits = found & set(planted)
        recall, precision = len(hits) / len(planted), len(hits) / max(len(found), 1)
        print(
            f"\nPlanted: 10,000 contacts and 1,000 duplicates: {len(found):,} pairs found, "
            f"{len(hits):,} of them planted — recall {recall:.1%}, precision {precision:.1%} "
            f"({result['total']:.2f} s)."
        )
        by_variation = Counter(planted.values())
        found_by_variation = Counter(planted[p] for p in hits)
        print(
            "Recall by variation: "
            + ", ".join(
                f"{v} {found_by_variation[v]}/{by_variation[v]}" for v in sorted(by_variation)
            )
        )
        describe_misses(planted_org, planted, found)
        if recall < RECALL_GOAL or precision < PRECISION_GOAL:
            failures.append("recall/precision")

    # 3. Blocking against every pair, on 5,000 contacts.
    small, fresh = organization_with("dups-pairs", 5_000, 13, user)
    if fresh:
        plant_duplicates(small, 500, seed=14)
    blocked = scan(small)
    profiles = blocked["profiles"]
    started = time.perf_counter()
    all_pairs = every_pair(profiles)
    naive = time.perf_counter() - started
    # Both without reading the contacts, which costs them the same.
    compare = blocked["compare"]
    agree = set(blocked["pairs"]) & set(all_pairs)
    speedup = naive / compare
    print(
        f"\n{len(profiles):,} contacts: every pair compared "
        f"({len(profiles) * (len(profiles) - 1) // 2:,} pairs) {naive:.1f} s, the finder's "
        f"blocking and comparing {compare * 1000:.0f} ms — {speedup:.0f}× faster; it finds "
        f"{len(agree):,} of the {len(all_pairs):,} pairs comparing every pair finds"
        + (", and no other." if len(agree) == len(blocked["pairs"]) else " (and others?!).")
    )
    if speedup < SPEEDUP_GOAL:
        failures.append("speed-up")
    print(
        f"Goals: scan ≤ {SCAN_GOAL_S:.0f} s, recall ≥ {RECALL_GOAL:.0%}, precision ≥ "
        f"{PRECISION_GOAL:.0%}, ≥ {SPEEDUP_GOAL:.0f}× faster than every pair: "
        + ("met." if not failures else f"missed: {', '.join(failures)}.")
    )
    return not failures


def describe_misses(organization, planted: dict, found: set, limit: int = 12) -> None:
    """A few planted pairs not found and found pairs not planted, to see why."""
    from contacts_app.models import Contact

    def line(pair):
        contacts = Contact.objects.filter(pk__in=pair).order_by("pk")
        return " | ".join(
            f"{c.display_name}, {c.billing_street}, {c.billing_postal_code} {c.billing_city}, "
            f"{c.primary_email}, {c.vat_id}"
            for c in contacts
        )

    missed = [p for p in planted if p not in found]
    extra = [p for p in found if p not in planted]
    for pair in missed[:limit]:
        print(f"  missed ({planted[pair]}): {line(pair)}")
    for pair in extra[:limit]:
        print(f"  not planted: {line(pair)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scan", type=int, default=100_000, help="contacts of the scan")
    parser.add_argument("--repeat", type=int, default=10, help="requests per page measurement")
    parser.add_argument(
        "--reuse", action="store_true", help="keep var/bench-duplicates.sqlite3 from a run"
    )
    args = parser.parse_args(argv)
    sys.exit(0 if run(scan_count=args.scan, repeat=args.repeat, reuse=args.reuse) else 1)


if __name__ == "__main__":
    main()
