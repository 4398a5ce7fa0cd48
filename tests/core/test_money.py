"""Money and numbers in the reader's language: the shop's currency from the settings, the
locale's grouping, decimal mark, symbol placement and digits, no second rounding rule."""

from decimal import Decimal

from django.utils import translation

from core.money import format_money, format_number, format_rate

NNBSP, NBSP = "\u202f", "\xa0"


def test_english_writes_the_symbol_first_with_comma_grouping():
    with translation.override("en"):
        assert format_money(Decimal("1234.5")) == "€1,234.50"
        assert format_money(Decimal("-18.01")) == "-€18.01"


def test_french_groups_with_a_narrow_space_and_puts_the_euro_after():
    with translation.override("fr"):
        assert format_money(Decimal("1234.56")) == f"1{NNBSP}234,56{NBSP}€"
        assert format_rate(Decimal("0.055")) == f"5,5{NBSP}%"
        assert format_number(12345) == f"12{NNBSP}345"


def test_arabic_follows_its_locale_digits(settings):
    with translation.override("ar"):
        assert format_money(Decimal("1234.5")) == f"\u200f1,234.50{NBSP}€"
    settings.SHOP_FORMAT_LOCALES = {**settings.SHOP_FORMAT_LOCALES, "ar": "ar_EG"}
    with translation.override("ar"):
        assert format_money(Decimal("1234.5")) == f"\u200f١٬٢٣٤٫٥٠{NBSP}€"
        assert format_number(25) == "٢٥"


def test_the_currency_follows_the_settings(settings):
    settings.SHOP_CURRENCY = "CHF"
    with translation.override("en"):
        assert format_money(Decimal("10")) == "CHF10.00"
        assert format_money(Decimal("10"), currency="EUR") == "€10.00"


def test_rounding_is_the_engines_half_up_to_the_cent():
    with translation.override("en"):
        assert format_money(Decimal("2.345")) == "€2.35"


def test_rates_keep_their_decimals():
    with translation.override("en"):
        assert format_rate(Decimal("0.2000")) == "20%"
        assert format_rate(Decimal("0.055")) == "5.5%"


def test_missing_or_unreadable_amounts_are_blank():
    assert format_money(None) == ""
    assert format_money("") == ""
    assert format_money("abc") == ""
    assert format_rate("abc") == ""
