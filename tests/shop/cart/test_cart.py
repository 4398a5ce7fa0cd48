"""The cart: adds, updates and removals checked on the server, re-priced on every view."""

from decimal import Decimal

import pytest
from django.test import Client

from shop.models import CartLine
from tests.customers.emails import log_in_with_welcome_link
from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    ProductImageFactory,
    QuantityRuleFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, messages_of

pytestmark = pytest.mark.django_db


def cart_quantities(client) -> dict[str, int]:
    page = client.get("/cart/").context["page"]
    return {row.line.product.sku: row.line.quantity for row in page.rows}


def test_guest_adds_from_the_product_page_and_sees_gross_prices(client, shop_products):
    pan, _pot = shop_products
    page = client.get(pan.get_absolute_url()).content.decode()
    assert 'action="/cart/add/"' in page and "Online ordering opens soon" not in page

    response = add(client, pan, 2)
    assert response.status_code == 302 and response.url == "/cart/"
    cart = client.get("/cart/")
    body = cart.content.decode()
    quote = cart.context["page"].quote
    assert quote.prices_include_tax
    assert quote.lines[0].display_unit_price == Decimal("12.00")
    assert quote.gross_total == Decimal("24.00") and quote.tax_total == Decimal("4.00")
    assert "€24.00" in body and "Of which VAT" in body


def test_listing_add_form_returns_to_the_listing(client, shop_products):
    pan, _pot = shop_products
    listing = client.get(pan.category.get_absolute_url()).content.decode()
    assert 'class="card-add"' in listing
    response = add(client, pan, 1, next=pan.category.get_absolute_url())
    assert response.url == pan.category.get_absolute_url()
    response = add(client, pan, 1, next="https://evil.example.com/")
    assert response.url == "/cart/"
    assert cart_quantities(client) == {"PAN-1": 2}


@pytest.mark.parametrize("quantity", ["-5", "0", "2.5", "abc", str(10**20), "", " ", "1e3", "²"])
def test_bad_quantities_get_a_message_and_leave_the_cart_unchanged(client, shop_products, quantity):
    pan, _pot = shop_products
    add(client, pan, 1)
    response = add(client, pan, quantity)
    assert response.status_code == 302
    follow = client.get(response.url)
    assert any("whole number" in message for message in messages_of(follow))
    assert cart_quantities(client) == {"PAN-1": 1}

    response = client.post("/cart/update/", {"product": pan.pk, "quantity": quantity})
    assert response.status_code == 302
    assert cart_quantities(client) == {"PAN-1": 1}


@pytest.mark.parametrize("product_id", ["abc", "", "-1", "999999", str(10**30)])
def test_unknown_products_are_refused_without_error(client, shop_products, product_id):
    response = client.post("/cart/add/", {"product": product_id, "quantity": "1"})
    assert response.status_code == 302
    assert "This product is not available." in messages_of(client.get("/cart/"))
    assert cart_quantities(client) == {}


def test_the_summed_quantity_is_checked(client, shop_products):
    pan, _pot = shop_products
    QuantityRuleFactory(product=pan, max_quantity=5)
    add(client, pan, 3)
    response = client.get(add(client, pan, 3).url)
    assert any(
        "at most 5" in message and "already have 3" in message for message in messages_of(response)
    )
    assert cart_quantities(client) == {"PAN-1": 3}


def test_pack_sizes_of_a_group_are_enforced_on_add_and_update(client, shop_products):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory()
    QuantityRuleFactory(group=wholesale, product=pan, min_quantity=6, step=6)
    client.force_login(UserFactory(group=wholesale))
    response = client.get(add(client, pan, 5).url)
    assert any("packs of 6" in message for message in messages_of(response))
    assert cart_quantities(client) == {}
    add(client, pan, 6)
    client.post("/cart/update/", {"product": pan.pk, "quantity": "7"})
    assert cart_quantities(client) == {"PAN-1": 6}
    client.post("/cart/update/", {"product": pan.pk, "quantity": "12"})
    assert cart_quantities(client) == {"PAN-1": 12}


