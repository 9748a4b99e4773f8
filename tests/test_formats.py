"""Dates and times in the reader's language's own format."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, translation

MOMENT = datetime(2026, 12, 1, 6, 48, tzinfo=ZoneInfo("Europe/Berlin"))


def test_english_pages_write_the_day_first_with_a_24_hour_clock():
    with translation.override("en"):
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "01/12/2026 06:48"
        assert formats.date_format(MOMENT, "DATE_FORMAT") == "1 December 2026"


def test_german_pages_write_dates_the_german_way():
    with translation.override("de"):
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "01.12.2026 06:48"
        assert formats.number_format(2097152, use_l10n=True, force_grouping=True) == "2.097.152"
