"""Load test: gunicorn over PostgreSQL with 100,000 contacts, driven by logged-in virtual users.

A dedicated database (kontor_load on the local server, created if missing) holds one
organization with 100,000 demo contacts, seeded once and kept between runs. gunicorn serves
Kontor on 127.0.0.1 as `make serve` would (DEBUG off, collected static files, sessions and cache
in Redis when it answers). Virtual users on the same machine log in through the login form, each
with a session of its own, and repeat a weighted mix for a set time: the list page, a search
typed letter by letter (as the search box sends it, one htmx request per prefix), a contact's
page, a new contact (form, POST, the page it redirects to) and an edit (form, POST back with its
version). Each user thinks for a moment between two actions.

Then, on the same server, API clients (`--api-clients`, 4 by default; 0 for none), each with a
key of its own, repeat a mix of their own for the same time: the next page of 250 contacts (each
client pages on from a page of its own, as a script syncing every contact does), a contact, a
list filtered by name, a new contact (POST) and a change sent with its version (PUT), with a
short pause between two requests (under the key's rate limit).

The table shows requests per second, median and 95th percentile latency and errors per kind of
request; an error is an exception or any answer other than the expected one (a status of 400 or
more, a form sent back with errors, a conflict). Afterwards the database must hold every contact
the run created, each with its own number. The exit status is 0 when the goal is met.

Run with `make load`, or `python -m benchmarks.load [--duration 60] [--users 8] [--think 1.0]
[--mix 25,30,25,10,10] [--workers 2] [--contacts 100000] [--reuse] [--fresh] [--database URL]
[--redis URL] [--api-clients 4] [--api-think 0.5]`; gunicorn's output goes to
var/load-gunicorn.log.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LOG_FILE = ROOT / "var" / "load-gunicorn.log"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kontor_load"
REDIS_URL = "redis://127.0.0.1:6379/9"
SLUG = "load-test"
PASSWORD = "load-test-password-not-secret"  # a throwaway account of the test database
# Numbers kept free for the contacts a run creates: 100,000 seeded contacts use up all 90,000.
RESERVED_NUMBERS = 5000
GOAL_P95_MS = 150.0
GOAL_KINDS = ("list", "search")
API_GOAL_P95_MS = 100.0
API_KINDS = ("api list", "api read", "api filter", "api create", "api update")
KINDS = ("list", "search", "contact", "new form", "create", "edit form", "edit save")
HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "id_q"}
SEARCH_DELAY = 0.25  # the search box's hx-trigger="input changed delay:250ms"
RESULT_LINK = re.compile(r'href="/contacts/(\d+)/"')
CREATED = re.compile(r"^/contacts/(\d+)/$")


# --- Database and seeding -------------------------------------------------------------------------


def create_database(url: str, *, fresh: bool) -> None:
    """Create the load test's database on its server if it is not there (or anew with `fresh`)."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def server_environment(database: str, redis_url: str) -> dict[str, str]:
    """What gunicorn and this process share: production settings, plain HTTP on 127.0.0.1."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    # The manifest storage of production: a page naming a missing static file fails.
    call_command("collectstatic", interactive=False, verbosity=0)


def fill(count: int, users: int, *, top_up: bool):
    """The organization with `count` contacts (kept if already there) and `users` members.

    Seeded contacts have no author; every contact with one was created by a run.
    """
    from django.db import connection

    from accounts.models import Membership, Organization, Role, User
    from contacts_app.management.demo_contacts import seed_contacts
    from contacts_app.search import PG_INDEX, PG_INDEX_PARTS, ensure_search_index

    organization, _ = Organization.objects.get_or_create(slug=SLUG, defaults={"name": "Lasttest"})
    for n in range(1, users + 1):
        user, created = User.objects.get_or_create(email=f"load-{n}@kontor.test")
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": Role.MEMBER}
        )
    missing = count - organization.contacts.count()
    if top_up and missing > 0:
        started = time.perf_counter()
        # Building the trigram index once afterwards is quicker than keeping it up to date
        # batch by batch.
        with connection.cursor() as cursor:
            for part in range(PG_INDEX_PARTS):
                cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}_{part}")
        seed_contacts(organization, missing, seed=count + missing, author=None)
        seeded = time.perf_counter()
        ensure_search_index()
        print(
            f"Seeded {missing:,} contacts in {seeded - started:.0f} s, search index built in "
            f"{time.perf_counter() - seeded:.0f} s"
        )
    return organization


def reset_numbers(organization) -> None:
    """Start every run from the seeded state with RESERVED_NUMBERS free numbers per role.

    Contacts an earlier run created are deleted. Seeded contacts holding one of the top
    RESERVED_NUMBERS numbers give it up (like the contacts seeded past the end of a range), and
    each sequence continues after the highest number still held.
    """
    from django.db import transaction
    from django.db.models import Max

    from contacts_app import services
    from contacts_app.models import Contact, NumberSequence

    contacts = Contact.objects.filter(organization=organization)
    with transaction.atomic():
        contacts.filter(created_by__isnull=False).delete()
        for role, (number, (low, high)) in services.NUMBER_RANGES.items():
            holders = list(
                contacts.filter(**{f"{number}__gt": high - RESERVED_NUMBERS}).prefetch_related(
                    "persons"
                )
            )
            for contact in holders:
                setattr(contact, number, None)
                services.refresh_derived_fields(contact, contact.persons.all())
            Contact.objects.bulk_update(holders, [number, "search_text"], batch_size=1000)
            highest = contacts.filter(**{f"{number}__range": (low, high)}).aggregate(m=Max(number))
            NumberSequence.objects.update_or_create(
                organization=organization,
                role=role,
                defaults={"last_value": highest["m"] or low - 1},
            )


def pick_contacts(organization) -> tuple[list[int], list[int]]:
    """All contact ids, and those that can be saved as they are (a number for each role)."""
    from django.db.models import Q

    contacts = organization.contacts.all()
    everyone = list(contacts.values_list("id", flat=True))
    numbered = contacts.filter(
        Q(is_customer=False) | Q(customer_number__isnull=False),
        Q(is_supplier=False) | Q(supplier_number__isnull=False),
        archived=False,
    )
    return everyone, list(numbered.values_list("id", flat=True))


# --- gunicorn -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn in a process group of its own, stopped gracefully when the block ends."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.env, self.workers, self.port = env, workers, free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        self.log = LOG_FILE.open("w")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
        ]
        # Its own session: Ctrl-C reaches this process only, which then stops gunicorn in order.
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_until_listening(timeout=60)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {LOG_FILE}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start within {timeout:.0f} s, see {LOG_FILE}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- A browser, roughly ---------------------------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser would submit with a POST form: its enabled fields and their values."""

    def __init__(self, marker: str | None = None) -> None:
        super().__init__()
        self.marker, self.fields = marker, {}
        self._inside = self._done = False
        self._template = 0
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and not self._done and (a.get("method") or "").lower() == "post":
            self._inside = self.marker is None or self.marker in a
        if not self._inside:
            return
        if tag == "template":  # the formset's blank row, copied by JavaScript
            self._template += 1
        if tag == "option" and self._select and not self._template:
            self._options.append((a.get("value") or "", "selected" in a))
        if self._template or "disabled" in a or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "reset", "file", "image"):
                self.fields[name] = a.get("value") or ""
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self._inside:
            return
        if tag == "template":
            self._template -= 1
        elif tag == "textarea" and self._textarea:
            self.fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if chosen or self._options:
                self.fields[self._select] = (chosen or [self._options[0][0]])[0]
            self._select = None
        elif tag == "form":
            self._inside, self._done = False, True