def test_stock_limits_adds(client, shop_products):
    pan, _pot = shop_products
    pan.stock = 4
    pan.save()
    response = client.get(add(client, pan, 5).url)
    assert any("Only 4" in message for message in messages_of(response))
    assert cart_quantities(client) == {}


def test_hidden_and_inactive_products_cannot_be_added(client, shop_products):
    pan, pot = shop_products
    pan.visible_to.set([CustomerGroupFactory()])
    pot.is_active = False
    pot.save()
    for product in (pan, pot):
        add(client, product, 1)
    assert cart_quantities(client) == {}


def test_a_product_hidden_after_adding_blocks_checkout(client, shop_products):
    pan, pot = shop_products
    add(client, pan, 1)
    add(client, pot, 1)
    pot.visible_to.set([CustomerGroupFactory()])
    page = client.get("/cart/").context["page"]
    assert [line.product for line in page.unavailable] == [pot]
    assert not page.can_check_out
    assert client.get("/checkout/").url == "/cart/"


def test_posted_prices_and_groups_are_ignored(client, shop_products):
    pan, _pot = shop_products
    vip = CustomerGroupFactory(prices_include_tax=False)
    add(client, pan, 1, price="0.01", unit_price="0.01", group=vip.pk, total="0")
    quote = client.get("/cart/").context["page"].quote
    assert quote.lines[0].display_unit_price == Decimal("12.00")
    assert quote.prices_include_tax


def test_update_and_remove(client, shop_products):
    pan, pot = shop_products
    add(client, pan, 1)
    add(client, pot, 1)
    client.post("/cart/update/", {"product": pan.pk, "quantity": "4"})
    client.post("/cart/remove/", {"product": pot.pk})
    assert cart_quantities(client) == {"PAN-1": 4}
    # Someone else's product id or garbage: nothing happens.
    assert client.post("/cart/remove/", {"product": "x"}).status_code == 302
    assert client.post("/cart/update/", {"product": pot.pk, "quantity": "2"}).status_code == 302
    assert cart_quantities(client) == {"PAN-1": 4}


def test_the_cart_is_repriced_on_every_view(client, shop_products):
    pan, _pot = shop_products
    add(client, pan, 10)
    assert client.get("/cart/").context["page"].quote.subtotal == Decimal("100.00")
    pan.base_price = Decimal("8.00")
    pan.save()
    assert client.get("/cart/").context["page"].quote.subtotal == Decimal("80.00")
    PriceRuleFactory(product=pan, min_quantity=10, kind="fixed_price", value=Decimal("7.00"))
    response = client.get("/cart/")
    assert response.context["page"].quote.subtotal == Decimal("70.00")
    assert "Quantity price reached (10+)" in response.content.decode()


def test_next_tier_hint_and_cart_discount_line(client, shop_products):
    pan, _pot = shop_products
    PriceRuleFactory(product=pan, min_quantity=10, kind="fixed_price", value=Decimal("9.00"))
    CartDiscountFactory(name="Spring", kind="amount", value=Decimal("2.00"))
    add(client, pan, 2)
    body = client.get("/cart/").content.decode()
    assert "Buy 10 or more" in body
    assert "Cart discount" in body and "Spring" not in body  # never the internal name


def test_minimum_order_value_shows_what_is_missing_and_blocks_checkout(client, shop_products):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory(min_order_subtotal=Decimal("150.00"))
    client.force_login(UserFactory(group=wholesale))
    add(client, pan, 5)
    response = client.get("/cart/")
    body = response.content.decode()
    assert "Add €100.00 more" in body and "€150.00" in body
    assert not response.context["page"].can_check_out
    assert 'href="/checkout/"' not in body
    assert client.get("/checkout/").url == "/cart/"
    client.post("/cart/update/", {"product": pan.pk, "quantity": "15"})
    assert client.get("/cart/").context["page"].can_check_out


def test_b2b_sees_net_amounts_plus_tax(client, shop_products):
    pan, _pot = shop_products
    client.force_login(UserFactory(group=WholesaleGroupFactory()))
    add(client, pan, 2)
    response = client.get("/cart/")
    quote = response.context["page"].quote
    assert not quote.prices_include_tax
    assert quote.lines[0].display_total == Decimal("20.00")
    body = response.content.decode()
    assert "Net total" in body and "Total incl. VAT" in body and "€24.00" in body


