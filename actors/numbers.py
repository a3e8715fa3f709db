"""Numbers as the reader's language writes them, in one place for pages, PDFs and emails.

- ``amount(300000, "PEN")``: grouped, with the currency's own precision (ISO 4217: two decimals
  for PEN and USD, none for CLP) and its ISO code where the language puts the currency:
  "PEN 300,000.00" in English, "300.000,00 PEN" in Spanish. The code, not the symbol: "$" is
  the sign of a dozen currencies and partnerships mix them.
- ``figure(300000, "PEN")``: the same number without the code, for a table whose currency has
  its own column.
- ``quantity(Decimal("3000.00"))``: a count, measurement or target, grouped, without trailing
  zeros ("3,000" and "3.000"; "2.5" and "2,5").

The language is the active one (the page's, the PDF's, the email recipient's: their callers
activate it). Babel has the CLDR data for every locale; Django's own localisation
(``USE_THOUSAND_SEPARATOR``) covers the other numbers the templates print.
"""

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_precision
from django.conf import settings
from django.utils import translation

EMPTY = "—"


def _locale() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return str(Locale.parse(translation.to_locale(language)))
    except (UnknownLocaleError, ValueError):
        return "en"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


@cache
def _amount_pattern(locale: str) -> str:
    """The locale's currency pattern with the ISO code (¤¤) instead of the symbol (¤), kept
    apart from the digits by a no-break space ("PEN 300,000.00", "300.000,00 PEN")."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    pattern = re.sub("¤+", "¤¤", pattern)
    pattern = re.sub(r"¤¤(?=[#0])", "¤¤\u00a0", pattern)
    return re.sub(r"(?<=[#0])¤¤", "\u00a0¤¤", pattern)


def _currency(currency) -> str:
    code = str(currency or "").strip().upper()
    return code if re.fullmatch(r"[A-Z]{3}", code) else ""


def amount(value, currency="") -> str:
    """``value`` in ``currency`` as the active language writes it; "—" for no value."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    code = _currency(currency)
    if not code:
        return figure(number)
    return format_currency(
        number, code, format=_amount_pattern(_locale()), locale=_locale(), currency_digits=True
    )


def figure(value, currency="") -> str:
    """The number of ``amount()`` without the currency code (two decimals without one)."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    code = _currency(currency)
    digits = get_currency_precision(code) if code else 2
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(number, format=pattern, locale=_locale(), decimal_quantization=True)


def quantity(value) -> str:
    """A count or measurement: grouped, up to three decimals, no trailing zeros."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    return format_decimal(number, locale=_locale())


def percent(value) -> str:
    """A percentage given as a number of hundredths (35 -> "35 %" in Spanish, "35%" in English)."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    from babel.numbers import format_percent

    return format_percent(number / 100, format=None, locale=_locale(), decimal_quantization=False)
