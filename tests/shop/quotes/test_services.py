"""The quote services: numbering, the states and who may move them, expiry, emails."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Refusal
from shop.cart.models import Cart, CartLine
from shop.quotes import selectors, services
from shop.quotes.models import Quote, QuoteEventKind, QuoteState
from tests.factories import CompanyMemberFactory, UserFactory

from .conftest import in_days, offer, request_quote

pytestmark = pytest.mark.django_db


def test_numbers_are_sequential_per_year(shop_products, trade_buyer):
    pan, _pot = shop_products
    first = request_quote(trade_buyer, {pan: 10})
    second = request_quote(trade_buyer, {pan: 20})
    assert (first.number, second.number) == (f"Q-{first.year}-0001", f"Q-{first.year}-0002")
    next_year = timezone.make_aware(timezone.datetime(first.year + 1, 1, 2, 12))
    with mock.patch("django.utils.timezone.now", return_value=next_year):
        third = request_quote(trade_buyer, {pan: 5})
    assert third.number == f"Q-{first.year + 1}-0001"


def test_request_keeps_lines_note_and_date_and_logs_it(shop_products, trade_buyer):
    pan, pot = shop_products
    quote = request_quote(
        trade_buyer, {pan: 10, pot: 3}, note=" For the new kitchen ", wanted_by=in_days(20)
    )
    assert quote.state == QuoteState.REQUESTED
    assert [(line.sku, line.quantity) for line in quote.lines.all()] == [
        ("PAN-1", 10),
        (pot.sku, 3),
    ]
    assert (quote.note, quote.wanted_by) == ("For the new kitchen", in_days(20))
    [event] = quote.events.all()
    assert (event.kind, event.actor, event.message) == (
        "requested",
        trade_buyer,
        "For the new kitchen",
    )


def test_retail_customers_cannot_request(shop_products):
    pan, _pot = shop_products
    with pytest.raises(Refusal, match="trade buyers"):
        request_quote(UserFactory(), {pan: 10})
    assert not Quote.objects.exists()


def test_wanted_date_in_the_past_is_refused(shop_products, trade_buyer):
    pan, _pot = shop_products
    with pytest.raises(Refusal, match="in the past"):
        request_quote(trade_buyer, {pan: 10}, wanted_by=in_days(-1))


def test_unknown_sku_is_refused_by_name(shop_products, trade_buyer):
    with pytest.raises(Refusal, match="Unknown SKU: NOPE-9"):
        services.quote_request_from_skus(customer=trade_buyer, items=[("pan-1", 2), ("NOPE-9", 1)])


def test_skus_match_case_insensitively_and_add_up(shop_products, trade_buyer):
    quote = services.quote_request_from_skus(
        customer=trade_buyer, items=[("pan-1", 2), ("PAN-1", 3)]
    )
    assert [(line.sku, line.quantity) for line in quote.lines.all()] == [("PAN-1", 5)]


def test_offer_sets_prices_and_emails_the_buyer_after_commit(
    shop_products, trade_buyer, staff, django_capture_on_commit_callbacks
):
    pan, pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10, pot: 2})
    with django_capture_on_commit_callbacks(execute=True):
        offer(quote, staff, {pan: "7.50", pot: "3.00"}, message="Best we can do", usable_once=False)
    quote.refresh_from_db()
    assert (quote.state, quote.offer_message, quote.usable_once) == (
        "offered",
        "Best we can do",
        False,
    )
    assert [line.unit_price for line in quote.lines.all()] == [Decimal("7.50"), Decimal("3.00")]
    [email] = mail.outbox
    assert email.to == ["trade@example.com"]
    assert quote.number in email.subject
    assert "7.50" in email.body and f"/portal/quotes/{quote.number}/" in email.body
    assert email.alternatives  # the HTML part


def test_offer_needs_a_price_for_every_line_or_a_discount(shop_products, trade_buyer, staff):
    pan, pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10, pot: 2})
    with pytest.raises(Refusal, match="Enter a unit price for"):
        offer(quote, staff, {pan: "7.50"})
    quote.refresh_from_db()
    assert quote.state == QuoteState.REQUESTED


def test_discount_on_the_whole_prices_the_lines_off_the_buyers_price(
    shop_products, trade_buyer, staff
):
    pan, pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10, pot: 2})
    offer(quote, staff, {pot: "3.00"}, discount_percent=Decimal("15"))
    prices = {line.product_id: line.unit_price for line in quote.lines.all()}
    assert prices == {pan.pk: Decimal("8.50"), pot.pk: Decimal("3.00")}  # pan: 10.00 - 15 %


def test_offer_valid_until_the_past_is_refused(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    with pytest.raises(Refusal, match="valid until today or later"):
        offer(quote, staff, days=-1)


def test_states_move_only_from_the_right_state(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    with pytest.raises(Refusal):
        services.quote_accept(quote=quote, buyer=trade_buyer)  # not offered yet
    offer(quote, staff)
    with pytest.raises(Refusal):
        offer(quote, staff)  # offered twice
    services.quote_decline(quote=quote, buyer=trade_buyer, message="Too dear")
    with pytest.raises(Refusal):
        services.quote_accept(quote=quote, buyer=trade_buyer)
    quote.refresh_from_db()
    assert quote.state == QuoteState.DECLINED


def test_revision_sends_the_offer_back_with_the_history_kept(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    with pytest.raises(Refusal, match="Say what"):
        services.quote_revision_ask(quote=quote, buyer=trade_buyer, message="  ")
    services.quote_revision_ask(quote=quote, buyer=trade_buyer, message="6.50 for 20?")
    quote.refresh_from_db()
    assert quote.state == QuoteState.REQUESTED
    offer(quote, staff, {pan: "6.50"})
    kinds = [(event.kind, event.message) for event in quote.events.all()]
    assert kinds == [
        ("requested", ""),
        ("offered", ""),
        (QuoteEventKind.REVISION, "6.50 for 20?"),
        ("offered", ""),
    ]


def test_accept_puts_the_lines_in_the_cart_which_carries_the_quote(
    shop_products, trade_buyer, staff
):
    pan, pot = shop_products
    cart = Cart.objects.create(user=trade_buyer)
    CartLine.objects.create(cart=cart, product=pot, quantity=1)
    CartLine.objects.create(cart=cart, product=pan, quantity=4)
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    services.quote_accept(quote=quote, buyer=trade_buyer)
    cart.refresh_from_db()
    assert cart.quote == quote
    assert dict(cart.lines.values_list("product_id", "quantity")) == {pan.pk: 10, pot.pk: 1}
    quote.refresh_from_db()
    assert quote.state == QuoteState.ACCEPTED and quote.accepted_at is not None


def test_another_buyer_cannot_answer_the_offer(shop_products, trade_buyer, staff, wholesale):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    other = UserFactory(group=wholesale)
    for answer in (services.quote_accept, services.quote_decline):
        with pytest.raises(Refusal, match="not yours"):
            answer(quote=quote, buyer=other)
    assert not Cart.objects.filter(user=other, quote__isnull=False).exists()


def test_a_company_colleague_may_accept(shop_products, staff):
    pan, _pot = shop_products
    member = CompanyMemberFactory()
    colleague = CompanyMemberFactory(company=member.company).user
    quote = request_quote(member.user, {pan: 10})
    assert quote.company == member.company
    offer(quote, staff)
    cart = services.quote_accept(quote=quote, buyer=colleague)
    assert cart.user == colleague and cart.quote == quote


def test_expired_offer_cannot_be_accepted(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff, days=0)
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=tomorrow),
        pytest.raises(Refusal, match="expired"),
    ):
        services.quote_accept(quote=quote, buyer=trade_buyer)


def test_validity_date_is_included(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff, days=3)
    services.quote_accept(quote=quote, buyer=trade_buyer)
    quote.refresh_from_db()
    assert selectors.use_refusal(quote, customer=trade_buyer, today=in_days(3)) is None
    assert "expired" in selectors.use_refusal(quote, customer=trade_buyer, today=in_days(4))


def test_expire_quotes_command_marks_past_offers_only(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    past, current, requested = (request_quote(trade_buyer, {pan: n}) for n in (1, 2, 3))
    offer(past, staff, days=1)
    offer(current, staff, days=5)
    assert services.quotes_expire(today=in_days(2)) == 1
    states = dict(Quote.objects.values_list("pk", "state"))
    assert states == {past.pk: "expired", current.pk: "offered", requested.pk: "requested"}
    assert past.events.filter(kind="expired").count() == 1


def test_reference_label_names_number_and_acceptance_day(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    accepted = timezone.make_aware(timezone.datetime(2026, 12, 3, 10))
    with mock.patch("django.utils.timezone.now", return_value=accepted):
        services.quote_accept(quote=quote, buyer=trade_buyer)
    quote.refresh_from_db()
    assert selectors.reference_label(quote) == f"Quote {quote.number}, accepted Dec. 3, 2026"
    assert date(2026, 12, 3) == timezone.localdate(quote.accepted_at)


def test_the_offer_email_is_in_the_buyers_language_not_the_managers(
    shop_products, trade_buyer, staff, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from customers.models import CustomerProfile

    CustomerProfile.objects.filter(user=trade_buyer).update(language="fr")
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        offer(quote, staff, {pan: "1234.50"})
    [email] = mail.outbox
    assert "notre offre pour le devis" in email.subject
    assert "1\u202f234,50\xa0€" in email.body