def form_fields(page: str, marker: str | None = None) -> dict[str, str]:
    parser = FormFields(marker)
    parser.feed(page)
    return parser.fields


@dataclass
class Answer:
    status: int
    location: str
    text: str
    started: float = 0.0


class Browser:
    """One user's cookies over HTTP/1.1; gunicorn's sync workers close after every answer."""

    def __init__(self, port: int) -> None:
        self.origin = f"http://127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers=None) -> Answer:
        sent = {"Accept": "text/html", "Accept-Language": "de-DE,de;q=0.9", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Answer(response.status, response.headers.get("Location", ""), text)


# --- Virtual users --------------------------------------------------------------------------------


@dataclass
class Results:
    """Latencies and errors of every request started inside the measured window."""

    start: float = 0.0
    end: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    created: list[tuple[int, str, bool, bool]] = field(default_factory=list)
    duplicate_warnings: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, started: float, seconds: float, error: str = "") -> None:
        if self.start <= started < self.end:
            with self.lock:
                self.latencies[kind].append(seconds)
        if error:
            self.error(kind, started, error)

    def error(self, kind: str, started: float, message: str) -> None:
        """Count a failure of a request that `add` has already counted (or of no request)."""
        if self.start <= started < self.end:
            with self.lock:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {message}")


