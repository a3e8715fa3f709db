"""Dates read the same way everywhere: day before month in English, dd/mm/yyyy in Spanish."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from partnerships.forms import PartnershipForm

DAY = datetime.date(2026, 11, 5)
WHEN = datetime.datetime(2026, 11, 5, 14, 30)


def _render(fmt, value):
    template = Template("{{ value|date:fmt }}")
    return template.render(Context({"value": value, "fmt": fmt}))


def test_english_dates_name_the_month_or_are_iso():
    with translation.override("en"):
        assert _render("DATE_FORMAT", DAY) == "5 Nov 2026"
        assert _render("SHORT_DATE_FORMAT", DAY) == "2026-11-05"
        assert _render("DATETIME_FORMAT", WHEN) == "5 Nov 2026, 14:30"
        assert _render("SHORT_DATETIME_FORMAT", WHEN) == "2026-11-05 14:30"


def test_spanish_keeps_day_month_year():
    with translation.override("es"):
        assert _render("SHORT_DATE_FORMAT", DAY) == "05/11/2026"
        assert "noviembre" in _render("DATE_FORMAT", DAY)


@pytest.mark.django_db
def test_english_date_fields_never_read_month_first():
    with translation.override("en"):
        form = PartnershipForm(data={"start_date": "05/11/2026"})
        form.is_valid()
        assert form.cleaned_data.get("start_date") == DAY
