"""The VAT decision, table-tested: no database, no Django."""
# ruff: noqa: E501  (the decision table reads one case per line)

from decimal import Decimal

import pytest

from shop.tax import vat
from shop.tax.vat import CONSUMER, Buyer, Mention, Regime

RATES = {
    ("FR", "standard"): Decimal("0.2000"),
    ("FR", "reduced"): Decimal("0.0550"),
    ("DE", "standard"): Decimal("0.1900"),
    ("DE", "reduced"): Decimal("0.0700"),
    ("IT", "standard"): Decimal("0.2200"),
    ("GR", "standard"): Decimal("0.2400"),
}
GERMAN_COMPANY = Buyer(vat_country="DE")
FRENCH_COMPANY = Buyer(vat_country="FR")
GREEK_COMPANY = Buyer(vat_country="GR")

CASES = [
    # id, destination, buyer, tax class, regime, rate, rate country, mention
    ("pickup", None, CONSUMER, "standard", Regime.DOMESTIC, "0.2000", "FR", None),
    ("pickup by a German company", None, GERMAN_COMPANY, "standard", Regime.DOMESTIC, "0.2000", "FR", None),
    ("French consumer", "FR", CONSUMER, "reduced", Regime.DOMESTIC, "0.0550", "FR", None),
    ("French company", "FR", FRENCH_COMPANY, "standard", Regime.DOMESTIC, "0.2000", "FR", None),
    ("German company delivered in France", "FR", GERMAN_COMPANY, "standard", Regime.DOMESTIC, "0.2000", "FR", None),
    ("Monaco is France", "MC", CONSUMER, "standard", Regime.DOMESTIC, "0.2000", "FR", None),
    ("Italian consumer pays Italy's rate", "IT", CONSUMER, "standard", Regime.EU_CONSUMER, "0.2200", "IT", None),
    ("German consumer, reduced class", "DE", CONSUMER, "reduced", Regime.EU_CONSUMER, "0.0700", "DE", None),
    ("German company without a valid number", "DE", CONSUMER, "standard", Regime.EU_CONSUMER, "0.1900", "DE", None),
    ("French company delivered in Germany", "DE", FRENCH_COMPANY, "standard", Regime.EU_CONSUMER, "0.1900", "DE", None),
    ("German company with a valid number", "DE", GERMAN_COMPANY, "standard", Regime.REVERSE_CHARGE, "0", "DE", Mention.REVERSE_CHARGE),
    ("German company, no German rate needed", "DE", GERMAN_COMPANY, "zero", Regime.REVERSE_CHARGE, "0", "DE", Mention.REVERSE_CHARGE),
    ("Greek company (EL number, GR country)", "GR", GREEK_COMPANY, "standard", Regime.REVERSE_CHARGE, "0", "GR", Mention.REVERSE_CHARGE),
    ("Switzerland", "CH", CONSUMER, "standard", Regime.EXPORT, "0", "CH", Mention.EXPORT),
    ("German company delivered in Switzerland", "CH", GERMAN_COMPANY, "standard", Regime.EXPORT, "0", "CH", Mention.EXPORT),
    ("United Kingdom", "GB", CONSUMER, "standard", Regime.EXPORT, "0", "GB", Mention.EXPORT),
    ("Norway", "NO", CONSUMER, "reduced", Regime.EXPORT, "0", "NO", Mention.EXPORT),
    ("Italy without a reduced rate", "IT", CONSUMER, "reduced", Regime.NO_RATE, None, "IT", None),
    ("Spain without any rate", "es", CONSUMER, "standard", Regime.NO_RATE, None, "ES", None),
    ("the shop's own country without a rate", "FR", CONSUMER, "zero", Regime.NO_RATE, None, "FR", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("destination", "buyer", "tax_class", "regime", "rate", "country", "mention"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_decision(destination, buyer, tax_class, regime, rate, country, mention):
    decision = vat.decide(
        seller_country="FR",
        destination=destination,
        buyer=buyer,
        tax_class=tax_class,
        rates=RATES,
    )
    assert decision.regime == regime
    assert decision.rate == (None if rate is None else Decimal(rate))
    assert decision.country == country
    assert decision.mention == mention
    assert decision.refused == (regime == Regime.NO_RATE)


def test_a_seller_in_monaco_sells_domestically_to_france():
    decision = vat.decide(
        seller_country="MC", destination="FR", buyer=CONSUMER, tax_class="standard", rates=RATES
    )
    assert (decision.regime, decision.rate) == (Regime.DOMESTIC, Decimal("0.2000"))


def test_a_german_seller_charges_french_vat_to_a_french_consumer():
    decision = vat.decide(
        seller_country="DE", destination="FR", buyer=CONSUMER, tax_class="standard", rates=RATES
    )
    assert (decision.regime, decision.rate) == (Regime.EU_CONSUMER, Decimal("0.2000"))


def test_the_27_member_states():
    assert len(vat.EU_MEMBER_STATES) == 27
    assert {"GR", "SI", "CY", "MT"} <= vat.EU_MEMBER_STATES
    assert not {"EL", "GB", "CH", "NO", "MC", "XI"} & vat.EU_MEMBER_STATES


@pytest.mark.parametrize(
    ("country", "prefix"), [("GR", "EL"), ("gr", "EL"), ("DE", "DE"), ("AT", "AT")]
)
def test_vat_prefix(country, prefix):
    assert vat.vat_prefix(country) == prefix


@pytest.mark.parametrize(
    ("number", "country"), [("EL094259216", "GR"), ("DE136695976", "DE"), ("atu57194903", "AT")]
)
def test_country_of_vat_number(number, country):
    assert vat.country_of_vat_number(number) == country
