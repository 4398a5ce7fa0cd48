"""Writes of quotes: every state change goes through here, with the quote's row locked.

requested -> offered (a manager sends the offer) -> accepted (its lines go to the buyer's
cart, which then carries the quote), declined or expired; an offer can be sent back to
requested by the buyer's revision request. Each step is kept as a `QuoteEvent`. Placing an
order at the quoted prices counts one use (`quote_use`, from `order_place`)."""

from datetime import date
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_templated
from core.errors import Refusal
from core.locking import lock_row, lock_rows
from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from pricing import engine
from pricing import services as pricing_services
from shop.cart import services as cart_services
from shop.cart.models import Cart, CartLine
from shop.catalog import selectors as catalog_selectors
from shop.invoices.models import DocumentCounter, DocumentKind

from . import selectors
from .models import NUMBER_FORMAT, Quote, QuoteEvent, QuoteEventKind, QuoteLine, QuoteState

MAX_LINES = 200
MAX_QUANTITY = 100_000
_HUNDRED = Decimal(100)


def _next_sequence(*, year: int) -> int:
    """The next quote number of the year, from the gap-free counter of `shop.invoices`
    (locked until the transaction ends; the concurrency tests replace the lock)."""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(kind=DocumentKind.QUOTE, year=year, last=0)], ignore_conflicts=True
    )
    counter = lock_row(DocumentCounter.objects.filter(kind=DocumentKind.QUOTE, year=year))
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _locked(quote: Quote) -> Quote:
    return lock_row(Quote.objects.filter(pk=quote.pk))


def _event(quote: Quote, kind: str, actor=None, message: str = "") -> None:
    QuoteEvent.objects.create(quote=quote, kind=kind, actor=actor, message=message)


def _check_buyer(quote: Quote, buyer) -> None:
    """The buyer, or a member of the company the quote was asked for."""
    if quote.buyer_id == buyer.pk:
        return
    if quote.company_id is None or quote.company_id != company_selectors.company_id_for(buyer):
        raise Refusal(_("This quote is not yours."))


@transaction.atomic
def quote_request_create(
    *, customer, lines: dict[int, int], note: str = "", wanted_by: date | None = None
) -> Quote:
    """A request for quote of {product id: quantity}, numbered Q-<year>-<sequence>."""
    if not selectors.may_request_quotes(customer):
        raise Refusal(_("Requests for quotes are open to trade buyers."))
    if not lines:
        raise Refusal(_("Add at least one product to your request."))
    if len(lines) > MAX_LINES:
        raise Refusal(_("A request holds at most %(max)s products.") % {"max": MAX_LINES})
    if any(not isinstance(q, int) or not 1 <= q <= MAX_QUANTITY for q in lines.values()):
        raise Refusal(_("Enter a whole quantity of at least 1 for every product."))
    today = timezone.localdate()
    if wanted_by is not None and wanted_by < today:
        raise Refusal(_("The date you want the goods by is in the past."))
    group = customer_selectors.group_for(customer)
    products = list(catalog_selectors.visible_products(group=group, ids=list(lines)))
    if len(products) != len(lines):
        raise Refusal(_("A product of your request is not available."))
    sequence = _next_sequence(year=today.year)
    quote = Quote.objects.create(
        number=NUMBER_FORMAT.format(year=today.year, sequence=sequence),
        year=today.year,
        sequence=sequence,
        buyer=customer,
        company_id=company_selectors.company_id_for(customer),
        note=note.strip(),
        wanted_by=wanted_by,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            product=product,
            sku=product.sku,
            name=product.name,
            quantity=lines[product.pk],
        )
        for product in sorted(products, key=lambda product: product.pk)
    )
    _event(quote, QuoteEventKind.REQUESTED, customer, quote.note)
    return quote


