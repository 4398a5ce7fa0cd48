"""Shipping net split across the VAT rates of the goods it carries. Pure: no Django.

The usual EU practice for a delivery of goods taxed at several rates: shipping is an ancillary
supply and follows the goods, so its net is shared among their rates in proportion to the net
goods at each rate (after the cart discount). The parts are rounded to the cent by the largest
remainder method, so they add up exactly to the shipping net and each is within a cent of its
exact proportional share.
"""

from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


def split_net(net: Decimal, bases: dict[Decimal, Decimal]) -> tuple[tuple[Decimal, Decimal], ...]:
    """`(rate, net part)` pairs, highest rate first, for `net` shared across `bases` (rate ->
    net goods at that rate). Rates with no goods get no part; no part at all when `net` is 0
    or no rate has goods (the caller then taxes shipping at a rate of its own)."""
    bases = {rate: base for rate, base in bases.items() if base > 0}
    total = sum(bases.values(), Decimal("0"))
    if not net or not total:
        return ()
    rates = sorted(bases, reverse=True)
    exact = {rate: net * bases[rate] / total for rate in rates}
    parts = {rate: exact[rate].quantize(CENT, rounding=ROUND_DOWN) for rate in rates}
    left = int((net - sum(parts.values())) / CENT)
    # The cents rounding down left over go to the largest remainders (ties: highest rate).
    for rate in sorted(rates, key=lambda r: (-(exact[r] - parts[r]), -r))[:left]:
        parts[rate] += CENT
    return tuple((rate, parts[rate]) for rate in rates if parts[rate])
