"""Data of `seed_demo`: a quote wholesale@ asked for, offered by manager@ at a lower price for
30 days, waiting for his answer in the trade portal."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from customers.models import User
from pricing import services as pricing_services
from shop.models import Product, Quote, QuoteEvent
from shop.quotes import services as quote_services
from shop.quotes.models import QuoteEventKind, QuoteState

NOTE = "Quote for the terrace season: 24 pans, delivered in April."
LINES = [("KIT-101", 24)]
OFFER = "Our terrace-season price for Bistro Lumière."


def seed_offered_quote() -> None:
    """Once: a second run finds the quote by its note and changes nothing. The offer is
    written without `quote_offer_send`, so seeding sends no email."""
    buyer = User.objects.filter(email="wholesale@example.com").first()
    manager = User.objects.filter(email="manager@example.com").first()
    if buyer is None or Quote.objects.filter(buyer=buyer, note=NOTE).exists():
        return
    products = {product.sku: product for product in Product.objects.filter(sku__in=dict(LINES))}
    if len(products) != len(LINES):
        return
    quote = quote_services.quote_request_create(
        customer=buyer, lines={products[sku].pk: quantity for sku, quantity in LINES}, note=NOTE
    )
    for line in quote.lines.select_related("product"):
        usual = pricing_services.quote(line.product, line.quantity, customer=buyer).unit_price
        line.unit_price = (usual * Decimal("0.9")).quantize(Decimal("0.01"))
        line.save(update_fields=["unit_price"])
    quote.state = QuoteState.OFFERED
    quote.valid_until = timezone.localdate() + timedelta(days=30)
    quote.offer_message = OFFER
    quote.offered_at = timezone.now()
    quote.save(update_fields=["state", "valid_until", "offer_message", "offered_at"])
    QuoteEvent.objects.create(
        quote=quote, kind=QuoteEventKind.OFFERED, actor=manager, message=OFFER
    )
