"""The order as placed: one row and its lines written from the checked `OrderTotals`, with
snapshots of everything they were priced with (`order_place` calls this under its locks)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from pricing import explain
from shop.tax import mentions as tax_mentions

from ..models import NUMBER_ALPHABET, NUMBER_LENGTH, NUMBER_PREFIX, Order, OrderLine


def order_number_new() -> str:
    """`CPT-` and 8 random base32 characters: 40 bits, not guessable from another number."""
    return NUMBER_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


def _company_name(company, profile) -> str:
    if company is not None:
        return company.name
    return profile.company_name if profile else ""


def write_order(
    *,
    idempotency_key,
    customer,
    email,
    group,
    profile,
    company,
    billing,
    shipping,
    totals,
    payment_method,
    terms,
    terms_version_id=None,
    approval=None,
    quote_record=None,
) -> Order:
    """`quote_record`: the accepted `Quote` whose prices the lines may carry (each line priced
    at a quoted price points to it)."""
    quote, option = totals.quote, totals.shipping
    now = timezone.now()
    order = Order(
        access_token=secrets.token_urlsafe(32),
        idempotency_key=idempotency_key,
        user=customer,
        email=email,
        group=group,
        group_name=group.name,
        company=company,
        company_name=billing["company"] or _company_name(company, profile),
        vat_id=company.vat_id if company else (profile.vat_id if profile else ""),
        billing_address=billing,
        shipping_address=shipping,
        country=shipping["country"],
        shipping_method=option.method,
        shipping_method_name=option.method.name,
        payment_method=payment_method,
        payment_terms_days=terms,
        payment_due=(now + timedelta(days=terms)).date() if terms else None,
        prices_include_tax=quote.prices_include_tax,
        currency=settings.SHOP_CURRENCY,
        subtotal=quote.subtotal,
        discount_name=quote.discount.name if quote.discount else "",
        discount_amount=quote.discount_amount,
        shipping_net=option.net,
        shipping_tax_rate=option.tax_rate,
        shipping_tax=option.tax,
        shipping_vat=[part.as_json() for part in option.vat],
        net_total=totals.net_total,
        display_subtotal=quote.display_subtotal,
        display_discount=quote.display_discount,
        display_shipping=option.display,
        tax_total=totals.tax_total,
        total=totals.total,
        vat_regime=quote.vat.regime,
        vat_mention=tax_mentions.mention_text(quote.vat.mention),
        terms_version_id=terms_version_id,
        language=(profile.language if profile else "") or get_language() or settings.LANGUAGE_CODE,
        terms_accepted_at=now if terms_version_id else None,
        placed_at=now,
        approved_by=approval.decided_by if approval else None,
        approved_at=approval.decided_at if approval else None,
    )
    # Unique (40 random bits): on the rare number already taken, `order_place` places again.
    order.number = order_number_new()
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=line.product,
            sku=line.product.sku,
            name=line.product.name,
            quantity=line.quantity,
            base_unit_price=line.quote.base_unit_price,
            unit_price=line.quote.unit_price,
            line_total=line.line_total,
            discount_share=line.discount_share,
            tax_class=line.product.tax_class,
            tax_rate=line.tax_rate,
            tax=line.tax,
            display_unit_price=line.display_unit_price,
            display_total=line.display_total,
            price_rule_id=line.quote.rule.id if line.quote.rule else None,
            price_rule_name=line.quote.rule.name if line.quote.rule else "",
            quote=quote_record if line.quote.quoted else None,
            reasons=explain.as_json(line.quote.reasons),
            explanation=explain.render(line.quote.reasons),
        )
        for line in quote.lines
    )
    return order
