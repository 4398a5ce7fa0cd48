"""Paying an order by card: the payment page (the provider's form or a redirect to the
provider), the success and failure pages the provider sends the buyer back to, and the
provider's callbacks. Guests reach their order with its secret link, customers their own
orders only: anything else is 404.

The provider's processing is wrapped by `card_payment_process`, which applies the payment to
the order through `order_mark_paid` (no signal)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from payments import PaymentError
from payments.core import provider_factory

from core.errors import Refusal
from shop.orders import selectors as order_selectors
from shop.orders import services as order_services

from . import selectors, services
from .models import PaymentMethod

logger = logging.getLogger(__name__)


def _order(request, number, token):
    """The order the visitor may pay, or a response (log in) to return instead."""
    if token is None:
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        order = order_selectors.order_for_customer(user=request.user, number=number)
    else:
        order = order_selectors.order_for_guest(number=number, token=token)
    if order is None or order.payment_method not in (
        PaymentMethod.CARD,
        PaymentMethod.BANK_TRANSFER,
    ):
        raise Http404(_("No such order."))
    return order, None


def card_pay_url(order) -> str:
    """The order's card payment page (guests: with the order's secret)."""
    if order.user_id:
        return reverse("payments:pay", args=[order.number])
    return reverse("payments:guest_pay", args=[order.number, order.access_token])


def _where_to(processed) -> HttpResponseRedirect | None:
    """Our success or failure page (on the host the buyer uses) once the payment is decided or
    the provider says so; the provider's own page (Stripe Checkout, 3-D Secure) when it asks
    for it; None to show the payment page."""
    payment = processed.payment
    if processed.outcome == services.PAID:
        return redirect(payment.local_success_url())
    if processed.outcome in (services.FAILED, services.ATTENTION):
        return redirect(payment.local_failure_url())
    if not processed.redirect_url:
        return None
    if processed.redirect_url == payment.get_success_url():
        return redirect(payment.local_success_url())
    if processed.redirect_url == payment.get_failure_url():
        return redirect(payment.local_failure_url())
    return redirect(processed.redirect_url)


def _context(order, **extra) -> dict:
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "order_url": order_services.order_url(order),
        "pay_url": card_pay_url(order),
        "held_until": order.placed_at
        + timedelta(minutes=settings.SHOP_CARD_PAYMENT_TIMEOUT_MINUTES),
        **extra,
    }


@cache_control(private=True, no_store=True)
def card_pay(request, number, token=None):
    """The provider's form for the order's card payment (the dummy provider lets you choose
    the outcome), or a redirect to the provider's page."""
    order, response = _order(request, number, token)
    if response is not None:
        return response
    if order.paid_at is not None:
        return redirect(_success_path(order))
    if order.payment_method != PaymentMethod.CARD or order.cancelled_at is not None:
        return redirect(order_services.order_url(order))
    try:
        payment = services.card_payment_start(
            order=order, customer_ip=request.META.get("REMOTE_ADDR")
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(order_services.order_url(order))
    data = request.POST if request.method == "POST" else None
    processed = services.card_payment_process(
        payment=payment,
        step=lambda payment: payment.get_form(data=data),
        mark_paid=order_services.order_mark_paid,
    )
    response = _where_to(processed)
    if response is not None:
        return response
    return render(
        request,
        "shop/payments/pay.html",
        _context(
            order,
            payment=processed.payment,
            form=processed.result,
            error=processed.error,
            is_test_provider=settings.SHOP_CARD_PROVIDER == "dummy",
        ),
    )


def _success_path(order) -> str:
    if order.user_id:
        return reverse("payments:paid", args=[order.number])
    return reverse("payments:guest_paid", args=[order.number, order.access_token])


def _check_with_provider(payment):
    """Ask the provider for the payment's status when it can tell (Stripe), in case its
    callback has not arrived yet."""
    provider = provider_factory(payment.variant)
    status = getattr(provider, "status", None)
    if status is not None and payment.status in selectors.OPEN_STATUSES:
        status(payment)


@cache_control(private=True, no_store=True)
def card_paid(request, number, token=None):
    """Where the provider sends the buyer after paying: the order paid and its confirmation,
    or, while the provider has not confirmed yet, a page saying so."""
    order, response = _order(request, number, token)
    if response is not None:
        return response
    if order.paid_at is None and order.payment_method != PaymentMethod.CARD:
        return redirect(order_services.order_url(order))
    payment = selectors.latest_card_payment(order=order)
    if order.paid_at is None and payment is not None:
        try:
            processed = services.card_payment_process(
                payment=payment,
                step=_check_with_provider,
                mark_paid=order_services.order_mark_paid,
            )
        except ValueError:  # the variant is no longer configured
            processed = None
        if processed is not None and processed.outcome in (services.FAILED, services.ATTENTION):
            return redirect(processed.payment.local_failure_url())
        order, _response = _order(request, number, token)
    return render(request, "shop/payments/paid.html", _context(order, payment=payment))


@cache_control(private=True, no_store=True)
def card_failed(request, number, token=None):
    """Where the provider sends the buyer when the payment did not go through: try again, or
    pay by bank transfer; the order is kept (its stock held) until the clean-up."""
    order, response = _order(request, number, token)
    if response is not None:
        return response
    if order.paid_at is not None:
        return redirect(_success_path(order))
    payment = selectors.latest_card_payment(order=order)
    return render(
        request,
        "shop/payments/failed.html",
        _context(
            order,
            payment=payment,
            can_switch=(
                order.payment_method == PaymentMethod.CARD
                and order.cancelled_at is None
                and selectors.bank_transfer_allowed(order.group)
            ),
        ),
    )


@cache_control(private=True, no_store=True)
@require_POST
def card_switch_to_bank_transfer(request, number, token=None):
    order, response = _order(request, number, token)
    if response is not None:
        return response
    try:
        order = services.card_order_switch_to_bank_transfer(order=order)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(order_services.order_url(order))
    messages.success(
        request, _("Your order will be paid by bank transfer: our bank details are below.")
    )
    return redirect(order_services.order_url(order))


# Provider callbacks (django-payments' routes, wrapped).


def _callback(request, payment, provider):
    try:
        processed = services.card_payment_process(
            payment=payment,
            step=lambda payment: provider.process_data(payment, request),
            mark_paid=order_services.order_mark_paid,
        )
    except (PaymentError, ValueError) as error:
        logger.warning("Card payment %s: callback refused: %s", payment.pk, error)
        return JsonResponse({"error": str(error)}, status=400)
    if processed.error:
        return JsonResponse({"error": processed.error}, status=400)
    response = processed.result
    if isinstance(response, HttpResponseRedirect) and not processed.redirect_url:
        processed.redirect_url = response.url
    if processed.redirect_url:
        return _where_to(processed)
    return response


@csrf_exempt
def process_payment(request, token):
    """The provider's per-payment callback (and the buyer's return from 3-D Secure)."""
    payment = selectors.card_payment_by_token(token)
    if payment is None:
        raise Http404(_("No such payment."))
    try:
        provider = provider_factory(payment.variant, payment)
    except ValueError as error:
        raise Http404(_("No such payment.")) from error
    return _callback(request, payment, provider)


@csrf_exempt
def static_process_payment(request, variant):
    """The provider's webhook for all payments (Stripe): the payment is named in the body."""
    try:
        provider = provider_factory(variant)
    except ValueError:
        return JsonResponse({"error": "Unknown payment provider."}, status=404)
    try:
        token = provider.get_token_from_request(payment=None, request=request)
    except (PaymentError, ValueError, NotImplementedError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    payment = selectors.card_payment_by_token(token)
    if payment is None:
        return JsonResponse({"error": "Payment not found."}, status=404)
    return _callback(request, payment, provider)