@transaction.atomic
def quote_request_from_skus(
    *, customer, items: list[tuple[str, int]], note: str = "", wanted_by: date | None = None
) -> Quote:
    """A request for quote of typed (SKU, quantity) pairs; a SKU named twice adds up."""
    if not selectors.may_request_quotes(customer):
        raise Refusal(_("Requests for quotes are open to trade buyers."))
    group = customer_selectors.group_for(customer)
    found = catalog_selectors.visible_products_by_sku(group=group, skus=[sku for sku, _q in items])
    unknown = [sku for sku, _q in items if catalog_selectors.sku_key(sku) not in found]
    if unknown:
        raise Refusal(_("Unknown SKU: %(skus)s.") % {"skus": ", ".join(dict.fromkeys(unknown))})
    lines: dict[int, int] = {}
    for sku, quantity in items:
        product = found[catalog_selectors.sku_key(sku)]
        lines[product.pk] = lines.get(product.pk, 0) + quantity
    return quote_request_create(customer=customer, lines=lines, note=note, wanted_by=wanted_by)


def _discounted(line: QuoteLine, buyer, percent: Decimal) -> Decimal:
    """The buyer's own unit price for the line's quantity now, less `percent`."""
    usual = pricing_services.quote(line.product, line.quantity, customer=buyer).unit_price
    return engine.to_cents(usual * (_HUNDRED - percent) / _HUNDRED)


@transaction.atomic
def quote_offer_send(
    *,
    quote: Quote,
    manager,
    unit_prices: dict[int, Decimal | None],
    valid_until: date,
    message: str = "",
    usable_once: bool = True,
    discount_percent: Decimal | None = None,
    site_url: str = "",
) -> Quote:
    """Send the offer: a unit price per line (`unit_prices` by line id), or `discount_percent`
    off the buyer's own prices for the lines without one; valid until `valid_until` included.
    The buyer is emailed once the offer is saved."""
    quote = _locked(quote)
    if quote.state != QuoteState.REQUESTED:
        raise Refusal(_("Only a requested quote can be offered."))
    if valid_until < timezone.localdate():
        raise Refusal(_("The offer must be valid until today or later."))
    if discount_percent is not None and not 0 < discount_percent <= _HUNDRED:
        raise Refusal(_("Enter a discount between 0 and 100 %."))
    lines = list(quote.lines.select_related("product"))
    for line in lines:
        price = unit_prices.get(line.pk)
        if price is None and discount_percent is not None:
            price = _discounted(line, quote.buyer, discount_percent)
        if price is None or price < 0:
            raise Refusal(
                _("Enter a unit price for %(product)s, or a discount on the whole.")
                % {"product": line.name}
            )
        line.unit_price = price
    QuoteLine.objects.bulk_update(lines, ["unit_price"])
    quote.state = QuoteState.OFFERED
    quote.valid_until = valid_until
    quote.offer_message = message.strip()
    quote.usable_once = usable_once
    quote.discount_percent = discount_percent
    quote.offered_at = timezone.now()
    quote.save()
    _event(quote, QuoteEventKind.OFFERED, manager, quote.offer_message)
    transaction.on_commit(partial(quote_send_offer_email, quote_id=quote.pk, site_url=site_url))
    return quote


def quote_url(quote: Quote) -> str:
    return reverse("quotes:detail", args=[quote.number])


def quote_send_offer_email(*, quote_id: int, site_url: str = "") -> None:
    quote = Quote.objects.select_related("buyer").get(pk=quote_id)
    send_templated(
        template="quote_offered",
        to=[quote.buyer.email],
        language=customer_selectors.preferred_language(quote.buyer),
        context={
            "quote": quote,
            "lines": list(quote.lines.all()),
            "url": site_url + quote_url(quote),
        },
    )


def _locked_cart_and_quote(quote: Quote, buyer) -> tuple[Cart, Quote]:
    """The buyer's cart, then the quote, locked in the order `order_place` takes them."""
    cart = cart_services.cart_get_or_create(user=buyer)
    return lock_row(Cart.objects.filter(pk=cart.pk)), _locked(quote)


def _to_cart(quote: Quote, buyer, cart: Cart) -> Cart:
    """The quote's lines at their quantities in the buyer's cart, which now carries it; the
    cart's other lines stay, at the buyer's usual prices."""
    group = customer_selectors.group_for(buyer)
    in_cart = dict(CartLine.objects.filter(cart=cart).values_list("product_id", "quantity"))
    for line in quote.lines.all():
        missing = line.quantity - in_cart.get(line.product_id, 0)
        if missing > 0:
            cart_services.cart_add(
                cart=cart,
                product_id=line.product_id,
                quantity=missing,
                customer=buyer,
                group=group,
            )
    cart.quote = quote
    cart.save(update_fields=["quote", "updated_at"])
    return cart


