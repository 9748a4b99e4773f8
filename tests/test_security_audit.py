"""Every URL of the project that names an object, walked as an outsider and as a viewer.

charlie (another organization) must get 404 for GET and POST, also where a URL only takes POST;
vera (a viewer of the owning organization) must never change anything with a POST. A URL added
later that takes an argument this audit does not know fails here until `acme_objects` knows it.

The API's URLs (namespace "api") answer API keys, never a session: they are walked with
charlie's key (404), vera's read-only key (403 for every write) and no key at all (401).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Invitation, Membership, Role
from accounts.services import invite
from api.keys import issue_key
from api.models import Webhook, WebhookDelivery
from carddav.models import AppPassword
from contacts_app.models import Contact, Note, Tag
from contacts_app.services import add_note, create_contact, trash_contact, update_contact
from contacts_app.tags import create_tag
from history.models import Change
from importer.models import ImportRun
from products.models import Product
from products.services import create_product, trash_product, update_product

SKIPPED_NAMESPACES = {"admin"}
# CardDAV's resources: HTTP Basic with an app password on every request, never the session
# cookie (so CSRF, which guards cookies, does not apply). Audited below with Basic credentials.
DAV_URLS = {"carddav:root", "carddav:principal", "carddav:home", "carddav:book", "carddav:card"}
DAV_OBJECT_URLS = {"carddav:book", "carddav:card"}
# Answers every method with the same redirect to the service, changing nothing.
DAV_REDIRECT = "carddav_well_known"
# Objects of a person, not of the organization: another member of it gets 404 as a stranger.
PERSONAL = {"carddav:device_revoke"}
# Key-authenticated: walked with API keys (see the module's docstring).
API_NAMESPACE = "api"
# The API's pages anyone may read: a description of the API, no data.
API_PUBLIC = {"api:schema", "api:docs"}
API_WRITES = ("post", "put", "patch", "delete")
# Patterns whose arguments are not objects of an organization.
NOT_OBJECTS = {
    "accounts:invitation_open",  # a token: covered by the invitation tests
    "accounts:password_reset_confirm",  # uid and token: covered by the password reset tests
    "importer:upload",  # the import target, not an object
    "importer:template",
    "importer:reference",
    "set_language",
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry


def object_patterns():
    for name, route, pattern in walk(get_resolver()):
        if pattern.pattern.converters and name not in NOT_OBJECTS | DAV_URLS:
            yield name, route, list(pattern.pattern.converters)


@pytest.fixture
def acme_objects(acme, alice, bob, vera):
    contact = create_contact(
        organization=acme, by=alice, data={"kind": "company", "company_name": "Geheim GmbH"}
    )
    note = add_note(contact=contact, text="Vertraulich", by=alice)
    contact = update_contact(
        contact=contact,
        data={"company_name": "Geheim GmbH", "vat_id": ""},
        by=alice,
        expected_version=contact.version,
    )
    change = Change.objects.filter(kind="contact", object_id=contact.pk).earliest("id")
    tag = create_tag(organization=acme, name="Geheimsache")
    invitation, _token = invite(
        organization=acme,
        by=alice,
        email="new@acme.test",
        name="",
        role="member",
        language="en",
    )
    product = create_product(
        organization=acme,
        by=alice,
        data={"name": "Geheimprodukt", "unit": "Stück", "tax_rate": 19, "price": 1},
    )
    update_product(product=product, data={"name": "Geheimprodukt 2"}, by=alice)
    product_change = Change.objects.filter(kind="product", object_id=product.pk).earliest("id")
    trashed_contact = create_contact(
        organization=acme, by=alice, data={"kind": "company", "company_name": "Papierkorb GmbH"}
    )
    trash_contact(contact=trashed_contact, by=alice)
    trashed_product = create_product(
        organization=acme,
        by=alice,
        data={"name": "Papierkorbprodukt", "unit": "Stück", "tax_rate": 19, "price": 1},
    )
    trash_product(product=trashed_product, by=alice)
    key, _token = issue_key(organization=acme, name="Geheimer Shop", role=Role.MEMBER, by=alice)
    hook = Webhook.objects.create(
        organization=acme, url="https://hooks.example/kontor", events=["contact.created"]
    )
    delivery = WebhookDelivery.objects.create(webhook=hook, event="contact.created", payload="{}")
    run = ImportRun.objects.create(
        organization=acme,
        target="customers",
        file_name="secret.csv",
        file_data=b"Firmenname\nGeheim AG\n",
        mapping=["company_name"],
    )
    device = AppPassword(user=bob, name="Bob's phone")
    device.issue()
    device.save()
    return {
        "carddav": {"pk": device.pk, "slug": acme.slug, "name": f"kontor-contact-{contact.pk}.vcf"},
        "contacts": {
            "pk": contact.pk,
            "note_pk": note.pk,
            "change_pk": change.pk,
            "tag_pk": tag.pk,
        },
        "products": {"pk": product.pk, "change_pk": product_change.pk},
        "trash": {"contact_pk": trashed_contact.pk, "product_pk": trashed_product.pk},
        "importer": {"pk": run.pk},
        "accounts:invitation": {"pk": invitation.pk},
        "accounts:member": {"pk": Membership.objects.get(user=bob).pk},
        "api:contact": {"id": str(contact.pk)},
        "api:article": {"id": str(product.pk)},
        "api_settings:key": {"pk": key.pk},
        "api_settings:webhook": {"pk": hook.pk, "delivery_pk": delivery.pk},
    }


def kwargs_for(name: str, arguments: list[str], objects: dict) -> dict:
    namespace = name.split(":")[0]
    key = namespace
    if namespace == "accounts":
        key = "accounts:invitation" if "invitation" in name else "accounts:member"
    elif namespace == API_NAMESPACE:
        key = name
    elif namespace == "api_settings":
        key = "api_settings:key" if name.startswith("api_settings:key") else "api_settings:webhook"
    known = objects.get(key)
    assert known is not None and set(arguments) <= set(known), (
        f"The security audit does not know the URL {name} with {arguments}: add it to "
        "tests/test_security_audit.py"
    )
    return {a: known[a] for a in arguments}


def test_the_audit_covers_the_object_urls():
    names = {name for name, _route, _args in object_patterns()}
    assert {
        "contacts:detail",
        "contacts:note_delete",
        "products:edit",
        "products:restore_version",
        "trash:contact_restore",
        "trash:product_delete",
        "importer:undo",
        "accounts:member_remove",
        "accounts:invitation_revoke",
    } <= names


def key_client(organization, user, role: str):
    from django.test import Client

    _key, token = issue_key(organization=organization, name="audit", role=role, by=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def is_api(name: str) -> bool:
    return name.split(":")[0] == API_NAMESPACE


def test_another_organization_gets_404_on_every_object_url(
    charlie_client, charlie, globex, acme_objects
):
    from django.urls import reverse

    charlie_key = key_client(globex, charlie, Role.MEMBER)
    for name, _route, arguments in object_patterns():
        url = reverse(name, kwargs=kwargs_for(name, arguments, acme_objects))
        if is_api(name):
            for method in ("get", *API_WRITES):
                status = getattr(charlie_key, method)(url, content_type="application/json")
                assert status.status_code == 404, f"{method.upper()} {url} with another's key"
            continue
        # Also where only POST is allowed: a 405 would tell that the object exists somewhere.
        assert charlie_client.get(url).status_code == 404, f"GET {url}"
        assert charlie_client.post(url).status_code == 404, f"POST {url}"
    assert Contact.objects.filter(company_name="Geheim GmbH", archived=False).exists()
    assert Note.objects.filter(text="Vertraulich").exists()
    assert Tag.objects.filter(name="Geheimsache").exists()
    assert Invitation.objects.pending().filter(email="new@acme.test").exists()
    assert ImportRun.objects.get().status == "draft"
    assert_trash_untouched()


def assert_trash_untouched() -> None:
    assert Contact.all_objects.trashed().filter(company_name="Papierkorb GmbH").exists()
    assert Product.all_objects.trashed().filter(name="Papierkorbprodukt").exists()
    assert Product.objects.get(name="Geheimprodukt 2")


POST_ONLY = {
    "carddav:device_revoke",
    "contacts:archive",
    "contacts:unarchive",
    "contacts:note_add",
    "contacts:note_delete",
    "contacts:restore_version",
    "products:archive",
    "products:unarchive",
    "products:restore_version",
    "trash:contact_restore",
    "trash:product_restore",
    "importer:reading",
    "importer:choices",
    "importer:confirm",
    "importer:undo",
    "importer:discard",
    "accounts:invitation_resend",
    "accounts:invitation_revoke",
    "accounts:member_role",
    "accounts:member_remove",
    "api_settings:key_revoke",
    "api_settings:delivery_send_again",
}


def test_the_own_organization_is_told_that_only_post_is_allowed(bob_client, acme_objects):
    from django.urls import reverse

    patterns = {name: arguments for name, _route, arguments in object_patterns()}
    assert POST_ONLY.issubset(patterns)
    for name in sorted(POST_ONLY):
        url = reverse(name, kwargs=kwargs_for(name, patterns[name], acme_objects))
        response = bob_client.get(url)
        assert response.status_code == 405, f"GET {url}"
        assert response["Allow"] == "POST", f"GET {url}"
    assert Contact.objects.filter(company_name="Geheim GmbH", archived=False).exists()
    assert Note.objects.filter(text="Vertraulich").exists()
    assert ImportRun.objects.get().status == "draft"


def test_a_viewer_changes_nothing_with_a_post(vera_client, vera, acme, acme_objects):
    from django.urls import reverse

    vera_key = key_client(acme, vera, Role.VIEWER)
    for name, _route, arguments in object_patterns():
        url = reverse(name, kwargs=kwargs_for(name, arguments, acme_objects))
        if is_api(name):
            for method in API_WRITES:
                status = getattr(vera_key, method)(url, content_type="application/json")
                assert status.status_code == 403, f"{method.upper()} {url} with a viewer's key"
            continue
        status = vera_client.post(url).status_code
        allowed = (403, 404, 405) if name in PERSONAL else (403, 405)
        assert status in allowed, f"POST {url} answered {status}"
    assert Contact.objects.filter(company_name="Geheim GmbH", archived=False).exists()
    assert Note.objects.filter(text="Vertraulich").exists()
    assert Membership.objects.count() == 3
    assert Tag.objects.filter(name="Geheimsache").exists()
    assert ImportRun.objects.get().status == "draft"
    assert_trash_untouched()


def test_csrf_is_enforced_on_forms(acme, alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/contacts/new/", {"kind": "company", "company_name": "X"})
    assert response.status_code == 403
    assert not Contact.objects.filter(company_name="X").exists()


def test_pages_carry_security_headers(alice_client):
    response = alice_client.get("/contacts/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


SAMPLE_ARGUMENTS = {
    "accounts:invitation_open": {"token": "t" * 43},
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "carddav:device_revoke": {"pk": 1},
    "importer:upload": {"target": "customers"},
    "importer:template": {"target": "customers"},
    "importer:reference": {"target": "customers"},
}


def every_url(objects: dict, *, dav: bool = True):
    from django.urls import reverse

    for name, route, pattern in walk(get_resolver()):
        assert name, f"The URL {route} has no name: the audit cannot check it"
        if not dav and (name in DAV_URLS or name == DAV_REDIRECT):
            continue
        arguments = list(pattern.pattern.converters)
        if not arguments:
            yield reverse(name)
        elif name in SAMPLE_ARGUMENTS:
            yield reverse(name, kwargs=SAMPLE_ARGUMENTS[name])
        else:
            yield reverse(name, kwargs=kwargs_for(name, arguments, objects))


def test_every_form_of_the_project_needs_the_csrf_token(alice, acme_objects):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    urls = list(every_url(acme_objects, dav=False))
    assert len(urls) > 40
    api_urls = [url for url in urls if url.startswith("/api/")]
    assert api_urls
    for url in urls:
        response = client.post(url, {"kind": "company", "company_name": "X", "email": "x@y.de"})
        if url in api_urls:
            # Key-authenticated: the session cookie lets nobody in, so there is no CSRF to do.
            assert response.status_code in (401, 405), f"POST {url} with only a session"
            continue
        assert response.status_code == 403, f"POST {url} without a CSRF token"
        assert b"CSRF" in response.content, f"POST {url} was refused, but not for its CSRF token"
    anonymous = Client(enforce_csrf_checks=True)
    for url in urls:
        expected = (401, 405) if url in api_urls else (403,)
        assert anonymous.post(url).status_code in expected, f"POST {url} without a CSRF token"
    assert not Contact.objects.filter(company_name="X").exists()


def test_every_api_url_asks_for_a_key(alice_client, acme_objects):
    """No key, a session, or a wrong key: 401 for every method of every API URL that has data."""
    from django.test import Client
    from django.urls import reverse

    api_urls = []
    for name, _route, pattern in walk(get_resolver()):
        if not is_api(name) or name in API_PUBLIC:
            continue
        arguments = list(pattern.pattern.converters)
        kwargs = kwargs_for(name, arguments, acme_objects) if arguments else {}
        api_urls.append(reverse(name, kwargs=kwargs))
    assert {"/api/v1/contacts", "/api/v1/articles"} <= set(api_urls)
    wrong_key = Client(HTTP_AUTHORIZATION="Bearer kontor_000000000000_not-a-key")
    for url in api_urls:
        for client in (Client(), alice_client, wrong_key):
            for method in ("get", *API_WRITES):
                response = getattr(client, method)(url, content_type="application/json")
                assert response.status_code == 401, f"{method.upper()} {url} without a key"
                assert response["WWW-Authenticate"].startswith("Bearer")
    assert Contact.objects.filter(company_name="Geheim GmbH", deleted_at__isnull=True).exists()


# --- CardDAV: Basic authentication, never the session ---------------------------------------

DAV_METHODS = ("GET", "POST", "PROPFIND", "REPORT", "PUT", "DELETE")


def dav_urls(objects: dict):
    from django.urls import reverse

    for name, _route, pattern in walk(get_resolver()):
        if name in DAV_URLS:
            arguments = list(pattern.pattern.converters)
            kwargs = kwargs_for(name, arguments, objects) if arguments else {}
            yield name, reverse(name, kwargs=kwargs)


def test_the_carddav_redirect_only_redirects(alice_client):
    from django.urls import reverse

    for method in DAV_METHODS:
        response = alice_client.generic(method, reverse(DAV_REDIRECT))
        assert (response.status_code, response["Location"]) == (301, "/dav/"), method


def test_the_audit_knows_every_carddav_resource():
    names = {name for name, _route, _pattern in walk(get_resolver()) if name.startswith("carddav:")}
    views = {
        n
        for n in names
        if n not in {"carddav:devices", "carddav:device_create", "carddav:device_revoke"}
    }
    assert views == DAV_URLS


def test_the_session_cookie_opens_no_carddav_resource(alice, acme_objects):
    """What CSRF protection guards against cannot happen here: a cookie alone gets 401."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for _name, url in dav_urls(acme_objects):
        for method in DAV_METHODS:
            response = client.generic(method, url, b"", content_type="text/vcard")
            assert response.status_code == 401, f"{method} {url} with the session cookie"
    assert Contact.objects.filter(company_name="Geheim GmbH", archived=False).exists()