def test_a_customer_cart_follows_them_across_devices(shop_products):
    pan, _pot = shop_products
    user = UserFactory()
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    add(laptop, pan, 2)
    assert cart_quantities(phone) == {"PAN-1": 2}


def login(client, user):
    from tests.factories import DEFAULT_PASSWORD

    return client.post("/accounts/login/", {"username": user.email, "password": DEFAULT_PASSWORD})


def test_the_guest_cart_merges_into_the_customer_cart_at_login(client, shop_products):
    pan, pot = shop_products
    user = UserFactory()
    other = Client()
    other.force_login(user)
    add(other, pan, 3)
    add(client, pan, 2)
    add(client, pot, 1)
    assert login(client, user).status_code == 302
    assert cart_quantities(client) == {"PAN-1": 5, "POT-2": 1}
    assert CartLine.objects.filter(cart__user__isnull=True).count() == 0


def test_the_merge_revalidates_and_keeps_the_customer_quantity(client, shop_products):
    pan, pot = shop_products
    QuantityRuleFactory(product=pan, max_quantity=4)
    user = UserFactory()
    other = Client()
    other.force_login(user)
    add(other, pan, 3)
    add(client, pan, 2)
    pot.visible_to.set([CustomerGroupFactory(slug="other")])  # hidden from the guest too
    login(client, user)
    response = client.get("/cart/")
    assert cart_quantities(client) == {"PAN-1": 3}
    assert any("was not added" in message for message in messages_of(response))


def test_merge_drops_products_hidden_from_the_customer_group(client, tax_rates):
    wholesale = WholesaleGroupFactory()
    category = CategoryFactory()
    retail_only = ProductFactory(category=category, sku="RET-1")
    add(client, retail_only, 1)
    retail_only.visible_to.set([CustomerGroupFactory(slug="retail-only")])
    user = UserFactory(group=wholesale)
    login(client, user)
    assert cart_quantities(client) == {}


def test_signing_up_keeps_the_guest_cart(client, shop_products, django_capture_on_commit_callbacks):
    pan, pot = shop_products
    add(client, pan, 2)
    add(client, pot, 1)
    with django_capture_on_commit_callbacks(execute=True):  # the welcome email
        response = client.post(
            "/accounts/signup/",
            {"email": "new@example.com", "full_name": "New", "password": "plum-tart-1984-rivers"},
        )
    assert response.status_code == 302
    assert log_in_with_welcome_link(client, "new@example.com").status_code == 302
    assert cart_quantities(client) == {"PAN-1": 2, "POT-2": 1}
    assert CartLine.objects.filter(cart__user__email="new@example.com").count() == 2
    assert not CartLine.objects.filter(cart__user__isnull=True).exists()


def test_signing_up_with_a_trade_application_keeps_the_guest_cart(
    client, shop_products, django_capture_on_commit_callbacks
):
    pan, _pot = shop_products
    add(client, pan, 3)
    with django_capture_on_commit_callbacks(execute=True):  # the welcome email
        response = client.post(
            "/wholesale/apply/",
            {
                "email": "lucie@bistro.example",
                "full_name": "Lucie",
                "password": "plum-tart-1984",
                "company_name": "Bistro",
                "vat_id": "FR40303265045",
                "country": "FR",
                "phone": "+33 1 23 45 67 89",
                "monthly_volume": "1k-5k",
                "message": "",
            },
        )
    assert response.status_code == 302
    assert log_in_with_welcome_link(client, "lucie@bistro.example").status_code == 302
    assert cart_quantities(client) == {"PAN-1": 3}


def test_the_account_page_links_to_orders_and_addresses(client, db):
    client.force_login(UserFactory())
    body = client.get("/accounts/").content.decode()
    assert 'href="/accounts/orders/"' in body and "My orders" in body
    assert 'href="/accounts/addresses/"' in body and "Addresses" in body


