"""Files made from a target's columns: the CSV template and the quick reference PDF."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .csv_writing import cell, write_csv
from .reading import MAX_BYTES
from .targets import ImportTarget


def template_csv(target: ImportTarget) -> bytes:
    """The target's columns in the user's language, with a row of examples (escaped like any
    cell: "+49 30 …" is no formula)."""
    columns = target.columns
    return write_csv([c.label for c in columns], [[cell(c.example) for c in columns]])


# Core PDF fonts know Latin-1 only; these common characters get a plain stand-in.
PDF_REPLACEMENTS = str.maketrans(
    {
        "„": '"',
        "“": '"',
        "”": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "€": "EUR",
        "•": "-",
        "→": "->",
        "×": "x",
    }
)


def pdf_text(value: object) -> str:
    text = str(value).translate(PDF_REPLACEMENTS)
    return text.encode("latin-1", "replace").decode("latin-1")


def quick_reference_pdf(target: ImportTarget) -> bytes:
    """A printable page per target: every column, required or not, format and example."""
    # Imported here: fpdf2 and its font tools take some 37 MB, which every server process
    # would otherwise hold from its start for a page few ask for.
    from fpdf import FPDF

    columns = target.columns
    language = (get_language() or "en")[:2]
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(pdf_text(_("Kontor import quick reference")))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    title = _("Quick reference: importing %(target)s") % {"target": target.label}
    pdf.cell(0, 10, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    rules = [
        # Digits grouped as the reader's language groups them: 2.097.152 in German.
        _("File: CSV (.csv or .txt), at most %(size)s bytes (2 MB).")
        % {"size": number_format(MAX_BYTES, force_grouping=True)},
        _(
            "Encoding: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252; "
            "detected automatically, can be changed."
        ),
        _(
            "Delimiter: semicolon, comma, tab or |, detected automatically; an Excel "
            '"sep=;" first line is honoured.'
        ),
        _(
            "First line: the column names. Names written exactly as below (German or English, "
            "case ignored) are assigned automatically; others can be assigned by hand."
        ),
        _(
            "Rows with errors are not imported; you can download them with the reason, fix "
            "them and upload them again."
        ),
    ]
    for rule in rules:
        pdf.multi_cell(0, 5, pdf_text("- " + rule), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    widths = (55, 55, 18, 100, 49)
    heads = (
        _("German name"),
        _("English name"),
        _("Required"),
        _("Format and limits"),
        _("Example"),
    )
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_fill_color(230, 233, 238)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 7, pdf_text(head), border=1, fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    with override(language):
        for column in columns:
            cells = (
                column.de,
                column.en,
                _("yes") if column.required else "",
                str(column.format),
                column.example,
            )
            for width, value in zip(widths, cells, strict=True):
                pdf.cell(width, 6, pdf_text(value)[:90], border=1)
            pdf.ln()
    return bytes(pdf.output())