class Failed(Exception):
    """A request was answered other than expected; the user starts its next action."""


def search_words() -> list[str]:
    """What people type into the search box: names, places, trades and number beginnings."""
    from contacts_app.management import demo_contacts as demo

    words = list(demo.LAST_NAMES)
    words += [stem + ending for stem in demo.NAME_STEMS[:20] for ending in demo.NAME_ENDINGS[:5]]
    words += [city for city, *_rest in demo.GERMAN_CITIES] + demo.BRANDS + demo.TRADES
    words += [str(random.Random(n).randint(10000, 69999)) for n in range(40)]
    return words


class VirtualUser(threading.Thread):
    def __init__(self, number: int, port: int, results: Results, stop: threading.Event, plan):
        super().__init__(name=f"load-{number}", daemon=True)
        self.number, self.results, self.stop, self.plan = number, results, stop, plan
        self.browser = Browser(port)
        self.rng = random.Random(number)
        self.created = 0
        # Users edit contacts of their own, so that no edit conflicts with another user's.
        self.editable = plan.editable[number - 1 :: plan.users]

    def fetch(self, kind: str, path: str, data=None, *, expect=(200,), headers=None) -> Answer:
        started = time.perf_counter()
        try:
            answer = self.browser.request("POST" if data else "GET", path, data, headers)
        except (OSError, http.client.HTTPException) as error:
            self.results.add(kind, started, time.perf_counter() - started, repr(error))
            raise Failed from error
        seconds = time.perf_counter() - started
        if answer.status not in expect:
            self.results.add(kind, started, seconds, f"{answer.status} for {path}")
            raise Failed
        self.results.add(kind, started, seconds)
        answer.started = started
        return answer

    def submit(self, kind: str, path: str, fields: dict) -> int:
        """POST a contact form, confirm a duplicate warning as a person would; the saved id."""
        answer = self.fetch(kind, path, fields, expect=(200, 302))
        if answer.status == 200 and 'data-testid="duplicate-warning"' in answer.text:
            with self.results.lock:
                self.results.duplicate_warnings += 1
            answer = self.fetch(
                kind, path, form_fields(answer.text, "data-contact-form"), expect=(200, 302)
            )
        saved = CREATED.match(answer.location)
        if answer.status != 302 or not saved:
            problem = re.search(r"invalid-feedback[^>]*>\s*<strong>([^<]*)", answer.text)
            reason = problem.group(1) if problem else "form sent back"
            self.results.error(kind, answer.started, f"{path}: {reason}")
            raise Failed
        return int(saved.group(1))

    def log_in(self) -> None:
        page = self.browser.request("GET", "/login/")
        fields = form_fields(page.text)
        fields.update(username=f"load-{self.number}@kontor.test", password=PASSWORD)
        answer = self.browser.request("POST", "/login/", fields)
        if answer.status != 302:
            raise RuntimeError(f"login of load-{self.number} answered {answer.status}")

    def browse(self) -> None:
        choice = self.rng.random()
        if choice < 0.6:
            self.fetch("list", "/contacts/")
        elif choice < 0.85:
            self.fetch("list", f"/contacts/?page={self.rng.randint(2, 40)}")
        else:
            self.fetch("list", f"/contacts/?sort={self.rng.choice(['-changed', 'city', 'number'])}")

    def search(self) -> None:
        """Type a word; like the search box, ask after each pause of SEARCH_DELAY or more."""
        word = self.rng.choice(self.plan.words)[:8]
        answer = None
        for length in range(1, len(word) + 1):
            pause = self.rng.uniform(0.5, 1.5) * self.plan.keystroke
            if length < len(word) and pause < SEARCH_DELAY:
                self.stop.wait(pause)
                continue
            self.stop.wait(SEARCH_DELAY)
            query = {"q": word[:length], "role": "", "kind": "", "sort": "name"}
            answer = self.fetch("search", f"/contacts/?{urlencode(query)}", headers=HTMX)
            self.stop.wait(max(0.0, pause - SEARCH_DELAY))
        found = RESULT_LINK.findall(answer.text) if answer else []
        if found and self.rng.random() < 0.5:
            self.fetch("contact", f"/contacts/{self.rng.choice(found)}/")

    def show(self) -> None:
        self.fetch("contact", f"/contacts/{self.rng.choice(self.plan.contacts)}/")

    def create(self) -> None:
        from contacts_app.management import demo_contacts as demo

        page = self.fetch("new form", "/contacts/new/")
        fields = form_fields(page.text, "data-contact-form")
        self.created += 1
        rng, serial = self.rng, f"{self.number}-{self.created}"
        last, first = rng.choice(demo.LAST_NAMES), rng.choice(demo.FIRST_NAMES)
        city, postal_code, area = rng.choice(demo.GERMAN_CITIES)
        name = f"{last} {rng.choice(demo.TRADES)} {serial} GmbH"
        domain = f"{demo.ascii_slug(last)}-{serial}.de"
        role = rng.random()
        customer, supplier = role < 0.9, role >= 0.8
        fields.update(
            {
                "kind": "company",
                "company_name": name,
                "billing_street": f"{rng.choice(demo.STREETS)} {rng.randint(1, 99)}",
                "billing_postal_code": postal_code,
                "billing_city": city,
                "billing_country": "DE",
                "email_business": f"info@{domain}",
                "phone_business": f"0{area} {rng.randint(100000, 9999999)}",
                "persons-TOTAL_FORMS": "1",
                "persons-0-first_name": first,
                "persons-0-last_name": last,
                "persons-0-email": f"{demo.ascii_slug(first)}@{domain}",
                "persons-0-is_primary": "on",
                "profiles-TOTAL_FORMS": "1",
                "profiles-0-kind": "website",
                "profiles-0-value": f"https://www.{domain}",
            }
        )
        for role_field, wanted in (("is_customer", customer), ("is_supplier", supplier)):
            if wanted:
                fields[role_field] = "on"
            else:
                fields.pop(role_field, None)
        pk = self.submit("create", "/contacts/new/", fields)
        with self.results.lock:
            self.results.created.append((pk, name, customer, supplier))
        self.fetch("contact", f"/contacts/{pk}/")  # where the browser is redirected

    def edit(self) -> None:
        pk = self.rng.choice(self.editable)
        page = self.fetch("edit form", f"/contacts/{pk}/edit/")
        fields = form_fields(page.text, "data-contact-form")
        fields["billing_supplement"] = f"Gebäude {self.rng.randint(1, 9)}"
        self.submit("edit save", f"/contacts/{pk}/edit/", fields)
        self.fetch("contact", f"/contacts/{pk}/")

    def pause(self, mean: float) -> None:
        if mean > 0:
            self.stop.wait(self.rng.uniform(0.5 * mean, 1.5 * mean))

    def run(self) -> None:
        actions = [self.browse, self.search, self.show, self.create, self.edit]
        while not self.stop.is_set():
            action = self.rng.choices(actions, weights=self.plan.weights)[0]
            try:
                action()
            except Failed:
                pass
            except Exception as error:  # counted; the user carries on
                self.results.error("exception", time.perf_counter(), repr(error))
            self.pause(self.plan.think)


