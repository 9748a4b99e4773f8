"""Forms of the import steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .checking import MixedRows, OnDuplicate, RowChoice
from .columns import Column
from .reading import DELIMITERS, MAX_BYTES, delimiter_label, encoding_choices

# The endings the upload takes; what the file is, is read from its content (`formats`).
ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv", ".vcf", ".vcard", ".xlsx", ".xlsm", ".xls", ".ods")
UPLOAD_ACCEPT = ",".join(ALLOWED_SUFFIXES) + ",text/csv,text/plain,text/vcard"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file or workbook"),
        help_text=_(
            "A .csv or .txt file, or an Excel workbook (.xlsx, .xls) or OpenDocument "
            "spreadsheet (.ods), of at most 2 MB (2,097,152 bytes)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def too_large_message() -> str:
    return gettext(
        "The file is larger than 2 MB (2,097,152 bytes). Split it into smaller files and "
        "import them one after the other."
    )


def has_allowed_suffix(name: str) -> bool:
    return name.lower().endswith(ALLOWED_SUFFIXES)


class ReadingForm(forms.Form):
    """Read the file again with another encoding or delimiter."""

    encoding = forms.ChoiceField(label=_("Encoding"))
    delimiter = forms.ChoiceField(
        label=_("Delimiter"), choices=lambda: [(d, delimiter_label(d)) for d in DELIMITERS]
    )

    def __init__(self, *args, current_encoding: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["encoding"]).choices = encoding_choices(
            current_encoding
        )


class SheetForm(forms.Form):
    """Read another sheet of the workbook. Whether the workbook has it, reading it tells (so
    that checking the name costs no extra reading of the file)."""

    sheet = forms.CharField(label=_("Sheet"), max_length=255, widget=forms.Select)

    def __init__(self, *args, sheets: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].widget.choices = [(name, name) for name in sheets]


class MappingForm(forms.Form):
    on_duplicate = forms.ChoiceField(
        label=_("When the number already exists"),
        choices=OnDuplicate.choices,
        widget=forms.RadioSelect,
        initial=OnDuplicate.UPDATE,
    )

    def __init__(
        self,
        *args,
        headers: Sequence[str],
        columns: Sequence[Column],
        mapping: Sequence[str],
        suggested: dict[int, Column] | None = None,
        further: Sequence[Column] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        own = [(c.key, c.label) for c in columns]
        more = [(c.key, c.label) for c in further]
        # The page lists a target's import-only columns (a contact's further phone numbers)
        # apart from those of its template.
        self.choice_groups: list[tuple[str, list[tuple[str, str]]]] = [
            ("", [("", str(_("— don't import —")))]),
            ("", own) if not more else (str(_("Kontor's columns")), own),
        ]
        if more:
            self.choice_groups.append((str(_("Further values from other programs")), more))
        choices = [("", _("— don't import —")), *own, *more]
        self.headers = list(headers)
        # Proposed from a header's likeness to a column's name: pre-selected, but counted only
        # when confirmed (`confirm_<index>`).
        self.suggested = suggested or {}
        for index, header in enumerate(headers):
            assigned = mapping[index] if index < len(mapping) else ""
            suggestion = self.suggested.get(index)
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(column %(n)s without a name)") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=assigned or (suggestion.key if suggestion else ""),
            )
            if suggestion:
                self.fields[f"confirm_{index}"] = forms.BooleanField(
                    label=_("Use the suggestion"), required=False
                )

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            key = cleaned.get(f"col_{index}")
            if not key:
                continue
            if key in seen:
                self.add_error(
                    f"col_{index}",
                    _("This target is already assigned to the column “%(other)s”.")
                    % {"other": seen[key]},
                )
            seen[key] = header
            suggestion = self.suggested.get(index)
            if suggestion and key == suggestion.key and not cleaned.get(f"confirm_{index}"):
                self.add_error(
                    f"col_{index}",
                    _(
                        "“%(column)s” is only a suggestion: tick “Use the suggestion”, or choose "
                        "another column or “don't import”."
                    )
                    % {"column": suggestion.label},
                )
        return cleaned

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}") or "" for i in range(len(self.headers))]


ROW_FIELD = "row_"


class RowChoicesForm(forms.Form):
    """What the rows of the preview's groups do: each group's choice, and rows chosen
    otherwise (`row_<line>`: a RowChoice, or "" for "as its group"). The rows' fields are
    read from the data as sent: the preview lists some of a group's rows, which ones depends
    on the check, and a line the check no longer puts in a group is simply not asked about."""

    on_mismatch = forms.ChoiceField(
        label=_("Number belongs to another contact"), choices=RowChoice.choices, required=False
    )
    on_probable = forms.ChoiceField(
        label=_("Probably already in Kontor"), choices=RowChoice.choices, required=False
    )
    mixed_rows = forms.ChoiceField(
        label=_("A row with a company name and a person's name becomes"),
        choices=MixedRows.choices,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        rows: dict[int, str] = {}
        for key in self.data:
            if not key.startswith(ROW_FIELD):
                continue
            line, choice = key[len(ROW_FIELD) :], self.data.get(key, "")
            if not line.isascii() or not line.isdigit() or not 0 < int(line) < 10**7:
                raise forms.ValidationError(_("The choice for a row names no line of the file."))
            if choice and choice not in RowChoice.values:
                raise forms.ValidationError(
                    _("“%(choice)s” is no choice for line %(line)s.")
                    % {"choice": choice[:20], "line": line}
                )
            rows[int(line)] = choice
        cleaned["rows"] = rows
        return cleaned
