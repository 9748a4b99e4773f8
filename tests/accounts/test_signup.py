"""Sign-up: the first account of an installation at once, every later one by e-mailed link.

The answer is "check your e-mail" for every address; only the e-mail differs (a link to
confirm, or for an address with an account, links to log in and to reset the password).
"""

import hashlib
import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import signups
from accounts.models import AuditEvent, Membership, Organization, PendingSignUp, Role, User
from tests.conftest import PASSWORD, make_user

from .conftest import SIGNUP_LINK, clock_moved_by, signup_link_in

pytestmark = pytest.mark.django_db

CHECK_INBOX = "We have sent an e-mail to the address you entered."
CONSOLE_HINT = "the e-mail was printed in the terminal where Kontor runs"


def signup_data(**overrides) -> dict:
    return {
        "first_name": "Erika",
        "last_name": "Muster",
        "email": "erika@muster.test",
        "organization_name": "Muster & Söhne KG",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def sign_up(client: Client, **overrides):
    return client.post("/signup/", signup_data(**overrides), HTTP_ACCEPT_LANGUAGE="en")


def confirm(client: Client, password: str = PASSWORD):
    return client.post(
        "/signup/confirm/", {"password": password}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )


@pytest.fixture
def installed(db) -> User:
    """Someone has an account already: the installation is past its first sign-up."""
    return make_user("installer@kontor.test", "Ina", "Installer")


def test_it_shows_the_signup_form(client):
    response = client.get("/signup/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    for label in ["First name", "Last name", "E-mail address", "Company or organization"]:
        assert label in response.text


class TestFirstRun:
    """With no user at all yet, the first sign-up is the installer's: made and logged in at
    once."""

    def test_it_creates_user_organization_and_admin_membership(self, client):
        response = sign_up(client)

        assert response.status_code == 302
        assert response["Location"] == "/contacts/"
        user = User.objects.get(email="erika@muster.test")
        assert user.get_full_name() == "Erika Muster"
        assert user.check_password(PASSWORD)
        organization = Organization.objects.get(name="Muster & Söhne KG")
        assert organization.slug == "muster-sohne-kg"
        membership = Membership.objects.get(user=user)
        assert membership.organization == organization
        assert membership.role == Role.ADMIN
        assert organization.audit_events.filter(action=AuditEvent.Action.CREATED).count() == 1
        assert mail.outbox == []
        assert not PendingSignUp.objects.exists()

    def test_it_logs_the_new_user_in_and_welcomes_them(self, client):
        response = client.post("/signup/", signup_data(), HTTP_ACCEPT_LANGUAGE="en", follow=True)

        assert response.redirect_chain == [("/contacts/", 302)]
        assert "Welcome to Kontor! Your organization is ready." in response.text
        assert response.wsgi_request.user.email == "erika@muster.test"
        assert response.wsgi_request.organization.name == "Muster & Söhne KG"

    def test_it_gives_organizations_with_the_same_name_distinct_slugs(self, client, acme):
        sign_up(client, organization_name="Acme")

        assert Organization.objects.get(name="Acme").slug == "acme-2"

    def test_the_second_sign_up_waits_for_its_link(self, client):
        sign_up(client)

        response = sign_up(Client(), email="max@muster.test")

        assert response["Location"] == "/signup/sent/"
        assert not User.objects.filter(email="max@muster.test").exists()


class TestConfirmation:
    def test_it_answers_check_your_inbox_and_makes_no_account_yet(self, client, installed):
        response = sign_up(client)

        assert response.status_code == 302
        assert response["Location"] == "/signup/sent/"
        page = client.get("/signup/sent/", HTTP_ACCEPT_LANGUAGE="en")
        assert "Check your e-mail" in page.text
        assert CHECK_INBOX in page.text
        assert "the link works for 2 days" in page.text
        assert not User.objects.filter(email="erika@muster.test").exists()
        assert not Organization.objects.filter(name="Muster & Söhne KG").exists()
        assert "_auth_user_id" not in client.session

    def test_it_mails_a_link_built_from_site_url(self, client, installed, settings):
        settings.ALLOWED_HOSTS = ["*"]

        client.post("/signup/", signup_data(), HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="evil.example")

        [message] = mail.outbox
        assert message.to == ["erika@muster.test"]
        assert message.subject == "Confirm your Kontor account"
        assert SIGNUP_LINK.search(message.body)
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert SIGNUP_LINK.search(html)
        assert "evil.example" not in message.body + html
        assert "expires in 2 days" in message.body

    def test_nothing_typed_into_the_form_goes_into_the_e_mail(self, client, installed):
        sign_up(client, first_name="Cheap", last_name="Pills", organization_name="pills.example")

        [message] = mail.outbox
        text = message.body + message.alternatives[0].content
        for typed in ["Cheap", "Pills", "pills.example"]:
            assert typed not in text

    def test_only_hashes_of_the_password_and_the_token_are_stored(self, client, installed):
        sign_up(client)

        token = SIGNUP_LINK.search(mail.outbox[0].body).group("token")
        pending = PendingSignUp.objects.get()
        assert pending.email_canonical == "erika@muster.test"
        assert pending.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert pending.password != PASSWORD
        stored = [str(value) for value in PendingSignUp.objects.values().get().values()]
        assert not any(token in value or PASSWORD in value for value in stored)

    def test_the_link_moves_the_token_out_of_the_address_bar(self, client, installed):
        sign_up(client)

        response = client.get(signup_link_in(mail.outbox[0]))

        assert response.status_code == 302
        assert response["Location"] == "/signup/confirm/"

    def test_opening_the_link_changes_nothing(self, client, installed):
        sign_up(client)
        link = signup_link_in(mail.outbox[0])

        Client().get(link, follow=True)  # e.g. a mail scanner, before the person does
        page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")

        assert page.status_code == 200
        assert not User.objects.filter(email="erika@muster.test").exists()
        assert PendingSignUp.objects.get().confirmed_at is None
        assert "Confirm your account" in page.text
        for shown in ["Erika Muster", "erika@muster.test", "Muster &amp; Söhne KG"]:
            assert shown in page.text

    def test_confirming_makes_the_account_and_logs_in(self, client, installed):
        sign_up(client)
        client.get(signup_link_in(mail.outbox[0]))

        response = confirm(client)

        assert response.redirect_chain == [("/contacts/", 302)]
        assert "Welcome to Kontor! Your organization is ready." in response.text
        user = User.objects.get(email="erika@muster.test")
        assert response.wsgi_request.user == user
        assert user.get_full_name() == "Erika Muster"
        assert user.check_password(PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.organization.name == "Muster & Söhne KG"
        assert membership.role == Role.ADMIN
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATED, organization=membership.organization
        ).exists()
        assert PendingSignUp.objects.get().password == ""

    def test_confirming_in_another_browser_works_too(self, client, installed):
        sign_up(client)
        phone = Client()
        phone.get(signup_link_in(mail.outbox[0]))

        response = confirm(phone)

        assert response.wsgi_request.user.email == "erika@muster.test"

    def test_it_asks_for_the_password_chosen_at_sign_up(self, client, installed):
        sign_up(client)
        client.get(signup_link_in(mail.outbox[0]))

        response = confirm(client, password="somebody else's guess")

        assert response.status_code == 200
        assert "This is not the password you chose when you signed up." in response.text
        assert not User.objects.filter(email="erika@muster.test").exists()

    def test_the_link_works_only_once(self, client, installed):
        sign_up(client)
        link = signup_link_in(mail.outbox[0])
        client.get(link)
        confirm(client)

        again = Client().get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        second_post = confirm(client)

        assert again.status_code == 410
        assert "This link has already been used" in again.text
        assert "Your account exists: just log in." in again.text
        assert second_post.status_code == 404
        assert User.objects.filter(email="erika@muster.test").count() == 1
        assert Organization.objects.filter(name="Muster & Söhne KG").count() == 1

    def test_an_expired_link_gets_a_clear_page(self, client, installed):
        sign_up(client)
        link = signup_link_in(mail.outbox[0])

        with clock_moved_by(days=2, minutes=1):
            page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
            response = confirm(client)

        assert page.status_code == 410
        assert "This link has expired" in page.text
        assert 'href="/signup/"' in page.text
        assert response.status_code == 410
        assert not User.objects.filter(email="erika@muster.test").exists()

    def test_a_day_later_the_link_still_works(self, client, installed):
        sign_up(client)
        client.get(signup_link_in(mail.outbox[0]))

        with clock_moved_by(days=1):
            response = confirm(client)

        assert response.redirect_chain == [("/contacts/", 302)]

    @pytest.mark.parametrize("token", ["", "x" * 43, "x" * 500])
    def test_a_wrong_link_gets_a_clear_page(self, client, installed, token):
        page = client.get(f"/signup/confirm/?token={token}", follow=True, HTTP_ACCEPT_LANGUAGE="en")

        assert page.status_code == 404
        assert "This link is not valid" in page.text

    def test_without_a_link_the_page_says_so(self, client, installed):
        response = client.post("/signup/confirm/", {"password": PASSWORD})

        assert response.status_code == 404
        assert not User.objects.filter(email="erika@muster.test").exists()

    def test_expired_sign_ups_are_cleared_by_later_ones(self, client, installed):
        sign_up(client)

        with clock_moved_by(days=3):
            sign_up(Client(), email="max@muster.test")

        assert list(PendingSignUp.objects.values_list("email", flat=True)) == ["max@muster.test"]


class TestAddressWithAnAccount:
    def test_it_gets_the_same_answer_and_an_e_mail_saying_so(self, client, alice):
        response = sign_up(client, email="ALICE@Acme.TEST")

        assert response.status_code == 302
        assert response["Location"] == "/signup/sent/"
        [message] = mail.outbox
        assert message.to == ["alice@acme.test"]
        assert message.subject == "You already have a Kontor account"
        assert "already has an account. No second account was created." in message.body
        assert "https://kontor.test/login/" in message.body
        assert "https://kontor.test/password/reset/" in message.body
        assert not SIGNUP_LINK.search(message.body + message.alternatives[0].content)
        assert User.objects.filter(email_canonical="alice@acme.test").count() == 1
        assert not Organization.objects.filter(name="Muster & Söhne KG").exists()
        alice.refresh_from_db()
        assert alice.check_password(PASSWORD)

    def test_both_answers_are_the_same_page(self, alice):
        known, unknown = Client(), Client()
        known_response = sign_up(known, email="alice@acme.test")
        unknown_response = sign_up(unknown, email="nobody@acme.test")

        assert known_response.status_code == unknown_response.status_code == 302
        assert known_response["Location"] == unknown_response["Location"]
        known_page = known.get("/signup/sent/", HTTP_ACCEPT_LANGUAGE="en")
        unknown_page = unknown.get("/signup/sent/", HTTP_ACCEPT_LANGUAGE="en")
        # Apart from the CSRF token, which is masked anew for every page.
        masked = re.compile(r"[A-Za-z0-9]{64}")
        assert masked.sub("", known_page.text) == masked.sub("", unknown_page.text)
        assert CHECK_INBOX in known_page.text

    def test_both_answers_do_the_same_work(self, alice):
        """The same statements in the same order, one password hashed, one e-mail sent: so
        the time the answer takes does not tell either."""

        def work(email: str) -> tuple[list[str], int, int]:
            sent_before = len(mail.outbox)
            with (
                mock.patch.object(signups, "make_password", wraps=make_password) as hashing,
                CaptureQueriesContext(connection) as queries,
            ):
                sign_up(Client(), email=email)
            statements = [shape(query["sql"]) for query in queries.captured_queries]
            return statements, hashing.call_count, len(mail.outbox) - sent_before

        known = work("alice@acme.test")
        unknown = work("nobody@acme.test")

        assert known == unknown
        assert known[1:] == (1, 1)
        assert any(s.startswith('INSERT INTO "accounts_pendingsignup"') for s in known[0])

    def test_a_second_account_is_never_made_when_the_link_is_used_later(self, client, installed):
        sign_up(client)
        client.get(signup_link_in(mail.outbox[0]))
        make_user("erika@muster.test", "Erika", "Invited")  # e.g. joined through an invitation

        page = confirm(client)

        assert page.status_code == 410
        assert "This address already has an account" in page.text
        assert User.objects.filter(email_canonical="erika@muster.test").count() == 1
        assert not Organization.objects.filter(name="Muster & Söhne KG").exists()

    def test_the_address_is_checked_again_when_the_account_is_made(self, client, installed):
        """The page's check passed; the account appeared before the transaction ran."""
        sign_up(client, email="Erika@Muster.test")
        client.get(signup_link_in(mail.outbox[0]))
        pending = PendingSignUp.objects.get()
        make_user("erika@muster.test", "Erika", "Invited")

        with mock.patch.object(signups, "find_pending_sign_up", return_value=pending):
            page = confirm(client)

        assert page.status_code == 410
        assert "This address already has an account" in page.text
        assert User.objects.filter(email_canonical="erika@muster.test").count() == 1
        assert not Organization.objects.filter(name="Muster & Söhne KG").exists()
        assert PendingSignUp.objects.get().confirmed_at is None


def shape(sql: str) -> str:
    """A statement without its values (and savepoint names)."""
    sql = re.sub(r'"s\d+_x\d+"', '"savepoint"', sql)
    return re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b", "?", sql)


class TestLimits:
    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.MAIL_LIMIT_PER_ADDRESS = 3
        settings.MAIL_LIMIT_PER_CLIENT = 10

    def test_a_fourth_sign_up_of_one_address_within_the_hour_sends_nothing(self, installed):
        for n in range(4):
            response = Client().post("/signup/", signup_data(), REMOTE_ADDR=f"10.0.0.{n}")
            assert response["Location"] == "/signup/sent/"

        assert len(mail.outbox) == 3

    def test_sign_up_and_password_reset_share_the_limit(self, alice):
        for _ in range(2):
            Client().post("/password/reset/", {"email": "alice@acme.test"})
        sign_up(Client(), email="alice@acme.test")
        sign_up(Client(), email="alice@acme.test")

        assert len(mail.outbox) == 3


def test_in_development_the_page_says_where_the_e_mail_went(client, installed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    sent = client.get("/signup/sent/", HTTP_ACCEPT_LANGUAGE="en")
    reset = client.get("/password/reset/sent/", HTTP_ACCEPT_LANGUAGE="en")

    assert CONSOLE_HINT in sent.text
    assert CONSOLE_HINT in reset.text


def test_with_real_e_mail_the_page_says_nothing_of_a_terminal(client, installed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

    assert "terminal" not in client.get("/signup/sent/", HTTP_ACCEPT_LANGUAGE="en").text


def test_the_pages_and_the_e_mail_speak_german(client, installed):
    client.post("/signup/", signup_data(), HTTP_ACCEPT_LANGUAGE="de")
    sent = client.get("/signup/sent/", HTTP_ACCEPT_LANGUAGE="de")
    client.get(signup_link_in(mail.outbox[0]))
    page = client.get("/signup/confirm/", HTTP_ACCEPT_LANGUAGE="de")

    assert "Wir haben eine E-Mail an die eingegebene Adresse geschickt." in sent.text
    assert mail.outbox[0].subject == "Bestätigen Sie Ihr Kontor-Konto"
    assert "Konto bestätigen" in page.text


def test_it_rejects_differing_passwords(client):
    response = sign_up(client, password2=PASSWORD + "!")

    assert response.status_code == 200
    assert "The two passwords differ." in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kurz1", "This password is too short. It must contain at least 8 characters."),
        ("84736251904", "This password is entirely numeric."),
        ("password123", "This password is too common."),
        ("erika.muster", "The password is too similar to the"),
    ],
)
def test_it_applies_the_password_validators(client, password, message):
    response = sign_up(client, password1=password, password2=password)

    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.exists()


def test_it_requires_every_field(client):
    empty = dict.fromkeys(signup_data(), "")
    response = client.post("/signup/", empty, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.text.count("This field is required.") == 6


def test_it_answers_404_when_signup_is_closed(client, settings, installed):
    sign_up(client)
    client.get(signup_link_in(mail.outbox[0]))
    settings.SIGNUP_OPEN = False

    assert client.get("/signup/").status_code == 404
    assert client.post("/signup/", signup_data(email="max@muster.test")).status_code == 404
    assert client.get("/signup/sent/").status_code == 404
    assert client.get("/signup/confirm/").status_code == 404
    assert client.post("/signup/confirm/", {"password": PASSWORD}).status_code == 404
    assert User.objects.count() == 1


def test_with_signup_closed_the_first_visit_leads_to_login(client, settings):
    settings.SIGNUP_OPEN = False

    response = client.get("/")
    assert response["Location"] == "/login/"
    login_page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Create an account" not in login_page.text


def test_the_login_page_offers_signup_when_open(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'href="/signup/"' in response.text


def test_a_logged_in_user_is_sent_on_to_the_contacts(alice_client):
    response = alice_client.get("/signup/")

    assert response.status_code == 302
    assert response["Location"] == "/contacts/"


def test_the_login_accepts_the_address_in_any_case(client, alice):
    response = client.post("/login/", {"username": "Alice@ACME.test", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/contacts/"


def test_the_database_refuses_a_second_account_differing_only_in_case(alice):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("Alice@acme.test", PASSWORD)
