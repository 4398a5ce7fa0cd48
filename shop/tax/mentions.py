"""The words of the VAT decision, in the active language: the legal mentions an order and its
invoice carry, and the refusal of a destination the shop has no rate for."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.countries import country_name

from .vat import Mention, Regime

REGIME_LABELS = {
    Regime.DOMESTIC: gettext_lazy("Domestic VAT"),
    Regime.EU_CONSUMER: gettext_lazy("VAT of the destination (EU one-stop shop)"),
    Regime.REVERSE_CHARGE: gettext_lazy("Reverse charge"),
    Regime.EXPORT: gettext_lazy("Export outside the EU"),
    Regime.NO_RATE: gettext_lazy("No VAT rate configured"),
}


def mention_text(mention: Mention | None) -> str:
    """The legal mention to print on the order and the invoice ("" for taxed sales)."""
    if mention == Mention.REVERSE_CHARGE:
        return _("Reverse charge: VAT due by the customer, article 196 of Directive 2006/112/EC.")
    if mention == Mention.EXPORT:
        return _("Export outside the EU: VAT exempt, article 146 of Directive 2006/112/EC.")
    return ""


def no_rate_message(country: str) -> str:
    return _(
        "We cannot deliver to %(country)s yet: no VAT rate is set up for that country. "
        "Please choose another delivery address or contact us."
    ) % {"country": country_name(country)}