def test_state_changing_cart_views_need_a_csrf_token(shop_products):
    pan, _pot = shop_products
    client = Client(enforce_csrf_checks=True)
    for url in ["/cart/add/", "/cart/update/", "/cart/remove/"]:
        assert client.post(url, {"product": pan.pk, "quantity": "1"}).status_code == 403
    assert client.get("/cart/add/").status_code == 405


def make_cart(client, count):
    category = CategoryFactory()
    for index in range(count):
        product = ProductFactory(category=category, sku=f"Q-{count}-{index}")
        add(client, product, 1)


@pytest.mark.parametrize("logged_in", [False, True])
def test_cart_page_queries_do_not_grow_with_lines(
    client, tax_rates, django_assert_max_num_queries, logged_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if logged_in:
        client.force_login(UserFactory())
    make_cart(client, 2)
    client.get("/cart/")  # warm the compiled rules
    with CaptureQueriesContext(connection) as small:
        client.get("/cart/")
    make_cart(client, 18)
    client.get("/cart/")  # the new products' category changed the catalogue's version
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as large:
        response = client.get("/cart/")
    assert len(response.context["page"].rows) == 20
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_trade_cart_of_200_lines_costs_the_queries_of_3(
    client, tax_rates, django_assert_num_queries, django_assert_max_num_queries
):
    from django.db import reset_queries

    from shop.models import Cart, Product
    from tests.factories import QuantityRuleFactory, WholesaleGroupFactory

    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    user = UserFactory(group=wholesale)
    client.force_login(user)
    category = CategoryFactory()
    products = Product.objects.bulk_create(
        ProductFactory.build(category=category, sku=f"BIG-{n:03d}", slug=f"big-{n}")
        for n in range(200)
    )
    PriceRuleFactory(
        group=wholesale, category=category, min_quantity=10, kind="fixed_price", value=8
    )
    QuantityRuleFactory(group=wholesale, product=products[1], min_quantity=6, step=6)
    cart = Cart.objects.create(user=user)

    def fill(count):
        CartLine.objects.filter(cart=cart).delete()
        CartLine.objects.bulk_create(
            CartLine(cart=cart, product=product, quantity=6) for product in products[:count]
        )

    fill(3)
    client.get("/cart/")  # the process's caches warm
    reset_queries()  # each request clears the log a capture counts from: start it empty
    with django_assert_max_num_queries(12) as small:
        response = client.get("/cart/")
    small_count = len(small)
    assert len(response.context["page"].rows) == 3
    fill(200)
    reset_queries()
    with django_assert_num_queries(small_count):
        response = client.get("/cart/")
    page = response.context["page"]
    assert len(page.rows) == 200
    body = response.content.decode()
    assert f'id="qty-{products[1].pk}"' in body and 'step="6"' in body
    assert "Buy 10 or more" in body  # the next tier, in the buyer's terms
    assert body.count('name="csrfmiddlewaretoken"') >= 400  # update and remove on every line


def test_the_cart_page_shows_each_line_in_the_order_added_with_its_first_picture(client):
    category = CategoryFactory()
    kettle = ProductFactory(category=category, name="Kettle", base_price=Decimal("19.90"))
    apron = ProductFactory(category=category, name="Apron", base_price=Decimal("7.25"))
    ProductImageFactory(product=kettle, position=2, thumbnail="products/thumbs/kettle-side.jpg")
    ProductImageFactory(product=kettle, position=1, thumbnail="products/thumbs/kettle-front.jpg")
    add(client, kettle, 2)
    add(client, apron, 1)
    response = client.get("/cart/")
    rows = response.context["page"].rows
    assert [(row.line.product.name, row.line.quantity) for row in rows] == [
        ("Kettle", 2),
        ("Apron", 1),
    ]
    assert rows[0].line.product.base_price == Decimal("19.90")
    assert rows[0].thumbnail_url.endswith("products/thumbs/kettle-front.jpg")
    assert rows[1].thumbnail_url == ""
    body = response.content.decode()
    assert "kettle-front.jpg" in body and "kettle-side.jpg" not in body
