"""Sharing a cart: a private, expiring, revocable link to a snapshot of the cart, which the
recipient sees at their own prices, adds to their own cart and pays; the sharer then sees that
it was ordered, and nothing more."""

import hashlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from shop.cart.sharing.models import SharedCart, SharedCartLine
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    UserFactory,
)
from tests.shop.conftest import add, go_to_review, messages_of, place
from tests.shop.sharing.conftest import share

pytestmark = pytest.mark.django_db


def token_of(path: str) -> str:
    return re.fullmatch(r"/cart/shared/([\w-]+)/", path).group(1)


def test_the_cart_page_offers_sharing_and_says_the_link_is_a_snapshot(client, shop_products):
    add(client, shop_products[0], 1)
    body = client.get("/cart/").content.decode()
    assert "Share this cart" in body
    assert "The link shows your cart as it is when you share it" in body
    assert 'action="/cart/shared/"' in body


def test_sharing_stores_only_a_hash_of_a_long_random_token(client, shop_products, settings):
    settings.SHOP_SHARED_CART_DAYS = 3
    add(client, shop_products[0], 2)
    path = share(client)
    token = token_of(path)
    assert len(token) >= 43  # 32 random bytes
    shared = SharedCart.objects.get()
    assert shared.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SharedCart.objects.values().get())
    assert timedelta(days=3) - (shared.expires_at - shared.created_at) < timedelta(seconds=1)
    # The link is shown once: the list of links never shows it again.
    assert token not in client.get("/cart/shared/").content.decode()


def test_an_empty_cart_cannot_be_shared(client, db):
    response = client.post("/cart/shared/", {})
    assert response.status_code == 400
    assert "Your cart is empty" in response.content.decode()
    assert not SharedCart.objects.exists()


def test_the_link_shows_the_cart_as_it_was_when_shared(client, shop_products):
    pan, pot = shop_products
    add(client, pan, 2)
    path = share(client)
    add(client, pot, 5)  # the sharer keeps shopping
    client.post("/cart/update/", {"product": pan.pk, "quantity": 7})
    page = Client().get(path).context["page"]
    assert [(row.line.product.sku, row.line.quantity) for row in page.rows] == [("PAN-1", 2)]


def test_a_guest_recipient_sees_guest_prices_never_the_sharers_special_price(client, shop_products):
    pan, pot = shop_products
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    sharer = UserFactory(group=vip, full_name="Hortense Dupuis-Marchand")
    PriceRuleFactory(group=vip, product=pan, kind="fixed_price", value=Decimal("7.77"))
    PriceRuleFactory(customer=sharer, product=pot, kind="fixed_price", value=Decimal("13.13"))
    client.force_login(sharer)
    add(client, pan, 1)
    add(client, pot, 1)
    sharer_body = client.get("/cart/").content.decode()
    assert "€9.32" in sharer_body and "€15.76" in sharer_body  # 7.77 and 13.13 with 20 % VAT
    path = share(client, first_name="Hortense", note="For the kitchen")

    guest = Client()
    response = guest.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "€12.00" in body and "€30.00" in body  # the guest's own gross prices
    for trace in ["9.32", "15.76", "7.77", "13.13", "18.65", "25.08"]:
        assert trace not in body
    assert "Hortense shared a cart with you" in body and "For the kitchen" in body
    assert sharer.email not in body and "Dupuis-Marchand" not in body
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex' in body


def test_products_hidden_from_the_recipient_show_as_unavailable_without_name_or_price(
    client, tax_rates
):
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    category = CategoryFactory()
    open_product = ProductFactory(category=category, name="Open kettle", sku="OPEN-1")
    secret = ProductFactory(
        category=category, name="Secret preview lamp", sku="SECRET-9", base_price=Decimal("66.60")
    )
    secret.visible_to.add(vip)
    client.force_login(UserFactory(group=vip))
    add(client, open_product, 1)
    add(client, secret, 4)
    path = share(client)

    guest = Client()
    body = guest.get(path).content.decode()
    assert "Open kettle" in body
    assert "A product that is not available to you" in body
    assert "Secret" not in body and "SECRET-9" not in body and "79.92" not in body
    assert "66.60" not in body

    response = guest.post(path + "add/", follow=True)
    notes = messages_of(response)
    assert any("1 product(s) of the shared cart are not available to you" in m for m in notes)
    assert not any("SECRET" in m or "Secret" in m for m in notes)
    assert [row.line.product.sku for row in response.context["page"].rows] == ["OPEN-1"]


