"""In Chromium: bob imports the lexoffice customer export, finds an imported customer by
searching, has a binary file refused and downloads the customers' quick reference."""

from __future__ import annotations

import re
import time
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts_app.models import Contact
from importer import services
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "importer" / "fixtures"
PHONE = {"width": 390, "height": 844}
BINARY = (
    "This is not a CSV file: it contains binary data (an image, a PDF or similar). "
    "Please upload a CSV file."
)


def label(text: str) -> re.Pattern:
    """A form label as crispy-forms renders it, with or without the required asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/?next=/contacts/")
    page.get_by_label(label("E-mail address")).fill(user.email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))


def upload_customers(page, path: Path) -> None:
    customers = page.locator("#import-customers")
    customers.get_by_label("CSV file").set_input_files(str(path))
    customers.get_by_role("button", name="Upload and check").click()


def pdf_text(data: bytes) -> bytes:
    """The inflated content streams of a PDF, where its text is."""
    text = b""
    for chunk in data.split(b"stream")[1:]:
        body = chunk.split(b"endstream")[0].strip(b"\r\n")
        try:
            text += zlib.decompress(body)
        except zlib.error:
            continue
    return text


def assert_fits_the_viewport(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the viewport"


def test_bob_imports_the_lexoffice_export_and_finds_a_customer(
    live_server, page, screenshot, bob, acme
):
    log_in(page, live_server, bob)
    page.locator("#main-nav").get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()
    screenshot(page, "import-01-start")

    # The columns: every lexoffice header is assigned, the encoding is named.
    upload_customers(page, FIXTURES / "kunden-lexoffice-cp1252.csv")
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/columns/$"))
    expect(page.get_by_test_id("encoding")).to_have_text("Windows-1252 (Western European)")
    expect(page.get_by_text("300 data rows")).to_be_visible()
    mapping = page.get_by_test_id("mapping")
    expect(mapping.locator("tbody tr")).to_have_count(28)
    expect(page.get_by_test_id("not-imported")).to_have_count(0)
    expect(page.get_by_label("Import “Ansprechpartner 1 Vorname” into")).to_have_value(
        "person1_first_name"
    )
    expect(mapping).to_contain_text("Gärtnerei Meyer GmbH")
    screenshot(page, "import-02-columns-desktop")

    # The preview writes nothing.
    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))
    counts = page.get_by_test_id("counts")
    expect(counts.locator("[data-count=new]")).to_have_text("300")
    expect(counts.locator("[data-count=invalid]")).to_have_text("0")
    expect(page.get_by_test_id("preview-rows")).to_contain_text("Krüger")
    screenshot(page, "import-04-preview")
    assert not Contact.objects.exists()

    page.get_by_role("button", name="Import now (300 new, 0 updated)").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Import finished: 300 new, 0 updated, 0 rows not imported."
    )
    expect(page.get_by_test_id("counts").locator("[data-count=new]")).to_have_text("300")
    screenshot(page, "import-05-result")
    assert Contact.objects.filter(organization=acme).count() == 300

    # Searching finds an imported customer with umlauts, without a reload.
    page.locator("#main-nav").get_by_role("link", name="Contacts", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("300 contacts")
    page.wait_for_load_state("domcontentloaded")  # htmx (deferred) sends what is typed
    page.evaluate("window.kontorNotReloaded = true")
    search = page.get_by_role("searchbox")
    search.click()
    search.press_sequentially("sanitär möll", delay=40)
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")
    expect(page.get_by_test_id("contact-results")).to_contain_text("Sanitär Möller GmbH")
    assert page.evaluate("window.kontorNotReloaded") is True
    screenshot(page, "import-06-search")

    # A binary file is refused with a message.
    page.locator("#main-nav").get_by_role("link", name="Import", exact=True).click()
    upload_customers(page, FIXTURES / "bad-binary.csv")
    expect(page.get_by_test_id("upload-error")).to_have_text(BINARY)
    expect(page.locator("#import-customers")).to_have_class(re.compile(r"\bborder-primary\b"))
    screenshot(page, "import-07-refused")

    # The quick reference is a PDF naming the columns.
    link = page.locator("#import-customers").get_by_role("link", name="Quick reference (PDF)")
    href = link.get_attribute("href")
    assert href == "/import/customers/reference.pdf"
    with page.context.expect_page() as opened:
        link.click()
    expect(opened.value).to_have_url(re.compile(r"/import/customers/reference\.pdf$"))
    response = page.request.get(live_server.url + href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    for name in (b"Kundennummer", b"Customer number", b"Firmenname", b"Ansprechpartner 1 Vorname"):
        assert name in text, name


def test_the_column_page_fits_a_phone(live_server, new_page, screenshot, bob, acme):
    run, _parsed = services.start_import(
        organization=acme,
        target="customers",
        file_name="kunden-lexoffice-cp1252.csv",
        data=(FIXTURES / "kunden-lexoffice-cp1252.csv").read_bytes(),
        by=bob,
    )
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, live_server, bob)
    phone.goto(f"{live_server.url}/import/runs/{run.pk}/columns/")
    expect(phone.get_by_test_id("encoding")).to_have_text("Windows-1252 (Western European)")
    screenshot(phone, "import-03-columns-phone")
    screenshot(phone, "import-03-columns-phone-first-screen", full_page=False)
    assert_fits_the_viewport(phone)


def test_a_second_click_on_import_imports_once_and_shows_the_result(
    live_server, page, screenshot, bob, acme, tmp_path
):
    path = tmp_path / "kunden.csv"
    # Enough rows that the import takes a moment: time for an impatient second click.
    rows = "".join(f"Doppelklick {n} GmbH;Köln\r\n" for n in range(3000))
    path.write_bytes(f"Firmenname;Ort\r\n{rows}".encode())
    log_in(page, live_server, bob)
    page.goto(f"{live_server.url}/import/")
    upload_customers(page, path)
    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))

    posted = []
    page.on(
        "request",
        lambda r: posted.append(r.url) if r.method == "POST" and "/confirm/" in r.url else None,
    )
    button = page.get_by_role("button", name="Import now (3000 new, 0 updated)")
    # A click, and another while the page still waits for the answer.
    button.evaluate("b => { b.click(); setTimeout(() => b.click(), 40); }")

    expect(page).to_have_url(re.compile(r"/import/runs/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Import finished: 3000 new, 0 updated, 0 rows not imported."
    )
    expect(page.get_by_text("already been imported")).to_have_count(0)
    screenshot(page, "import-08-double-click")
    assert len(posted) == 1, posted
    numbers = Contact.objects.filter(organization=acme).values_list("customer_number", flat=True)
    assert len(numbers) == len(set(numbers)) == 3000


def test_bob_decides_row_by_row_for_numbers_of_other_contacts_and_undoes_the_import(
    live_server, page, screenshot, bob, acme, tmp_path, monkeypatch
):
    from contacts_app.services import update_contact
    from tests.contacts.conftest import make_company

    for number, name in (
        (10001, "Alt Eins GmbH"),
        (10002, "Alt Zwei GmbH"),
        (10003, "Alt Drei GmbH"),
    ):
        make_company(acme, name, customer_number=number, billing_city="Ulm")
    gleich = make_company(acme, "Gleich GmbH", customer_number=10004, billing_city="Ulm")
    path = tmp_path / "kunden.csv"
    path.write_bytes(
        "Kundennummer;Firmenname;Ort\r\n"
        "10001;Neu Eins GmbH;Köln\r\n"
        "10002;Neu Zwei GmbH;Köln\r\n"
        "10003;Neu Drei GmbH;Köln\r\n"
        "10004;Gleich GmbH;Köln\r\n".encode()
    )
    log_in(page, live_server, bob)
    page.goto(f"{live_server.url}/import/")
    upload_customers(page, path)
    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))

    group = page.get_by_test_id("group-mismatch")
    expect(group).to_contain_text("Number belongs to another contact")
    expect(group.locator("tr[data-line='2']")).to_contain_text("Neu Eins GmbH")
    expect(group.locator("tr[data-line='2']")).to_contain_text("Alt Eins GmbH")
    expect(page.get_by_test_id("updates")).to_contain_text("Ulm → Köln")
    expect(page.get_by_test_id("counts").locator("[data-count=skip]")).to_have_text("3")

    group.get_by_label("For all rows of this group").select_option("update")
    group.get_by_label("What line 2 does").select_option("new")
    group.get_by_label("What line 3 does").select_option("skip")
    page.get_by_role("button", name="Apply the choices to the preview").click()
    expect(page.get_by_role("alert")).to_contain_text("Your choices are applied")
    counts = page.get_by_test_id("counts")
    expect(counts.locator("[data-count=new]")).to_have_text("1")
    expect(counts.locator("[data-count=update]")).to_have_text("2")
    expect(counts.locator("[data-count=skip]")).to_have_text("1")
    expect(group.get_by_label("What line 2 does")).to_have_value("new")
    screenshot(page, "import-09-preview-groups")

    page.get_by_role("button", name="Import now (1 new, 2 updated)").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Import finished: 1 new, 2 updated")
    contacts = dict(
        Contact.objects.filter(organization=acme).values_list("customer_number", "company_name")
    )
    assert contacts == {
        10001: "Alt Eins GmbH",
        10002: "Alt Zwei GmbH",
        10003: "Neu Drei GmbH",
        10004: "Gleich GmbH",
        10005: "Neu Eins GmbH",
    }

    # A colleague changes one of the updated contacts; the undo keeps it and says why.
    gleich.refresh_from_db()
    update_contact(contact=gleich, data={"billing_city": "Jena"}, by=bob, expected_version=2)
    real_undo = services.undo

    def slow_undo(run, *, by):
        time.sleep(0.5)
        return real_undo(run, by=by)

    monkeypatch.setattr(services, "undo", slow_undo)
    page.once("dialog", lambda dialog: dialog.accept())
    undo = page.get_by_role("button", name="Undo this import")
    screenshot(page, "import-10-result-before-undo")
    # While the request runs, the button says it is working and takes no second click. The
    # page reports it itself: Playwright waits for the answer before it looks again.
    states = []
    page.on("console", lambda m: states.append(m.text) if m.text.startswith("busy ") else None)
    undo.evaluate(
        """b => {
          new MutationObserver(() => {
            if (b.getAttribute("aria-busy") !== "true") return;
            const spinner = !!b.querySelector(".spinner-border");
            console.log("busy " + JSON.stringify([b.disabled, b.textContent.trim(), spinner]));
          }).observe(b, {attributes: true, childList: true});
          setTimeout(() => b.click(), 0);
        }"""
    )
    summary = page.get_by_test_id("undo-summary")
    expect(summary).to_contain_text("Created by the import and deleted: 1")
    expect(summary).to_contain_text("Updated by the import and put back as they were before: 1")
    expect(summary).to_contain_text("Kept, because they were changed after the import: 1")
    kept = page.get_by_test_id("undo-kept")
    expect(kept.get_by_role("link", name="Gleich GmbH")).to_have_attribute(
        "href", f"/contacts/{gleich.pk}/"
    )
    expect(kept).to_contain_text("city: Köln → Jena")
    assert states and states[-1] == 'busy [true,"Undoing…",true]', states
    screenshot(page, "import-10-undo-result")
    contacts = dict(
        Contact.objects.filter(organization=acme).values_list("customer_number", "billing_city")
    )
    assert contacts == {10001: "Ulm", 10002: "Ulm", 10003: "Ulm", 10004: "Jena"}
    assert Contact.objects.get(customer_number=10003).company_name == "Alt Drei GmbH"


def test_bob_imports_an_excel_workbook_of_customers_without_assigning_anything(
    live_server, page, screenshot, bob, acme, tmp_path
):
    from tests.importer.workbook_files import xlsx

    # The second row names a company and a person: the person becomes its contact person.
    rows = [
        ["Kundennummer", "Firmenname", "Vorname", "Nachname", "Straße", "PLZ", "Ort", "E-Mail"],
        [20001, "Bäckerei Müller GmbH", None, None, "Königsbrücker Straße 5", 1067, "Dresden",
         "info@baeckerei-mueller.example"],
        [20002, "Schäfer & Söhne KG", "Jonas", "Schäfer", "Maximilianstraße 1", 80331, "München",
         "jonas@schaefer.example"],
        [20003, "Gärtnerei Weiß", None, None, "Am Markt 2", 4109, "Leipzig", None],
    ]  # fmt: skip
    path = tmp_path / "Kundenliste.xlsx"
    path.write_bytes(xlsx({"Kunden": rows}, title={"Kunden": "Kundenliste 2026"}))

    log_in(page, live_server, bob)
    page.locator("#main-nav").get_by_role("link", name="Import", exact=True).click()
    upload_customers(page, path)
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/columns/$"))
    expect(page.get_by_test_id("kind")).to_have_text("Excel workbook, sheet “Kunden”")
    expect(page.get_by_text("3 data rows")).to_be_visible()
    expect(page.get_by_label("Encoding")).to_have_count(0)
    expect(page.get_by_test_id("not-imported")).to_have_count(0)
    expect(page.get_by_test_id("mapping")).to_contain_text("Königsbrücker Straße 5")
    screenshot(page, "import-08-workbook-columns")

    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))
    expect(page.get_by_test_id("counts").locator("[data-count=new]")).to_have_text("3")
    expect(page.get_by_test_id("preview-rows")).to_contain_text("01067")
    screenshot(page, "import-09-workbook-preview")

    page.get_by_role("button", name="Import now (3 new, 0 updated)").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Import finished: 3 new, 0 updated, 0 rows not imported."
    )
    imported = {c.customer_number: c for c in Contact.objects.filter(organization=acme)}
    assert sorted(imported) == [20001, 20002, 20003]
    assert imported[20001].company_name == "Bäckerei Müller GmbH"
    assert imported[20001].billing_postal_code == "01067"
    assert imported[20003].billing_postal_code == "04109"

    page.locator("#main-nav").get_by_role("link", name="Contacts", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("3 contacts")
    expect(page.get_by_test_id("contact-results")).to_contain_text("Schäfer & Söhne KG")
    page.get_by_test_id("contact-results").get_by_role("link", name="Schäfer & Söhne KG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Schäfer & Söhne KG")
    expect(page.get_by_text("Jonas Schäfer")).to_be_visible()
    expect(page.get_by_text("jonas@schaefer.example")).to_be_visible()
    screenshot(page, "import-10-workbook-contact-person")
    company = imported[20002]
    assert company.kind == Contact.Kind.COMPANY
    assert [(p.first_name, p.last_name, p.email) for p in company.persons.all()] == [
        ("Jonas", "Schäfer", "jonas@schaefer.example")
    ]


def test_bob_imports_a_table_apple_numbers_exported_to_excel(
    live_server, page, screenshot, bob, acme, tmp_path
):
    from tests.importer.test_workbooks import CUSTOMERS, numbers_export

    path = tmp_path / "Kunden.xlsx"
    path.write_bytes(numbers_export({"Sheet 1 - Table 1": CUSTOMERS}))
    log_in(page, live_server, bob)
    page.locator("#main-nav").get_by_role("link", name="Import", exact=True).click()
    upload_customers(page, path)
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/columns/$"))
    expect(page.get_by_test_id("kind")).to_have_text("Excel workbook, sheet “Sheet 1 - Table 1”")
    expect(page.get_by_test_id("reading-note")).to_contain_text("exported from Apple Numbers")
    expect(page.get_by_test_id("not-imported")).to_have_count(0)
    screenshot(page, "import-11-numbers-columns")

    page.get_by_role("button", name="Check the data").click()
    expect(page.get_by_test_id("counts").locator("[data-count=new]")).to_have_text("3")
    page.get_by_role("button", name="Import now (3 new, 0 updated)").click()
    expect(page.get_by_role("alert")).to_contain_text("Import finished: 3 new, 0 updated")
    assert Contact.objects.get(organization=acme, customer_number=10001).billing_postal_code == (
        "01067"
    )


def test_the_sheet_of_a_workbook_is_chosen_on_the_columns_page_in_german(
    live_server, page, screenshot, bob, acme
):
    from tests.importer.workbook_files import xlsx

    data = xlsx(
        {
            "Kunden 2025": [["Firmenname", "Ort"], ["Altkunde GmbH", "Görlitz"]],
            "Kunden 2026": [
                ["Firmenname", "Ort"],
                ["Bäckerei Müller GmbH", "Dresden"],
                ["Schäfer & Söhne KG", "München"],
            ],
        }
    )
    run, _parsed = services.start_import(
        organization=acme, target="customers", file_name="Kunden.xlsx", data=data, by=bob
    )
    log_in(page, live_server, bob)
    page.context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    page.goto(f"{live_server.url}/import/runs/{run.pk}/columns/")
    expect(page.get_by_test_id("kind")).to_have_text(
        "Excel-Arbeitsmappe, Tabellenblatt „Kunden 2025“"
    )
    expect(page.get_by_test_id("mapping")).to_contain_text("Altkunde GmbH")

    page.get_by_label("Tabellenblatt").select_option("Kunden 2026")
    page.get_by_role("button", name="Dieses Tabellenblatt lesen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Das Tabellenblatt „Kunden 2026“ wurde gelesen."
    )
    expect(page.get_by_test_id("kind")).to_have_text(
        "Excel-Arbeitsmappe, Tabellenblatt „Kunden 2026“"
    )
    expect(page.get_by_text("2 Datenzeilen")).to_be_visible()
    expect(page.get_by_test_id("mapping")).to_contain_text("Bäckerei Müller GmbH")
    screenshot(page, "import-10-workbook-sheet-de")
