"""Money formatting: the shop's currency from the settings, no second rounding rule."""

from decimal import Decimal

from core.money import format_money


def test_amounts_are_written_in_the_shop_currency(settings):
    settings.SHOP_CURRENCY, settings.SHOP_CURRENCY_SYMBOL = "EUR", "€"
    assert format_money(Decimal("1234.5")) == "€1,234.50"
    assert format_money(Decimal("-18.01")) == "-€18.01"


def test_the_currency_follows_the_settings(settings):
    settings.SHOP_CURRENCY, settings.SHOP_CURRENCY_SYMBOL = "CHF", "CHF "
    assert format_money(Decimal("10")) == "CHF 10.00"
    assert format_money(Decimal("10"), currency="EUR") == "EUR 10.00"


def test_rounding_is_the_engines_half_up_to_the_cent():
    assert format_money(Decimal("2.345")) == "€2.35"


def test_missing_or_unreadable_amounts_are_blank():
    assert format_money(None) == ""
    assert format_money("") == ""
    assert format_money("abc") == ""