def test_adding_merges_into_the_recipients_cart_and_checks_their_quantity_rules(
    client, shop_products
):
    pan, pot = shop_products
    add(client, pan, 2)
    add(client, pot, 3)
    path = share(client)

    recipient_group = CustomerGroupFactory()
    recipient = UserFactory(group=recipient_group)
    QuantityRuleFactory(group=recipient_group, product=pot, min_quantity=2, step=2)
    other = Client()
    other.force_login(recipient)
    add(other, pan, 1)
    response = other.post(path + "add/", follow=True)
    assert response.redirect_chain[-1][0] == "/cart/"
    notes = messages_of(response)
    assert any("1 line of the shared cart added" in m for m in notes)
    assert any("Pot" in m and "2" in m for m in notes), notes  # the refused line and why
    rows = {row.line.product.sku: row.line.quantity for row in response.context["page"].rows}
    assert rows == {"PAN-1": 3}


def page_text(response) -> str:
    """The page without what every page varies: the language switcher's CSRF token and the
    address it returns to."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="next" value="[^"]*"', "", html)


def test_unknown_and_stopped_links_give_the_same_404_and_expired_links_a_410(client, shop_products):
    add(client, shop_products[0], 1)
    stopped = share(client)
    expired = share(client)
    live = share(client)
    stopped_id, expired_id = SharedCart.objects.order_by("id").values_list("id", flat=True)[:2]
    assert client.post(f"/cart/shared/{stopped_id}/stop/").status_code == 302
    SharedCart.objects.filter(pk=expired_id).update(expires_at=timezone.now())

    visitor = Client()
    unknown = visitor.get("/cart/shared/" + "A" * 43 + "/")
    revoked = visitor.get(stopped)
    assert unknown.status_code == revoked.status_code == 404
    assert page_text(unknown) == page_text(revoked)
    assert "does not work" in unknown.content.decode()
    gone = visitor.get(expired)
    assert gone.status_code == 410 and "has expired" in gone.content.decode()
    assert visitor.post(stopped + "add/").status_code == 404
    assert visitor.post(expired + "add/").status_code == 410
    assert visitor.get(live).status_code == 200
    for junk in ["/cart/shared/short/", "/cart/shared/" + "é" * 40 + "/", "/cart/shared/x/add/"]:
        assert visitor.get(junk).status_code in (404, 405)


def test_a_stopped_link_stops_working_and_adds_nothing(client, shop_products):
    add(client, shop_products[0], 1)
    path = share(client)
    visitor = Client()
    assert visitor.get(path).status_code == 200
    listing = client.get("/cart/shared/").content.decode()
    assert "Stop sharing" in listing and "Active until" in listing
    shared = SharedCart.objects.get()
    response = client.post(f"/cart/shared/{shared.pk}/stop/", follow=True)
    assert "You stopped sharing this cart" in " ".join(messages_of(response))
    assert "Stopped" in response.content.decode()
    assert visitor.get(path).status_code == 404
    assert visitor.post(path + "add/").status_code == 404
    assert visitor.get("/cart/").context["page"].is_empty


def test_another_person_cannot_stop_your_link(client, shop_products):
    add(client, shop_products[0], 1)
    path = share(client)
    shared = SharedCart.objects.get()
    intruder = Client()
    add(intruder, shop_products[1], 1)  # has a cart of their own
    assert intruder.post(f"/cart/shared/{shared.pk}/stop/").status_code == 404
    assert Client().post(f"/cart/shared/{shared.pk}/stop/").status_code == 404
    customer = Client()
    customer.force_login(UserFactory())
    assert customer.post(f"/cart/shared/{shared.pk}/stop/").status_code == 404
    assert Client().get(path).status_code == 200
    assert SharedCart.objects.get().revoked_at is None
    # Nor see it among their links.
    assert "Stop sharing" not in intruder.get("/cart/shared/").content.decode()


def test_sharing_adding_and_stopping_need_the_csrf_token(shop_products):
    sharer = Client(enforce_csrf_checks=True)
    add(Client(), shop_products[0], 1)  # a cart elsewhere, so nothing to share here
    assert sharer.post("/cart/shared/", {}).status_code == 403
    owner = Client()
    add(owner, shop_products[0], 1)
    path = share(owner)
    shared = SharedCart.objects.get()
    attacker = Client(enforce_csrf_checks=True)
    assert attacker.post(path + "add/").status_code == 403
    assert attacker.post(f"/cart/shared/{shared.pk}/stop/").status_code == 403
    assert SharedCart.objects.get().revoked_at is None


def test_opening_links_is_rate_limited(client, shop_products, settings):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "shared_cart": "3/h"}
    add(client, shop_products[0], 1)
    path = share(client)
    visitor = Client()
    assert [visitor.get(path).status_code for _ in range(3)] == [200, 200, 200]
    limited = visitor.get(path)
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert visitor.get("/cart/shared/" + "B" * 43 + "/").status_code == 429


def test_the_sharer_sees_it_was_ordered_and_nothing_of_the_order(
    client, shop_products, standard_shipping
):
    pan, pot = shop_products
    sharer = UserFactory()
    client.force_login(sharer)
    add(client, pan, 2)
    path = share(client)
    assert "Ordered on" not in client.get("/cart/shared/").content.decode()

    payer = Client()
    add(payer, pot, 1)
    payer.post(path + "add/")
    _review, key, total = go_to_review(
        payer, shipping_method=standard_shipping, email="payer.parent@example.com"
    )
    response = place(payer, key, total)
    assert response.status_code == 302
    shared = SharedCart.objects.get()
    assert shared.order is not None and shared.order.email == "payer.parent@example.com"

    listing = client.get("/cart/shared/").content.decode()
    assert "Ordered on" in listing
    assert "payer.parent" not in listing and shared.order.number not in listing
    assert "Alice Martin" not in listing and "Lyon" not in listing
    # The recipient's next order is not attributed again.
    assert "shared_cart" not in payer.session


def test_an_order_without_the_shared_products_is_not_recorded(
    client, shop_products, standard_shipping
):
    pan, pot = shop_products
    add(client, pan, 1)
    path = share(client)
    payer = Client()
    payer.post(path + "add/")
    payer.post("/cart/remove/", {"product": pan.pk})
    add(payer, pot, 1)
    _review, key, total = go_to_review(payer, shipping_method=standard_shipping)
    assert place(payer, key, total).status_code == 302
    assert SharedCart.objects.get().ordered_at is None


def test_a_line_whose_product_is_deleted_leaves_the_link_working(client, shop_products):
    pan, pot = shop_products
    add(client, pan, 1)
    add(client, pot, 1)
    path = share(client)
    pot.delete()
    assert SharedCartLine.objects.count() == 1
    assert Client().get(path).status_code == 200


def test_a_too_long_note_is_refused_and_kept_as_typed(client, shop_products):
    add(client, shop_products[0], 1)
    response = client.post("/cart/shared/", {"first_name": "Léa", "note": "x" * 501})
    body = response.content.decode()
    assert response.status_code == 400
    assert "The cart could not be shared" in body and 'value="Léa"' in body
    assert "x" * 501 in body
    assert not SharedCart.objects.exists()


def test_erasing_the_sharers_account_ends_their_links(client, shop_products):
    from shop.cart.services import cart_erase

    sharer = UserFactory()
    client.force_login(sharer)
    add(client, shop_products[0], 1)
    path = share(client)
    cart_erase(user=sharer)
    assert not SharedCart.objects.exists() and not SharedCartLine.objects.exists()
    assert Client().get(path).status_code == 404


def test_when_guests_see_no_prices_a_guest_recipient_logs_in_first(client, shop_products, settings):
    add(client, shop_products[0], 1)
    path = share(client)
    settings.SHOP_HIDE_PRICES_FROM_GUESTS = True
    response = Client().get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Client().post(path + "add/").status_code == 302


def test_a_later_recipient_is_told_it_was_already_ordered(client, shop_products, standard_shipping):
    add(client, shop_products[0], 1)
    path = share(client)
    payer = Client()
    payer.post(path + "add/")
    _review, key, total = go_to_review(payer, shipping_method=standard_shipping)
    place(payer, key, total)
    body = Client().get(path).content.decode()
    assert "An order was already placed from this shared cart on" in body
    assert "guest@example.com" not in body
