"""Reads of quotes: a buyer's own and his company's, and the quoted prices a cart carries.

A quote is visible to its buyer and, when it was asked for a company, to every member of that
company (colleagues see, accept and use the company's offers); anyone else never sees it."""

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from pricing import engine

from .models import Quote, QuoteEvent, QuoteLine, QuoteState, is_quote_number


def may_request_quotes(user) -> bool:
    """Trade buyers ask for quotes (customers whose group has the wholesale portal), and the
    customers of groups that allow it."""
    if user is None or not user.is_authenticated or user.is_staff:
        return False
    group = customer_selectors.group_for(user)
    return group.portal_access or group.can_request_quotes


def _visible_to(user):
    if user is None or not user.is_authenticated:
        return Quote.objects.none()
    company_id = company_selectors.company_id_for(user)
    mine = Q(buyer_id=user.pk)
    if company_id is not None:
        mine |= Q(company_id=company_id)
    return Quote.objects.filter(mine)


def quotes_for(*, user):
    """The quotes the user may see, newest first, with their line count."""
    return (
        _visible_to(user)
        .select_related("buyer")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def quote_for(*, user, number) -> Quote | None:
    """One quote the user may see, with its lines and history; None for anyone else's."""
    if not is_quote_number(number):
        return None
    return (
        _visible_to(user)
        .select_related("buyer", "company")
        .prefetch_related(
            Prefetch("lines", queryset=QuoteLine.objects.select_related("product")),
            Prefetch("events", queryset=QuoteEvent.objects.select_related("actor")),
        )
        .filter(number=number)
        .first()
    )


def reference_label(quote: Quote) -> str:
    """How explanations name the quote: "Quote Q-2026-0042, accepted 3 Dec 2026"."""
    if quote.accepted_at is None:
        return _("Quote %(number)s") % {"number": quote.number}
    return _("Quote %(number)s, accepted %(date)s") % {
        "number": quote.number,
        "date": formats.date_format(timezone.localdate(quote.accepted_at), "DATE_FORMAT"),
    }


def is_expired(quote: Quote, *, today: date | None = None) -> bool:
    """Past its validity date (the date itself is included)."""
    today = today or timezone.localdate()
    return quote.valid_until is not None and today > quote.valid_until


def use_refusal(quote: Quote, *, customer, today: date | None = None) -> str | None:
    """Why `customer` cannot order at this quote's prices now, else None."""
    label = {"number": quote.number}
    if customer is None or not customer.is_authenticated:
        return _("Quote %(number)s is not yours.") % label
    company_id = company_selectors.company_id_for(customer)
    if quote.buyer_id != customer.pk and (
        quote.company_id is None or quote.company_id != company_id
    ):
        return _("Quote %(number)s is not yours.") % label
    if quote.state == QuoteState.EXPIRED or (
        quote.state == QuoteState.ACCEPTED and is_expired(quote, today=today)
    ):
        return _(
            "Quote %(number)s expired on %(date)s: your cart is priced at your usual prices."
        ) % {**label, "date": formats.date_format(quote.valid_until, "DATE_FORMAT")}
    if quote.state != QuoteState.ACCEPTED:
        return _("Quote %(number)s is not accepted.") % label
    if quote.usable_once and quote.times_used:
        return (
            _(
                "Quote %(number)s was already used in an order: your cart is priced at your usual "
                "prices."
            )
            % label
        )
    return None


def quoted_prices_of(quote: Quote) -> dict[int, engine.QuotedPrice]:
    """{product id: quoted price} of the quote's lines (read with `quote.lines`)."""
    reference = reference_label(quote)
    return {
        line.product_id: engine.QuotedPrice(
            product_id=line.product_id,
            unit_price=line.unit_price,
            min_quantity=line.quantity,
            reference_label=reference,
        )
        for line in quote.lines.all()
        if line.unit_price is not None
    }


def cart_quote(cart, *, customer) -> tuple[Quote | None, dict[int, engine.QuotedPrice], str]:
    """The quote the cart carries, its prices when `customer` may use them now, and the
    message saying why not ("" when usable or no quote). Two queries with a quote, none
    without."""
    if cart is None or cart.quote_id is None:
        return None, {}, ""
    quote = Quote.objects.prefetch_related("lines").filter(pk=cart.quote_id).first()
    if quote is None:
        return None, {}, ""
    refusal = use_refusal(quote, customer=customer)
    if refusal is not None:
        return quote, {}, refusal
    return quote, quoted_prices_of(quote), ""


def quotes_waiting_count() -> int:
    """Requests no manager has answered yet (the managers' dashboard)."""
    return Quote.objects.filter(state=QuoteState.REQUESTED).count()
