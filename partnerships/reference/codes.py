"""Reference codes the forms offer: every OECD DAC 5-digit purpose code, the SDGs, currencies.

The purpose codes come from the IATI Sector code list vendored in ``partnerships/iati_data/``
(``settings.ALIANZA_IATI_DIR``), read once per process: the active codes, each with its name
in the code list's languages. A code is shown in the user's language where the code list has
a name in it; else, for the codes below, in this catalogue's translation; else in English.
Forms offer them through ``forms.SectorField`` (a search-as-you-type picker over
``sector_search``); the model and the API accept any active code (``sector_choices``).
"""

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from lxml import etree

from actors.text import normalise

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Translations of the names of the purpose codes partnerships use most (the IATI code list has
# none in Spanish); the names are the code list's English ones.
TRANSLATED_SECTORS = [
    ("11110", _("Education policy and administrative management")),
    ("11220", _("Primary education")),
    ("11330", _("Vocational training")),
    ("12110", _("Health policy and administrative management")),
    ("12220", _("Basic health care")),
    ("12240", _("Basic nutrition")),
    ("12261", _("Health education")),
    ("14030", _("Basic drinking water supply and basic sanitation")),
    ("14031", _("Basic drinking water supply")),
    ("14032", _("Basic sanitation")),
    ("15110", _("Public sector policy and administrative management")),
    ("15150", _("Democratic participation and civil society")),
    ("16010", _("Social protection")),
    ("16030", _("Housing policy and administrative management")),
    ("16040", _("Low-cost housing")),
    ("22040", _("Information and communication technology (ICT)")),
    ("25010", _("Business policy and administration")),
    ("31120", _("Agricultural development")),
    ("31161", _("Food crop production")),
    ("32130", _("Small and medium-sized enterprises (SME) development")),
    ("41010", _("Environmental policy and administrative management")),
    ("43030", _("Urban development and management")),
    ("43040", _("Rural development")),
    ("43060", _("Disaster risk reduction")),
]
_TRANSLATED = dict(TRANSLATED_SECTORS)

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class SectorCode:
    code: str
    names: dict[str, str]  # language -> name; "en" always present
    description: str = ""
    # Normalised (actors.text.normalise) for searching: code and names; description.
    name_key: str = field(default="", repr=False)
    description_key: str = field(default="", repr=False)

    def all_names(self) -> list[str]:
        names = list(self.names.values())
        if self.code in _TRANSLATED:
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    names.append(str(_TRANSLATED[self.code]))
        return names

    def label(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en").split("-")[0]
        if language in self.names:
            return self.names[language]
        if language != "en" and self.code in _TRANSLATED:
            with translation.override(language):
                return str(_TRANSLATED[self.code])
        return self.names["en"]


@functools.cache
def _load(path: str) -> dict[str, SectorCode]:
    tree = etree.parse(path)
    codes = {}
    for item in tree.iter("codelist-item"):
        if item.get("status", "active") == "withdrawn":
            continue
        code = item.findtext("code").strip()
        names = {}
        for narrative in item.findall("name/narrative"):
            names[narrative.get(XML_LANG, "en")] = " ".join((narrative.text or "").split())
        description = " ".join((item.findtext("description/narrative") or "").split())
        sector = SectorCode(code=code, names=names, description=description)
        codes[code] = dataclasses.replace(
            sector,
            name_key=normalise(" ".join([code, *sector.all_names()])),
            description_key=normalise(description),
        )
    return codes


def sector_codes() -> dict[str, SectorCode]:
    """The active OECD DAC 5-digit purpose codes, by code, in code order."""
    path = Path(settings.ALIANZA_IATI_DIR) / "codelists" / "Sector.xml"
    if not path.is_file():
        raise ImproperlyConfigured(
            f"ALIANZA_IATI_DIR={settings.ALIANZA_IATI_DIR} has no codelists/Sector.xml; unset it "
            "to use the copy in partnerships/iati_data/."
        )
    return _load(str(path))


def is_sector(code: str) -> bool:
    return code in sector_codes()


def sector_label(code: str) -> str:
    """The name of ``code`` in the active language ("" for an empty code, the code itself for
    one the list does not have)."""
    found = sector_codes().get(code or "")
    return found.label() if found else (code or "")


def sector_display(code: str) -> str:
    """ "12240 Basic nutrition": what a picker shows for a code, and understands back."""
    return f"{code} {sector_label(code)}" if code else ""


def sector_named(text: str) -> str | None:
    """The code whose name, in any language the list or this catalogue has, is ``text``
    (without case, accents or extra spaces); None when none or several are."""
    wanted = normalise(text)
    found = {
        sector.code
        for sector in sector_codes().values()
        if wanted in {normalise(n) for n in sector.all_names()}
    }
    return found.pop() if len(found) == 1 else None


_lazy_label = lazy(sector_label, str)


def sector_choices() -> list[tuple[str, str]]:
    """(code, label) for every code: the model field's choices (a callable, so that no
    migration lists them and the labels follow the active language)."""
    return [(code, _lazy_label(code)) for code in sector_codes()]


def sector_search(text: str, *, limit: int = SEARCH_LIMIT) -> tuple[list[SectorCode], bool]:
    """The codes whose code or name contains every word of ``text`` (without case or accents),
    then those whose description does; at most ``limit``, and whether more match."""
    words = normalise(text).split()
    if not words:
        return [], False
    by_name, by_description = [], []
    for sector in sector_codes().values():
        if all(w in sector.name_key for w in words):
            by_name.append(sector)
        elif all(w in sector.description_key for w in words):
            by_description.append(sector)
    found = by_name + by_description
    return found[:limit], len(found) > limit


SDG_GOALS = [
    ("1", _("1 No poverty")),
    ("2", _("2 Zero hunger")),
    ("3", _("3 Good health and well-being")),
    ("4", _("4 Quality education")),
    ("5", _("5 Gender equality")),
    ("6", _("6 Clean water and sanitation")),
    ("7", _("7 Affordable and clean energy")),
    ("8", _("8 Decent work and economic growth")),
    ("9", _("9 Industry, innovation and infrastructure")),
    ("10", _("10 Reduced inequalities")),
    ("11", _("11 Sustainable cities and communities")),
    ("12", _("12 Responsible consumption and production")),
    ("13", _("13 Climate action")),
    ("14", _("14 Life below water")),
    ("15", _("15 Life on land")),
    ("16", _("16 Peace, justice and strong institutions")),
    ("17", _("17 Partnerships for the goals")),
]

CURRENCIES = [
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("PEN", "PEN"),
    ("CLP", "CLP"),
    ("COP", "COP"),
    ("HNL", "HNL"),
    ("ARS", "ARS"),
    ("BOB", "BOB"),
    ("MXN", "MXN"),
    ("GBP", "GBP"),
]


def country_currency(country) -> str:
    """The currency a partnership in ``country`` counts in by default: the country's legal
    tender (ISO 4217, from the CLDR data Babel ships) when the forms offer it, else USD."""
    from babel.numbers import get_territory_currencies

    code = str(country or "").upper()
    offered = {value for value, _label in CURRENCIES}
    if code:
        for currency in get_territory_currencies(code, tender=True):
            if currency in offered:
                return currency
    return "USD"
