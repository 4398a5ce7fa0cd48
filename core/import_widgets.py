"""Widgets of django-import-export that read a manager's spreadsheet strictly and say what is
wrong in his terms, shared by every import (price rules, the catalogue, tax rates).

The library's widgets raise errors meant for developers ("ConversionSyntax") or read anything
unknown as False; these raise `ValueError` with a sentence, which the resource reports on the
row."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import widgets

TRUE_WORDS = frozenset({"1", "yes", "true", "y"})
FALSE_WORDS = frozenset({"0", "no", "false", "n"})


def text(value) -> str:
    return "" if value is None else str(value).strip()


class DecimalWidget(widgets.DecimalWidget):
    """A number written with a dot; "17" or "17.5" read as 17.00 and 17.50 (more decimals
    than the field has stay as written, for the model's validation to refuse)."""

    def __init__(self, places: int = 2, **kwargs):
        self.places = places
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):  # spreadsheets hand numbers over as floats
            value = repr(value)
        raw = text(value)
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
        if number.as_tuple().exponent > -self.places:
            number = number.quantize(Decimal(1).scaleb(-self.places))
        return number

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        if isinstance(value, int):
            return value
        raw = text(value)
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": raw})
        if abs(number) > 2**31:
            raise ValueError(_("“%(value)s” is too large.") % {"value": raw})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class YesNoWidget(widgets.BooleanWidget):
    """yes / no (also 1 / 0, true / false); anything else is an error, never a silent no."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        raw = text(value).lower()
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise ValueError(_("Write yes or no, not “%(value)s”.") % {"value": text(value)})

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return bool(value)
        return "yes" if value else "no"


class ChoiceWidget(widgets.CharWidget):
    """A choice written as its stored value (fixed_price, standard ...), in any letter case;
    `message` says what else may be written (`%(value)s`, `%(values)s`)."""

    def __init__(self, choices, *, message, **kwargs):
        self.values = [value for value, _label in choices]
        self.message = message
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        raw = text(value).lower()
        if raw not in self.values:
            raise ValueError(
                self.message % {"value": text(value), "values": ", ".join(self.values)}
            )
        return raw