def test_another_organization_gets_404_on_every_carddav_object(charlie, acme_objects):
    import base64

    from django.test import Client

    device = AppPassword(user=charlie, name="Charlie's phone")
    password = device.issue()
    device.save()
    token = base64.b64encode(f"{charlie.email}:{password}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=f"Basic {token}")
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nN:X;;;;\r\nEND:VCARD\r\n"
    for name, url in dav_urls(acme_objects):
        if name not in DAV_OBJECT_URLS:
            continue
        for method in DAV_METHODS:
            if method == "POST":
                continue  # no DAV resource answers POST: 405 for everyone, before any lookup
            response = client.generic(method, url, card.encode(), content_type="text/vcard")
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
    assert Contact.objects.filter(company_name="Geheim GmbH", archived=False).exists()


# The exports name no object: each is the organization's own records, which viewers may read.
EXPORTS = {
    "importer:export_contacts",
    "importer:export_contacts_xlsx",
    "importer:export_products",
    "importer:export_products_xlsx",
}


def test_exports_are_read_by_viewers_and_hold_only_the_own_organizations_records(
    vera_client, charlie_client, acme_objects
):
    from django.urls import reverse

    from tests.workbooks import read_workbook

    names = {name for name, _route, _pattern in walk(get_resolver())}
    assert {n for n in names if n.startswith("importer:export")} == EXPORTS
    for name in sorted(EXPORTS):
        url = reverse(name)
        own = vera_client.get(url)
        assert own.status_code == 200, f"GET {url} as a viewer"
        assert vera_client.post(url).status_code == 405, f"POST {url} as a viewer"
        foreign = charlie_client.get(url)
        assert foreign.status_code == 200, f"GET {url} of another organization"
        if url.endswith(".xlsx"):
            own_text, foreign_text = (str(read_workbook(r.content).rows) for r in (own, foreign))
        else:
            own_text, foreign_text = (r.content.decode("utf-8-sig") for r in (own, foreign))
        assert "Geheim" in own_text, url
        assert "Geheim" not in foreign_text, url
    # The bulk bar's export hands the selection on; as every bulk action it is for members.
    assert vera_client.post(reverse("contacts:bulk_export"), {"format": "xlsx"}).status_code == 403
