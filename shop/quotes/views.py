"""The portal's quotes: a trade buyer asks for one (from his cart or typed SKUs), sees his own
and his company's, and answers an offer. Anyone else's quote is 404."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Refusal
from customers.web import private_page
from shop.cart import selectors as cart_selectors

from . import selectors, services
from .forms import MessageForm, RequestForm, RevisionForm, SkuRequestForm

QUOTES_PER_PAGE = 50


def _trade_only(request):
    if not selectors.may_request_quotes(request.user):
        raise Http404(_("Requests for quotes are open to trade buyers."))


def _visible(request, number):
    quote = selectors.quote_for(user=request.user, number=number)
    if quote is None:
        raise Http404(_("No such quote."))
    return quote


@login_required
@private_page
def quote_list(request):
    page = Paginator(selectors.quotes_for(user=request.user), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "shop/quotes/list.html",
        {"page": page, "may_request": selectors.may_request_quotes(request.user)},
    )


@login_required
@private_page
def quote_new(request):
    _trade_only(request)
    form = SkuRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            quote = services.quote_request_from_skus(
                customer=request.user,
                items=form.cleaned_data["items"],
                note=form.cleaned_data["note"],
                wanted_by=form.cleaned_data["wanted_by"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return _requested(request, quote)
    status = 400 if form.errors else 200
    return render(request, "shop/quotes/new.html", {"form": form}, status=status)


def _requested(request, quote):
    messages.success(
        request,
        _("Request %(number)s is sent: we will email you our offer.") % {"number": quote.number},
    )
    return redirect(services.quote_url(quote))


@login_required
@private_page
def quote_from_cart(request):
    """The cart page's "Request a quote": the cart's lines with a note and a date."""
    _trade_only(request)
    cart = cart_selectors.cart_get(user=request.user)
    lines = cart_selectors.cart_lines(cart)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quote = services.quote_request_create(
                customer=request.user,
                lines={line.product_id: line.quantity for line in lines},
                note=form.cleaned_data["note"],
                wanted_by=form.cleaned_data["wanted_by"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return _requested(request, quote)
    status = 400 if form.errors else 200
    return render(
        request, "shop/quotes/from_cart.html", {"form": form, "lines": lines}, status=status
    )


def _detail(request, quote, *, revision_form=None, decline_form=None, status=200):
    return render(
        request,
        "shop/quotes/detail.html",
        {
            "quote": quote,
            "lines": list(quote.lines.all()),
            "events": list(quote.events.all()),
            "expired": selectors.is_expired(quote),
            "usable": selectors.use_refusal(quote, customer=request.user) is None,
            "revision_form": revision_form or RevisionForm(),
            "decline_form": decline_form or MessageForm(),
        },
        status=status,
    )


@login_required
@private_page
def quote_detail(request, number):
    return _detail(request, _visible(request, number))


def _act(request, quote, action, *, done: str, then: str):
    """Run a buyer's `action` on the quote: a refusal goes back to the quote's page as an error,
    a success to `then` (a URL or its name) with the `done` message."""
    try:
        action()
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(services.quote_url(quote))
    messages.success(request, done)
    return redirect(then)


@login_required
@private_page
@require_POST
def quote_accept(request, number):
    quote = _visible(request, number)
    return _act(
        request,
        quote,
        partial(services.quote_accept, quote=quote, buyer=request.user),
        done=_("Quote %(number)s is accepted: its lines are in your cart at the quoted prices.")
        % {"number": quote.number},
        then="checkout:details",
    )


@login_required
@private_page
@require_POST
def quote_to_cart(request, number):
    quote = _visible(request, number)
    return _act(
        request,
        quote,
        partial(services.quote_to_cart, quote=quote, buyer=request.user),
        done=_("The quote's lines are in your cart at the quoted prices."),
        then="cart:detail",
    )


@login_required
@private_page
@require_POST
def quote_decline(request, number):
    quote = _visible(request, number)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _detail(request, quote, decline_form=form, status=400)
    message = form.cleaned_data["message"]
    return _act(
        request,
        quote,
        partial(services.quote_decline, quote=quote, buyer=request.user, message=message),
        done=_("The offer is declined."),
        then=services.quote_url(quote),
    )


@login_required
@private_page
@require_POST
def quote_revision(request, number):
    quote = _visible(request, number)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, quote, revision_form=form, status=400)
    message = form.cleaned_data["message"]
    return _act(
        request,
        quote,
        partial(services.quote_revision_ask, quote=quote, buyer=request.user, message=message),
        done=_("Your request for a revision is sent to our sales team."),
        then=services.quote_url(quote),
    )
