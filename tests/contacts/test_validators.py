"""Field checks shared by the contact forms and the importer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from contacts_app.validators import (
    VAT_FORMATS,
    WEB_PROFILE_KINDS,
    normalize_phone_digits,
    normalize_vat_id,
    validate_vat_id,
    validate_web_profile,
    web_profile_url,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def message_of(function, *args) -> str:
    with pytest.raises(ValidationError) as info:
        function(*args)
    return " ".join(info.value.messages)


# --- VAT IDs ---------------------------------------------------------------------------------

# One valid ID per prefix: the EU's member states (Greece as EL, Northern Ireland as XI), the
# United Kingdom, Switzerland and Norway. Counting digits completed with their check digits.
VALID_VAT_IDS = {
    "AT": ["ATU12345675", "ATU98765434"],
    "BE": ["BE0123456749", "BE0987654394"],
    "BG": ["BG123456786", "BG987654322"],
    "CY": ["CY10234567S", "CY09876543Q"],
    "CZ": ["CZ12345679", "CZ49876546"],
    "DE": ["DE123456788", "DE298765435"],
    "DK": ["DK12345607", "DK87654303"],
    "EE": ["EE102345676", "EE109876546"],
    "EL": ["EL123456783", "EL098765430"],
    "ES": ["ESB12345674", "ESA98765431"],
    "FI": ["FI12345671", "FI09876543"],
    "FR": ["FR11123456782", "FR14987654324"],
    "HR": ["HR12345678903", "HR98765432106"],
    "HU": ["HU12345676", "HU98765434"],
    "IE": ["IE1234567T", "IE9876543H"],
    "IT": ["IT12345670017", "IT09876540015"],
    "LT": ["LT123456715", "LT987654315"],
    "LU": ["LU12345613", "LU98765421"],
    "LV": ["LV40123456783", "LV40987654329"],
    "MT": ["MT12345634", "MT98765403"],
    "NL": ["NL123456782B01", "NL987654329B02"],
    "PL": ["PL1234567802", "PL9876543204"],
    "PT": ["PT123456789", "PT509876544"],
    "RO": ["RO1234565", "RO9876544"],
    "SE": ["SE123456789701", "SE556987654201"],
    "SI": ["SI12345679", "SI98765434"],
    "SK": ["SK2023456787", "SK2029876541"],
    "XI": ["XI123456782", "XI987654311"],
    "GB": ["GB123456782", "GB987654311"],
    "CH": ["CHE-123.456.788 MWST", "CHE-987.654.326 MWST"],
    "NO": ["NO123456785MVA", "NO987654325MVA"],
}
# The same IDs with one digit (or the check letter) changed: the right format, a wrong check
# digit. The old format-only rules accepted most of them.
WRONG_CHECK_DIGITS = [
    "ATU12345676", "ATU98765435", "BE0123456748", "BE0987654395", "BG123456787", "BG987654323",
    "CY10234567T", "CY09876543R", "CZ12345678", "CZ49876547", "DE123456789", "DE298765436",
    "DK12345608", "DK87654304", "EE102345677", "EE109876547", "EL123456784", "EL098765431",
    "ESB12345675", "ESA98765432", "FI12345672", "FI09876544", "FR11123456783", "FR14987654325",
    "HR12345678904", "HR98765432107", "HU12345677", "HU98765435", "IE1234567U", "IE9876543I",
    "IT12345670018", "IT09876540016", "LT123456716", "LT987654316", "LU12345614", "LU98765422",
    "LV40123456784", "LV40987654320", "MT12345635", "MT98765404", "NL123456783B01",
    "NL987654328B02", "PL1234567803", "PL9876543205", "PT123456788", "PT509876545",
    "RO1234566", "RO9876545", "SE123456789801", "SE556987654101", "SI12345678", "SI98765435",
    "SK2023456788", "SK2029876542", "XI123456783", "XI987654312", "GB123456783", "GB987654312",
    "CHE-123.456.789 MWST", "CHE-987.654.327 MWST", "NO123456786MVA", "NO987654326MVA",
]  # fmt: skip


def test_every_prefix_kontor_knows_has_valid_ids_here():
    assert set(VALID_VAT_IDS) == set(VAT_FORMATS)
    assert {vat_id[:2] for vat_id in WRONG_CHECK_DIGITS} == set(VAT_FORMATS)
    assert len(WRONG_CHECK_DIGITS) >= 35


@pytest.mark.parametrize("vat_id", [v for ids in VALID_VAT_IDS.values() for v in ids])
def test_valid_vat_ids_of_every_country_are_accepted(vat_id):
    assert validate_vat_id(vat_id) == vat_id


@pytest.mark.parametrize("vat_id", WRONG_CHECK_DIGITS)
def test_vat_ids_with_a_wrong_check_digit_are_refused(vat_id):
    with pytest.raises(ValidationError) as info:
        validate_vat_id(vat_id)
    assert info.value.code == "vat_checksum"
    assert "the check digit does not match" in info.value.messages[0]


@pytest.mark.parametrize(("prefix", "format_and_example"), VAT_FORMATS.items())
def test_each_countrys_example_passes_its_own_check(prefix, format_and_example):
    example, _description = format_and_example
    assert validate_vat_id(example) == example
    assert example.startswith(prefix if prefix != "CH" else "CHE")


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("de 123 456 788", "DE123456788"),
        ("DE-123.456.788", "DE123456788"),
        ("atu 1234 5675", "ATU12345675"),
        ("GR123456783", "EL123456783"),
        ("nl123456782b01", "NL123456782B01"),
        ("XI 123 4567 82", "XI123456782"),
        ("GB 123 4567 82", "GB123456782"),
        ("CHE123456788MWST", "CHE-123.456.788 MWST"),
        ("che 123 456 788 tva", "CHE-123.456.788 TVA"),
        ("CHE-123.456.788 IVA", "CHE-123.456.788 IVA"),
        ("CHE-123.456.788", "CHE-123.456.788"),
        ("NO 123 456 785 MVA", "NO123456785MVA"),
        ("NO123456785", "NO123456785MVA"),
    ],
)
def test_vat_ids_are_stored_in_one_form(written, stored):
    assert validate_vat_id(written) == stored
    assert normalize_vat_id(written) == stored


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("DE12", "expected DE + 9 digits, like DE123456788"),
        ("DE1234567890", "expected DE + 9 digits, like DE123456788"),
        ("DE012345678", "expected DE + 9 digits, like DE123456788"),
        ("AT12345678", "expected ATU + 8 digits, like ATU12345675"),
        ("NL123456789", "expected NL + 9 digits + B + 2 digits, like NL123456782B01"),
        ("FRIO123456789", "expected FR + 2 characters + 9 digits, like FR11123456782"),
        ("CHE-123.456.78", "expected CHE + 9 digits + MWST, TVA or IVA, like CHE-123.456.788 MWST"),
        ("CHE-123.456.788 VAT", "like CHE-123.456.788 MWST"),
        ("BE2123456789", "expected BE + 10 digits, like BE0123456749"),
        ("Deutschland", "expected DE + 9 digits"),
    ],
)
def test_a_vat_id_in_the_wrong_format_names_the_format_and_a_valid_example(bad, expected):
    message = message_of(validate_vat_id, bad)
    assert f"“{bad}” is not a valid VAT ID" in message
    assert expected in message


@pytest.mark.parametrize("bad", ["123456789", "US123456789", "XX1", "", "Germany"])
def test_a_vat_id_needs_a_known_country_prefix(bad):
    message = message_of(validate_vat_id, bad)
    assert "starts with a country code such as DE, AT or FR, like DE123456788" in message


def test_the_message_is_german_for_german_users():
    with translation.override("de"):
        message = message_of(validate_vat_id, "DE123456789")
    assert message == (
        "„DE123456789“ ist keine gültige USt-IdNr. für DE: Die Prüfziffer passt nicht, "
        "vielleicht ist eine Ziffer vertippt. Erwartet wird DE + 9 Ziffern, "
        "z. B. DE123456788."
    )


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("+49 30 1234567", "0049301234567"),
        ("0049 30 1234567", "0049301234567"),
        ("+49 (0)30 1234567", "0049301234567"),
        ("+49 (0) 30 / 123 45-67", "0049301234567"),
        ("030 / 123 45 67", "0301234567"),
        ("(030) 1234567", "0301234567"),
        ("030-1234567", "0301234567"),
        ("", ""),
        ("keine", ""),
    ],
)
def test_normalize_phone_digits(written, digits):
    assert normalize_phone_digits(written) == digits


@given(st.text(max_size=40))
def test_phone_digits_are_only_digits(text):
    assert normalize_phone_digits(text).isdigit() or normalize_phone_digits(text) == ""


# --- web profiles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "written", "stored", "url"),
    [
        ("website", "https://www.example.de", "https://www.example.de", "https://www.example.de"),
        ("website", "http://example.de/shop", "http://example.de/shop", "http://example.de/shop"),
        ("website", "example.com", "https://example.com", "https://example.com"),
        ("website", " www.bäckerei-kühn.de ", "https://www.bäckerei-kühn.de", None),
        ("blog", "blog.example.de/2024", "https://blog.example.de/2024", None),
        ("twitter", "@kontor", "@kontor", "https://x.com/kontor"),
        ("twitter", "kontor_app", "@kontor_app", "https://x.com/kontor_app"),
        ("twitter", "https://twitter.com/kontor", "@kontor", "https://x.com/kontor"),
        ("twitter", "https://x.com/kontor?s=20", "@kontor", "https://x.com/kontor"),
        ("twitter", "x.com/@kontor/", "@kontor", "https://x.com/kontor"),
        ("twitter", "@malerbetrieb_wagner", "@malerbetrieb_wagner", None),
        ("skype", "erika.mustermann", "erika.mustermann", "skype:erika.mustermann?chat"),
        ("skype", "live:.cid.1234abcd", "live:.cid.1234abcd", "skype:live:.cid.1234abcd?chat"),
        (
            "linkedin",
            "https://www.linkedin.com/in/erika",
            "https://www.linkedin.com/in/erika",
            "https://www.linkedin.com/in/erika",
        ),
        (
            "linkedin",
            "de.linkedin.com/in/erika",
            "https://de.linkedin.com/in/erika",
            "https://de.linkedin.com/in/erika",
        ),
        (
            "xing",
            "https://www.xing.com/profile/Erika_Mustermann",
            "https://www.xing.com/profile/Erika_Mustermann",
            "https://www.xing.com/profile/Erika_Mustermann",
        ),
        ("messenger", "Threema: ABCD1234", "Threema: ABCD1234", None),
        ("other", "Mastodon @erika@example.social", "Mastodon @erika@example.social", None),
        ("other", "https://example.social/@erika", "https://example.social/@erika", None),
    ],
)
def test_web_profiles_are_normalized_and_linked(kind, written, stored, url):
    value = validate_web_profile(kind, written)
    assert value == stored
    if url is not None:
        assert web_profile_url(kind, value) == url


def test_bare_domains_are_linked_with_https():
    value = validate_web_profile("website", "www.bäckerei-kühn.de")
    assert web_profile_url("website", value) == "https://www.bäckerei-kühn.de"


def test_free_text_links_only_when_it_is_an_address():
    assert web_profile_url("messenger", "Threema: ABCD1234") is None
    assert web_profile_url("other", "https://example.social/@erika") == (
        "https://example.social/@erika"
    )


@pytest.mark.parametrize(
    ("kind", "bad", "expected"),
    [
        ("website", "javascript:alert(1)", "is not a web address"),
        ("website", "ftp://example.de", "is not a web address"),
        ("website", "nicht vorhanden", "is not a web address"),
        ("website", "mailto:info@example.de", "is not a web address"),
        ("website", "https://user:pw@example.de", "is not a web address"),
        ("blog", "localhost", "is not a web address"),
        ("twitter", "@this_handle_is_far_too_long", "Enter a handle like @name"),
        ("twitter", "@" + "x" * 21, "at most 20 letters"),
        ("twitter", "@no spaces", "Enter a handle like @name"),
        ("twitter", "https://facebook.com/kontor", "Enter a handle like @name"),
        ("skype", "abc", "6 to 32 characters"),
        ("skype", "1abcdefg", "starts with a letter"),
        ("linkedin", "https://example.com/in/erika", "on linkedin.com"),
        ("linkedin", "https://linkedin.com.evil.example/in/x", "on linkedin.com"),
        ("linkedin", "erika", "on linkedin.com"),
        ("linkedin", "https://www.linkedin.com/", "on linkedin.com"),
        ("xing", "https://www.linkedin.com/in/erika", "on xing.com"),
        ("website", "", "This value is required."),
        ("other", "x" * 301, "At most 300 characters"),
        ("fax", "123", "is not a kind of web profile"),
    ],
)
def test_wrong_web_profiles_say_what_is_expected(kind, bad, expected):
    assert expected in message_of(validate_web_profile, kind, bad)


def test_every_kind_accepts_something():
    samples = {
        "website": "example.de",
        "blog": "example.de",
        "twitter": "@kontor",
        "skype": "kontor.app",
        "messenger": "Signal",
        "linkedin": "linkedin.com/in/kontor",
        "xing": "xing.com/profile/kontor",
        "other": "irgendwas",
    }
    assert set(samples) == set(WEB_PROFILE_KINDS)
    for kind, value in samples.items():
        assert validate_web_profile(kind, value)


def test_stored_javascript_is_never_linked():
    assert web_profile_url("website", "javascript:alert(1)") is None
    assert web_profile_url("other", "javascript:alert(1)") is None
    assert web_profile_url("twitter", "@x<script>") is None