@transaction.atomic
def quote_accept(*, quote: Quote, buyer) -> Cart:
    """Accept the offer: its lines go to the buyer's cart at the quoted prices."""
    cart, quote = _locked_cart_and_quote(quote, buyer)
    _check_buyer(quote, buyer)
    if quote.state != QuoteState.OFFERED:
        raise Refusal(_("Only an offer can be accepted."))
    if selectors.is_expired(quote):
        raise Refusal(_("This offer has expired: ask for a new quote."))
    quote.state = QuoteState.ACCEPTED
    quote.accepted_at = timezone.now()
    quote.save(update_fields=["state", "accepted_at"])
    _event(quote, QuoteEventKind.ACCEPTED, buyer)
    return _to_cart(quote, buyer, cart)


@transaction.atomic
def quote_to_cart(*, quote: Quote, buyer) -> Cart:
    """Put an accepted quote's lines in the buyer's cart again (a colleague's, or an offer
    usable more than once)."""
    cart, quote = _locked_cart_and_quote(quote, buyer)
    refusal = selectors.use_refusal(quote, customer=buyer)
    if refusal is not None:
        raise Refusal(refusal)
    return _to_cart(quote, buyer, cart)


@transaction.atomic
def quote_decline(*, quote: Quote, buyer, message: str = "") -> Quote:
    quote = _locked(quote)
    _check_buyer(quote, buyer)
    if quote.state != QuoteState.OFFERED:
        raise Refusal(_("Only an offer can be declined."))
    quote.state = QuoteState.DECLINED
    quote.save(update_fields=["state"])
    _event(quote, QuoteEventKind.DECLINED, buyer, message.strip())
    return quote


@transaction.atomic
def quote_revision_ask(*, quote: Quote, buyer, message: str) -> Quote:
    """Send the offer back to the managers with what the buyer would change."""
    quote = _locked(quote)
    _check_buyer(quote, buyer)
    if quote.state != QuoteState.OFFERED:
        raise Refusal(_("A revision can be asked only on an offer."))
    message = message.strip()
    if not message:
        raise Refusal(_("Say what you would like changed."))
    quote.state = QuoteState.REQUESTED
    quote.save(update_fields=["state"])
    _event(quote, QuoteEventKind.REVISION, buyer, message)
    return quote


@transaction.atomic
def quotes_expire(*, today: date | None = None) -> int:
    """Offers and accepted quotes past their validity date become expired; how many."""
    today = today or timezone.localdate()
    due = lock_rows(
        Quote.objects.filter(
            Q(state=QuoteState.OFFERED) | Q(state=QuoteState.ACCEPTED), valid_until__lt=today
        )
    )
    for quote in due:
        quote.state = QuoteState.EXPIRED
    Quote.objects.bulk_update(due, ["state"])
    QuoteEvent.objects.bulk_create(
        QuoteEvent(quote=quote, kind=QuoteEventKind.EXPIRED) for quote in due
    )
    return len(due)


def _lock_quote_row(quote_id: int) -> Quote | None:
    """The quote's row, locked until the order is written (the concurrency tests replace
    this with an unlocked read to show the race it prevents)."""
    return lock_row(Quote.objects.filter(pk=quote_id))


def quote_for_order(*, quote_id: int, customer) -> tuple[Quote | None, dict, str]:
    """Under `order_place`'s transaction: the cart's quote locked, its prices when the buyer
    may use them now, or the message saying why not."""
    quote = _lock_quote_row(quote_id)
    if quote is None:
        return None, {}, ""
    refusal = selectors.use_refusal(quote, customer=customer)
    if refusal is not None:
        return quote, {}, refusal
    return quote, selectors.quoted_prices_of(quote), ""


def quote_use(*, quote: Quote, customer) -> None:
    """Count one order placed at the quote's prices (its row locked by `quote_for_order`)."""
    quote.times_used += 1
    quote.save(update_fields=["times_used"])
    _event(quote, QuoteEventKind.USED, customer)