@dataclass
class Plan:
    """What the virtual users do: their mix of actions and how long they pause."""

    users: int
    contacts: list[int]
    editable: list[int]
    words: list[str]
    think: float
    keystroke: float
    weights: tuple[int, ...]  # list, search (letter by letter), contact page, create, edit


def drive(port: int, plan: Plan, *, warmup: float, duration: float) -> Results:
    results = Results()
    stop = threading.Event()
    users = [VirtualUser(n, port, results, stop, plan) for n in range(1, plan.users + 1)]
    for user in users:  # one at a time: a login hashes its password on purpose slowly
        user.log_in()
    results.start = time.perf_counter() + warmup
    results.end = results.start + duration
    for user in users:
        user.start()
    try:
        while time.perf_counter() < results.end:
            time.sleep(0.2)
    finally:
        stop.set()
        for user in users:
            user.join(timeout=70)
    return results


# --- API clients ---------------------------------------------------------------------------------


class ApiClient(threading.Thread):
    """A script with a key of its own, speaking JSON to /api/v1/contacts."""

    def __init__(self, number: int, port: int, token: str, results: Results, stop, plan) -> None:
        super().__init__(name=f"api-{number}", daemon=True)
        self.number, self.results, self.stop, self.plan = number, results, stop, plan
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Accept-Language": "de",
        }
        self.rng = random.Random(1000 + number)
        self.mine: list[str] = []  # ids of the contacts this client created, to change them
        self.next_page = (number - 1) * 10
        self.created = 0

    def call(self, kind: str, method: str, path: str, body=None, expect=(200,)) -> dict:
        import json

        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.results.add(kind, started, time.perf_counter() - started, repr(error))
            raise Failed from error
        seconds = time.perf_counter() - started
        if response.status not in expect:
            detail = text[:200].decode("utf-8", "replace")
            self.results.add(kind, started, seconds, f"{response.status} for {path}: {detail}")
            raise Failed
        self.results.add(kind, started, seconds)
        return json.loads(text) if text else {}

    def payload(self, name: str) -> dict:
        from contacts_app.management import demo_contacts as demo

        city, postal_code, area = self.rng.choice(demo.GERMAN_CITIES)
        last, first = self.rng.choice(demo.LAST_NAMES), self.rng.choice(demo.FIRST_NAMES)
        domain = f"{demo.ascii_slug(last)}-api-{self.number}-{self.created}.de"
        return {
            "roles": {"customer": {}},
            "company": {
                "name": name,
                "contactPersons": [
                    {"firstName": first, "lastName": last, "emailAddress": f"info@{domain}"}
                ],
            },
            "addresses": {
                "billing": [
                    {"street": "Hauptstr. 1", "zip": postal_code, "city": city, "countryCode": "DE"}
                ]
            },
            "emailAddresses": {"business": [f"kontakt@{domain}"]},
            "phoneNumbers": {"business": [f"0{area} {self.rng.randint(100000, 9999999)}"]},
        }

    def list_page(self) -> None:
        # Page after page, as a script syncing every contact does (past the 10,000th too).
        page, self.next_page = self.next_page, (self.next_page + 1) % 400
        self.call("api list", "GET", f"/api/v1/contacts?size=250&page={page}")

    def read(self) -> None:
        self.call("api read", "GET", f"/api/v1/contacts/{self.rng.choice(self.plan.contacts)}")

    def filter(self) -> None:
        word = self.rng.choice(self.plan.words)
        if len(word) < 3:
            word = f"{word}%%"
        self.call("api filter", "GET", f"/api/v1/contacts?{urlencode({'name': word[:8]})}")

    def create(self) -> None:
        self.created += 1
        name = f"API {self.number}-{self.created} GmbH"
        answer = self.call("api create", "POST", "/api/v1/contacts", self.payload(name), (201,))
        self.mine.append(answer["id"])
        pk = int(answer["id"].rsplit("-", 1)[1], 16)
        with self.results.lock:
            self.results.created.append((pk, name, True, False))

    def update(self) -> None:
        if not self.mine:
            return self.create()
        contact_id = self.rng.choice(self.mine)
        current = self.call("api read", "GET", f"/api/v1/contacts/{contact_id}")
        body = self.payload(current["company"]["name"])
        body["version"] = current["version"]
        body["industry"] = f"Handel {self.rng.randint(1, 99)}"
        self.call("api update", "PUT", f"/api/v1/contacts/{contact_id}", body)
        return None

    def run(self) -> None:
        actions = [self.list_page, self.read, self.filter, self.create, self.update]
        while not self.stop.is_set():
            action = self.rng.choices(actions, weights=(30, 30, 15, 15, 10))[0]
            try:
                action()
            except Failed:
                pass
            except Exception as error:  # counted; the client carries on
                self.results.error("exception", time.perf_counter(), repr(error))
            self.stop.wait(self.rng.uniform(0.5, 1.5) * self.plan.think)


