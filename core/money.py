"""Money and numbers as people read them, in the reader's language (Babel).

The pricing engine computes and rounds (`pricing.engine.to_cents`); this module only formats,
in the currency the settings name and with the number conventions of the active language's
locale (`SHOP_FORMAT_LOCALES`): `€1,234.50` in English, `1 234,50 €` in French; Arabic takes
the digits its locale uses by default.
"""

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from django.conf import settings
from django.utils.translation import get_language

from pricing.engine.money import to_cents

# Babel writes the locale's separators but always ASCII digits: the digits of the numbering
# systems an EU shop's Arabic (or Persian) locale may default to.
_DIGITS = {
    "arab": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "arabext": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}


@lru_cache(maxsize=32)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def _digits(text: str, locale: Locale) -> str:
    table = _DIGITS.get(locale.default_numbering_system)
    return text.translate(table) if table else text


def format_locale(language: str | None = None) -> Locale:
    """The Babel locale for a language code (the active language by default)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    locales = settings.SHOP_FORMAT_LOCALES
    name = locales.get(language) or locales.get(language.split("-")[0]) or language
    return _locale(name.replace("-", "_"))


def format_money(amount, *, currency: str | None = None) -> str:
    """An amount in the shop's currency (or another ISO code), for the reader; an empty
    string for a missing or unreadable amount."""
    if amount is None or amount == "":
        return ""
    try:
        value = to_cents(Decimal(amount))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return _money_text(value, currency or settings.SHOP_CURRENCY, str(format_locale()))


@lru_cache(maxsize=8192)
def _money_text(value: Decimal, currency: str, locale_name: str) -> str:
    """Babel's formatting, kept per amount: a page of many lines writes the same prices
    again and again, at ~0.1 ms each."""
    locale = _locale(locale_name)
    text = format_currency(value, currency, locale=locale, numbering_system="default")
    return _digits(text, locale)


def format_rate(rate) -> str:
    """A rate kept as a fraction, as a percentage: 0.2000 -> "20%", 0.0550 -> "5.5%" ("5,5 %"
    in French)."""
    try:
        value = Decimal(rate)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    locale = format_locale()
    text = format_percent(
        value, locale=locale, decimal_quantization=False, numbering_system="default"
    )
    return _digits(text, locale)


def format_number(value) -> str:
    """A quantity or count with the reader's digits and grouping: 12,345 or 12 345."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    locale = format_locale()
    return _digits(format_decimal(number, locale=locale, numbering_system="default"), locale)
