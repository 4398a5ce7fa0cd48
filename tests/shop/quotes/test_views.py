"""The portal's quote pages and the admin's offer page: who sees what, forms, query counts."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from customers.permissions import SHOP_MANAGERS
from shop.cart.models import Cart, CartLine
from shop.quotes.models import Quote, QuoteState
from tests.factories import CompanyMemberFactory, ProductFactory, StaffUserFactory, UserFactory

from .conftest import in_days, offer, request_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client, trade_buyer):
    client.force_login(trade_buyer)
    return client


def test_request_from_the_cart(buyer_client, trade_buyer, shop_products):
    pan, _pot = shop_products
    cart = Cart.objects.create(user=trade_buyer)
    CartLine.objects.create(cart=cart, product=pan, quantity=12)
    assert "/portal/quotes/from-cart/" in buyer_client.get("/cart/").content.decode()
    response = buyer_client.post(
        "/portal/quotes/from-cart/", {"note": "Delivery to the back door", "wanted_by": in_days(7)}
    )
    quote = Quote.objects.get()
    assert response.status_code == 302 and response.url == f"/portal/quotes/{quote.number}/"
    assert [(line.product, line.quantity) for line in quote.lines.all()] == [(pan, 12)]
    assert quote.note == "Delivery to the back door"


def test_retail_cart_has_no_quote_button(client, shop_products):
    pan, _pot = shop_products
    user = UserFactory()
    Cart.objects.create(user=user).lines.create(product=pan, quantity=1)
    client.force_login(user)
    assert "/portal/quotes/from-cart/" not in client.get("/cart/").content.decode()
    assert client.get("/portal/quotes/from-cart/").status_code == 404


def test_a_group_that_allows_it_lets_any_customer_request_a_quote(client, shop_products):
    from tests.factories import CustomerGroupFactory

    pan, _pot = shop_products
    user = UserFactory(group=CustomerGroupFactory(can_request_quotes=True, portal_access=False))
    Cart.objects.create(user=user).lines.create(product=pan, quantity=3)
    client.force_login(user)
    assert "/portal/quotes/from-cart/" in client.get("/cart/").content.decode()
    assert "/portal/quotes/" in client.get("/accounts/").content.decode()
    response = client.post("/portal/quotes/from-cart/", {"note": "", "wanted_by": in_days(7)})
    quote = Quote.objects.get()
    assert response.url == f"/portal/quotes/{quote.number}/" and quote.buyer == user


def test_request_by_sku_keeps_what_was_typed_on_error(buyer_client, shop_products):
    response = buyer_client.post(
        "/portal/quotes/new/", {"lines": "PAN-1 10\nNOPE-1 2", "note": "Urgent", "wanted_by": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Unknown SKU: NOPE-1" in body
    assert "PAN-1 10\nNOPE-1 2" in body and "Urgent" in body
    assert not Quote.objects.exists()


def test_request_by_sku_with_a_bad_quantity_and_a_bad_date(buyer_client, shop_products):
    response = buyer_client.post("/portal/quotes/new/", {"lines": "PAN-1 ten", "wanted_by": "soon"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "PAN-1 ten" in body and 'value="soon"' in body
    assert not Quote.objects.exists()


def test_request_by_sku(buyer_client, shop_products):
    response = buyer_client.post("/portal/quotes/new/", {"lines": "pan-1 10"})
    quote = Quote.objects.get()
    assert response.url == f"/portal/quotes/{quote.number}/"
    assert quote.lines.get().quantity == 10


def test_other_buyers_quotes_are_404(client, shop_products, trade_buyer, wholesale, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    client.force_login(UserFactory(group=wholesale))
    assert client.get(f"/portal/quotes/{quote.number}/").status_code == 404
    assert client.post(f"/portal/quotes/{quote.number}/accept/").status_code == 404
    assert client.post(f"/portal/quotes/{quote.number}/decline/").status_code == 404
    assert quote.number not in client.get("/portal/quotes/").content.decode()
    assert client.get("/portal/quotes/Q-0'; DROP/").status_code == 404
    quote.refresh_from_db()
    assert quote.state == QuoteState.OFFERED


def test_company_colleague_sees_the_quote(client, shop_products, staff):
    pan, _pot = shop_products
    member = CompanyMemberFactory()
    quote = request_quote(member.user, {pan: 10})
    offer(quote, staff, {pan: "7.25"})
    client.force_login(CompanyMemberFactory(company=member.company).user)
    response = client.get(f"/portal/quotes/{quote.number}/")
    assert response.status_code == 200 and "7.25" in response.content.decode()
    assert quote.number in client.get("/portal/quotes/").content.decode()


def test_detail_shows_offer_and_history(buyer_client, shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10}, note="Please")
    offer(quote, staff, {pan: "7.25"}, message="Valid for this order")
    body = buyer_client.get(f"/portal/quotes/{quote.number}/").content.decode()
    assert "7.25" in body and "Valid for this order" in body
    assert "Offer sent" in body and "Accept and check out" in body


def test_revision_without_a_message_keeps_the_page_with_an_error(
    buyer_client, shop_products, trade_buyer, staff
):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    response = buyer_client.post(f"/portal/quotes/{quote.number}/revision/", {"message": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_revision_message_error"' in response.content.decode()
    response = buyer_client.post(f"/portal/quotes/{quote.number}/revision/", {"message": "Less"})
    quote.refresh_from_db()
    assert quote.state == QuoteState.REQUESTED


def test_answers_need_the_csrf_token(shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(trade_buyer)
    assert client.post(f"/portal/quotes/{quote.number}/accept/").status_code == 403
    assert client.post("/portal/quotes/new/", {"lines": "PAN-1 1"}).status_code == 403
    quote.refresh_from_db()
    assert quote.state == QuoteState.OFFERED


def test_pages_are_private(buyer_client):
    response = buyer_client.get("/portal/quotes/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(
    buyer_client, trade_buyer, shop_products, count, django_assert_num_queries
):
    products = [ProductFactory(sku=f"Q-{count}-{n}") for n in range(2)]
    for _n in range(count):
        request_quote(trade_buyer, {products[0]: 1, products[1]: 2})
    # The same at both sizes: the page's own reads (company id, count, the quotes with their
    # line counts) and those of every storefront page (session, the user with the versions,
    # profile); the menu and the footer's content are kept once seen.
    buyer_client.get("/portal/quotes/")
    with django_assert_num_queries(6):
        response = buyer_client.get("/portal/quotes/")
    assert response.content.decode().count("/portal/quotes/Q-") == count


def test_manager_sends_the_offer_in_the_admin(manager, client, shop_products, trade_buyer):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    line = quote.lines.get()
    change = client.get(f"/admin/shop/quote/{quote.pk}/change/").content.decode()
    assert f"/admin/shop/quote/{quote.pk}/offer/" in change
    url = f"/admin/shop/quote/{quote.pk}/offer/"
    response = client.post(url, {"valid_until": "", f"price_{line.pk}": "abc"})
    assert response.status_code == 200 and 'value="abc"' in response.content.decode()
    response = client.post(
        url,
        {
            "valid_until": in_days(5),
            f"price_{line.pk}": "6.90",
            "message": "Deal",
            "usable_once": "on",
        },
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.state, quote.lines.get().unit_price) == ("offered", Decimal("6.90"))
    assert quote.events.last().actor == manager


def test_staff_without_the_permission_cannot_send_offers(client, shop_products, trade_buyer):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    client.force_login(StaffUserFactory())
    assert client.get(f"/admin/shop/quote/{quote.pk}/offer/").status_code in (302, 403)
    quote.refresh_from_db()
    assert quote.state == QuoteState.REQUESTED


def test_managers_group_may_view_and_change_quotes_only(db):
    perms = set(
        Group.objects.get(name=SHOP_MANAGERS).permissions.values_list("codename", flat=True)
    )
    assert {"view_quote", "change_quote", "view_quoteline", "view_quoteevent"} <= perms
    assert not {"add_quote", "delete_quote", "change_quoteline"} & perms


def test_dashboard_counts_quotes_waiting(manager, client, shop_products, trade_buyer, staff):
    pan, _pot = shop_products
    request_quote(trade_buyer, {pan: 1})
    offer(request_quote(trade_buyer, {pan: 2}), staff)
    body = client.get("/admin/").content.decode()
    assert "Quotes waiting" in body
    figure = next(
        f for f in client.get("/admin/").context["dashboard"].figures if f.label == "Quotes waiting"
    )
    assert figure.count == 1 and figure.url == "/admin/shop/quote/?state__exact=requested"


def test_cart_page_with_a_quote_has_constant_queries(client, trade_buyer, staff, tax_rates):
    """Two sizes of accepted quote in the cart: the same queries (the quote and its lines)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 6):
        Cart.objects.filter(user=trade_buyer).delete()
        products = {ProductFactory(sku=f"C{size}-{n}"): 10 for n in range(size)}
        quote = request_quote(trade_buyer, products)
        offer(quote, staff)
        client.force_login(trade_buyer)
        client.post(f"/portal/quotes/{quote.number}/accept/")
        client.get("/cart/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/cart/")
        assert response.context["page"].quote.subtotal == Decimal("70.00") * size
        counts.append(len(queries))
    assert counts[0] == counts[1]