def api_tokens(organization, clients: int) -> list[str]:
    """A key of its own for each API client, made by the first user (so a later run's
    clean-up removes what the clients created)."""
    from accounts.models import Role, User
    from api.keys import issue_key
    from api.models import ApiKey

    ApiKey.objects.filter(organization=organization).delete()
    author = User.objects.get(email="load-1@kontor.test")
    return [
        issue_key(organization=organization, name=f"load {n}", role=Role.MEMBER, by=author)[1]
        for n in range(1, clients + 1)
    ]


def drive_api(port: int, tokens: list[str], plan, *, warmup: float, duration: float) -> Results:
    results = Results()
    stop = threading.Event()
    clients = [
        ApiClient(n, port, token, results, stop, plan) for n, token in enumerate(tokens, start=1)
    ]
    results.start = time.perf_counter() + warmup
    results.end = results.start + duration
    for client in clients:
        client.start()
    try:
        while time.perf_counter() < results.end:
            time.sleep(0.2)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=70)
    return results


# --- Report ---------------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def report(results: Results, duration: float) -> bool:
    """Print the table; True when list and search met the latency goal without errors."""
    header = f"{'request':<12}{'count':>8}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'errors':>8}"
    print(header)
    print("-" * len(header))
    met = True
    seen = set(results.latencies) | set(results.errors)
    for kind in [*KINDS, *sorted(seen - set(KINDS))]:
        samples = results.latencies.get(kind, [])
        if not samples:
            if results.errors.get(kind):
                print(f"{kind:<12}{'':>36}{results.errors[kind]:>8}")
            continue
        median, slow = statistics.median(samples) * 1000, p95(samples) * 1000
        print(
            f"{kind:<12}{len(samples):>8,}{len(samples) / duration:>8.1f}{median:>11.0f}"
            f"{slow:>9.0f}{results.errors.get(kind, 0):>8}"
        )
        if kind in GOAL_KINDS and slow > GOAL_P95_MS:
            met = False
        if kind in API_KINDS and slow > API_GOAL_P95_MS:
            met = False
    total = sum(len(s) for s in results.latencies.values())
    errors = sum(results.errors.values())
    print(f"{'all':<12}{total:>8,}{total / duration:>8.1f}{'':>20}{errors:>8}")
    for example in results.examples:
        print(f"  error: {example}")
    if results.duplicate_warnings:
        print(f"Duplicate warnings confirmed with “Save anyway”: {results.duplicate_warnings}")
    return met and errors == 0


