"""Reference codes the forms offer: a curated subset of OECD DAC purpose codes and the SDGs.

The full IATI code lists stay outside the repository; tests check these against them.
"""

from django.utils.translation import gettext_lazy as _

DAC_SECTORS = [
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
