import pytest

from accounts.models import AuditEvent, Membership, Organization, Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


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


def test_it_shows_the_signup_form(client):
    response = client.get("/signup/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    for label in ["First name", "Last name", "E-mail address", "Company or organization"]:
        assert label in response.text


def test_it_creates_user_organization_and_admin_membership(client):
    response = client.post("/signup/", signup_data(), HTTP_ACCEPT_LANGUAGE="en")

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


def test_it_logs_the_new_user_in_and_welcomes_them(client):
    response = client.post("/signup/", signup_data(), HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert response.redirect_chain == [("/contacts/", 302)]
    assert "Welcome to Kontor! Your organization is ready." in response.text
    assert response.wsgi_request.user.email == "erika@muster.test"
    assert response.wsgi_request.organization.name == "Muster & Söhne KG"


def test_it_gives_organizations_with_the_same_name_distinct_slugs(client, acme):
    client.post("/signup/", signup_data(organization_name="Acme"))

    assert Organization.objects.get(name="Acme").slug == "acme-2"


def test_it_rejects_an_address_that_has_an_account_in_any_case(client, alice):
    response = client.post(
        "/signup/", signup_data(email="ALICE@Acme.TEST"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "This address already has an account. Log in, or reset your password." in (response.text)
    assert User.objects.filter(email__iexact="alice@acme.test").count() == 1
    assert not Organization.objects.filter(name="Muster & Söhne KG").exists()


def test_it_rejects_differing_passwords(client):
    response = client.post(
        "/signup/", signup_data(password2=PASSWORD + "!"), HTTP_ACCEPT_LANGUAGE="en"
    )

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
    response = client.post(
        "/signup/",
        signup_data(password1=password, password2=password),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.exists()


def test_it_requires_every_field(client):
    empty = dict.fromkeys(signup_data(), "")
    response = client.post("/signup/", empty, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.text.count("This field is required.") == 6


def test_it_answers_404_when_signup_is_closed(client, settings):
    settings.SIGNUP_OPEN = False

    assert client.get("/signup/").status_code == 404
    assert client.post("/signup/", signup_data()).status_code == 404
    assert not User.objects.exists()


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


def test_a_second_submit_racing_the_first_gets_the_form_error(client, alice):
    """Both requests passed the form's check; the database refuses the second account."""
    from unittest import mock

    from accounts.forms import SignUpForm

    with mock.patch.object(SignUpForm, "clean_email", lambda form: form.cleaned_data["email"]):
        response = client.post(
            "/signup/", signup_data(email="alice@acme.test"), HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 200
    assert "This address already has an account. Log in, or reset your password." in (response.text)
    assert not Organization.objects.filter(name="Muster & Söhne KG").exists()