def verify(organization, created: list[tuple[int, str, bool, bool]]) -> bool:
    """Every created contact is there with a number per role; no number is held twice."""
    from django.db.models import Count

    from contacts_app.models import Contact

    stored = {
        c.pk: c
        for c in Contact.objects.filter(organization=organization, pk__in=[c[0] for c in created])
    }
    problems = []
    for pk, name, customer, supplier in created:
        contact = stored.get(pk)
        if contact is None or contact.company_name != name:
            problems.append(f"{name} (#{pk}) is missing")
        elif (customer and not contact.customer_number) or (
            supplier and not contact.supplier_number
        ):
            problems.append(f"{name} (#{pk}) has no number")
    for number in ("customer_number", "supplier_number"):
        twice = (
            Contact.objects.filter(organization=organization, **{f"{number}__isnull": False})
            .values(number)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        problems += [f"{number} {row[number]} is held {row['n']} times" for row in twice]
    print(
        f"Created contacts: {len(created):,}, all present with a number of their own: "
        + ("yes." if not problems else "NO.")
    )
    for problem in problems[:10]:
        print(f"  {problem}")
    return not problems


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring")
    parser.add_argument("--users", type=int, default=8, help="virtual users")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions (s)")
    parser.add_argument("--keystroke", type=float, default=0.3, help="pause between letters (s)")
    parser.add_argument(
        "--mix",
        type=lambda text: tuple(int(w) for w in text.split(",")),
        default=(25, 30, 25, 10, 10),
        help="weights of list, search, contact page, create, edit (default 25,30,25,10,10)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="take the database as it is")
    parser.add_argument("--fresh", action="store_true", help="drop the database and seed anew")
    parser.add_argument("--database", default=DATABASE_URL, help="PostgreSQL URL")
    parser.add_argument("--redis", default=REDIS_URL, help="Redis URL, '' for none")
    parser.add_argument("--api-clients", type=int, default=4, help="API clients, 0 for none")
    parser.add_argument(
        "--api-think",
        type=float,
        default=0.5,
        help="mean pause between API requests (s): about 2 a second, lexoffice's own limit",
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> bool:
    """Prepare, serve, drive, report and check; True when the goal is met."""
    create_database(args.database, fresh=args.fresh)
    redis_url = args.redis if args.redis and redis_answers(args.redis) else ""
    if args.redis and not redis_url:
        print(f"Redis does not answer at {args.redis}: sessions and cache in PostgreSQL.")
    env = server_environment(args.database, redis_url)
    setup_django(env)
    from django.db import connection

    organization = fill(args.contacts, args.users, top_up=not args.reuse)
    reset_numbers(organization)
    with connection.cursor() as cursor:
        # What autovacuum does in time: statistics, and a visibility map for index-only scans
        # (the API reads a page's contact persons and notes too: without statistics of their
        # tables PostgreSQL reads them whole for every page).
        for table in ("contacts_contact", "contacts_contactperson", "contacts_note"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    everyone, editable = pick_contacts(organization)
    plan = Plan(
        args.users, everyone, editable, search_words(), args.think, args.keystroke, args.mix
    )
    connection.close()
    print(
        f"\nLoad: {len(everyone):,} contacts on PostgreSQL, gunicorn with {args.workers} "
        f"workers, {args.users} users (think {args.think:g} s, keystroke {args.keystroke:g} s), "
        f"sessions in {'Redis' if redis_url else 'PostgreSQL'}, {args.duration:g} s measured "
        f"after {args.warmup:g} s warm-up; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} before the run (other processes share the machine)."
    )
    tokens = api_tokens(organization, args.api_clients)
    connection.close()
    with Gunicorn(env, args.workers) as server:
        results = drive(server.port, plan, warmup=args.warmup, duration=args.duration)
        if tokens:
            api_plan = Plan(len(tokens), everyone, [], search_words(), args.api_think, 0, (1,))
            api_results = drive_api(
                server.port, tokens, api_plan, warmup=args.warmup, duration=args.duration
            )
    fast = report(results, args.duration)
    complete = verify(organization, results.created)
    met = fast and complete
    if tokens:
        print(
            f"\nAPI: {len(tokens)} clients with a key each, pause {args.api_think:g} s between "
            f"requests, {args.duration:g} s measured after {args.warmup:g} s warm-up."
        )
        api_fast = report(api_results, args.duration)
        api_complete = verify(organization, api_results.created)
        print(
            f"API goal (no errors, p95 ≤ {API_GOAL_P95_MS:.0f} ms for every request): "
            + ("met." if api_fast and api_complete else "missed.")
        )
        met = met and api_fast and api_complete
    print(
        f"Goal (no errors, p95 ≤ {GOAL_P95_MS:.0f} ms for list and search, every created "
        f"contact present with a unique number): {'met' if met else 'missed'}."
    )
    if sum(results.errors.values()):
        print(f"Server log: {LOG_FILE}")
    return met


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        return 0 if run(args) else 1
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
