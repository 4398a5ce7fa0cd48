"""Quick order in the trade portal: SKU lines or a CSV file, valid lines to the cart."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import reset_queries
from django.test import Client

from tests.factories import (
    CustomerGroupFactory,
    ProductFactory,
    QuantityRuleFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade_client(client, shop_products):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    client.force_login(UserFactory(group=wholesale))
    return client, wholesale


def cart(client) -> dict[str, int]:
    return {r.line.product.sku: r.line.quantity for r in client.get("/cart/").context["page"].rows}


def test_guests_log_in_and_retail_customers_are_sent_to_apply(client, shop_products):
    response = client.get("/portal/quick-order/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(UserFactory())
    response = client.get("/portal/quick-order/")
    assert response.status_code == 302 and response.url == "/wholesale/apply/"
    assert client.post("/portal/quick-order/", {"lines": "PAN-1 1"}).status_code == 302
    assert cart(client) == {}


def test_valid_lines_go_to_the_cart_and_invalid_ones_stay_to_fix(trade_client, shop_products):
    client, wholesale = trade_client
    pan, pot = shop_products
    QuantityRuleFactory(group=wholesale, product=pot, min_quantity=6, step=6)
    hidden = ProductFactory(category=pan.category, sku="HID-1")
    hidden.visible_to.set([CustomerGroupFactory(slug="vip")])
    text = "PAN-1 3\npot-2, 5\nNOPE-9 1\nHID-1 1\nPAN-1 abc\nlonely\n\n"
    response = client.post("/portal/quick-order/", {"lines": text})
    assert response.status_code == 200
    body = response.content.decode()
    rejected = {sku: reason for sku, _quantity, reason in response.context["result"].rejected}
    assert set(rejected) == {"pot-2", "NOPE-9", "HID-1", "PAN-1", "lonely"}
    assert "packs of 6" in rejected["pot-2"]
    assert "Unknown SKU" in rejected["NOPE-9"] and "Unknown SKU" in rejected["HID-1"]
    assert "whole number" in rejected["PAN-1"]
    textarea = response.context["form"].initial["lines"]
    assert "pot-2 5" in textarea and "NOPE-9 1" in textarea and "PAN-1 3" not in textarea
    assert "pot-2 5" in body
    assert cart(client) == {"PAN-1": 3}

    response = client.post("/portal/quick-order/", {"lines": "POT-2 6"})
    assert response.url == "/cart/"
    assert cart(client) == {"PAN-1": 3, "POT-2": 6}


def test_csv_upload_with_a_header(trade_client, shop_products):
    client, _wholesale = trade_client
    upload = SimpleUploadedFile("order.csv", b"sku;quantity\nPAN-1;4\nPOT-2;2\n", "text/csv")
    response = client.post("/portal/quick-order/", {"lines": "", "file": upload})
    assert response.url == "/cart/"
    assert cart(client) == {"PAN-1": 4, "POT-2": 2}


def test_bad_uploads_and_empty_forms_get_messages(trade_client, shop_products):
    client, _wholesale = trade_client
    response = client.post("/portal/quick-order/", {"lines": "  "})
    assert "Enter at least one line" in response.content.decode()
    upload = SimpleUploadedFile("order.csv", b"\xff\xfe\x00bad", "text/csv")
    response = client.post("/portal/quick-order/", {"file": upload})
    assert "UTF-8" in response.content.decode()
    response = client.post("/portal/quick-order/", {"lines": "PAN-1 1\n" * 1001})
    assert response.status_code == 200 and "at most 1,000 lines" in response.content.decode()
    assert cart(client) == {}


def test_quantities_are_summed_with_the_cart(trade_client, shop_products):
    client, _wholesale = trade_client
    pan, _pot = shop_products
    QuantityRuleFactory(product=pan, max_quantity=5)
    client.post("/portal/quick-order/", {"lines": "PAN-1 4"})
    response = client.post("/portal/quick-order/", {"lines": "PAN-1 2"})
    assert "at most 5" in response.content.decode()
    assert cart(client) == {"PAN-1": 4}


def test_quick_order_needs_a_csrf_token(shop_products):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(group=WholesaleGroupFactory()))
    assert client.post("/portal/quick-order/", {"lines": "PAN-1 1"}).status_code == 403


def test_a_nul_byte_in_a_file_cell_is_a_rejected_line(trade_client, shop_products):
    client, _wholesale = trade_client
    upload = SimpleUploadedFile("order.csv", b"PAN-1;2\nPOT\x00-2;1\n", "text/csv")
    response = client.post("/portal/quick-order/", {"lines": "", "file": upload})
    assert response.status_code == 200
    rejected = response.context["result"].rejected
    assert [(sku, reason[:11]) for sku, _quantity, reason in rejected] == [
        ("POT\x00-2", "Unknown SKU")
    ]
    assert cart(client) == {"PAN-1": 2}


def test_a_nul_byte_in_the_typed_lines_is_a_form_error(trade_client, shop_products):
    client, _wholesale = trade_client
    response = client.post("/portal/quick-order/", {"lines": "PAN-1 2\nPOT\x00-2 1"})
    assert response.status_code == 200 and response.context["form"].errors
    assert "PAN-1 2" in response.content.decode()
    assert cart(client) == {}


def test_a_cell_longer_than_a_sku_is_unknown_without_a_query(trade_client, shop_products):
    from shop.catalog import selectors

    client, _wholesale = trade_client
    assert selectors.sku_candidates(["P" * 65, "PAN\x00-1", " pan-1 "]) == {"pan-1", "PAN-1"}
    for cell in ["P" * 65, "P" * 100_000]:
        upload = SimpleUploadedFile("order.csv", f"{cell};1\nPAN-1;1\n".encode(), "text/csv")
        response = client.post("/portal/quick-order/", {"lines": "POT-2 1", "file": upload})
        assert response.status_code == 200
        [(sku, _quantity, reason)] = response.context["result"].rejected
        assert sku == cell and "Unknown SKU" in reason
    response = client.post("/portal/quick-order/", {"lines": "P" * 65 + " 1"})
    [(sku, _quantity, reason)] = response.context["result"].rejected
    assert "Unknown SKU" in reason
    assert cart(client) == {"PAN-1": 2, "POT-2": 2}


def test_a_cell_over_the_csv_field_limit_is_a_form_error(trade_client, shop_products):
    client, _wholesale = trade_client
    for monster in ["P" * 131_073, '"' + "x" * 140_000 + '"']:
        upload = SimpleUploadedFile("order.csv", f"PAN-1;1\n{monster};2\n".encode(), "text/csv")
        response = client.post("/portal/quick-order/", {"lines": "POT-2 1", "file": upload})
        assert response.status_code == 200
        assert "Line 2 of the file" in str(response.context["form"].errors["file"])
        assert "POT-2 1" in response.content.decode()
    assert cart(client) == {}


def test_refused_lines_head_the_page_as_an_error_summary_that_takes_the_focus(trade_client):
    client, _wholesale = trade_client
    response = client.post("/portal/quick-order/", {"lines": "NOPE-9 2"})
    body = response.content.decode()
    summary = body.split('class="form-errors error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert '<a href="#id_lines">NOPE-9 2: ' in summary
    assert "<title>Error: Quick order" in body


# --- size ------------------------------------------------------------------------------------


def many_products(category, count: int, prefix: str) -> list:
    """`count` products of one category, written in one statement (a factory each is slow)."""
    from shop.models import Product

    return Product.objects.bulk_create(
        ProductFactory.build(category=category, sku=f"{prefix}-{n:04d}", slug=f"{prefix}-{n}")
        for n in range(count)
    )


def post_all(products, group, *, unknown: str):
    """A new buyer of `group` posts every product (the first already in his cart, the second
    typed twice, the third refused by a rule) and an unknown SKU: (his client, the response)."""
    client = Client()
    client.force_login(UserFactory(group=group))
    assert client.post("/cart/add/", {"product": products[0].pk, "quantity": 1}).status_code == 302
    text = "\n".join(f"{product.sku.lower()} 2" for product in products)
    text += f"\n{products[1].sku} 1\n{unknown} 4\n"
    return client, lambda: client.post("/portal/quick-order/", {"lines": text})


def test_a_quick_order_of_1000_lines_is_accepted_in_the_same_queries_as_10(
    shop_products, django_assert_num_queries, django_assert_max_num_queries
):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    small, large = many_products(pan.category, 10, "SML"), many_products(pan.category, 998, "LRG")
    for products in (small, large):
        QuantityRuleFactory(group=wholesale, product=products[2], min_quantity=5)
    _client, post = post_all(small, wholesale, unknown="NOPE-0")
    post()  # the process's caches (rules, categories) warm, as in a running shop
    _client, post = post_all(small, wholesale, unknown="NOPE-1")
    reset_queries()  # each request clears the log a capture counts from: start it empty
    with django_assert_max_num_queries(30) as queries:
        assert post().status_code == 200  # the refused lines stay to fix
    small_count = len(queries)  # now, before the next request clears the log

    client, post = post_all(large, wholesale, unknown="NOPE-2")  # 1,000 lines
    reset_queries()
    with django_assert_num_queries(small_count):
        response = post()
    assert response.status_code == 200

    held = cart(client)
    assert len(held) == 997  # every product but the refused one
    assert held[large[0].sku] == 3 and held[large[1].sku] == 3 and held[large[3].sku] == 2
    assert large[2].sku not in held
    page = response.content.decode()
    assert "NOPE-2 4" in page and f"{large[2].sku.lower()} 2" in page  # as typed, to fix
    assert "Unknown SKU: no product NOPE-2." in page
    assert "must be at least 5" in page
    # The lines keep the order they were typed in.
    rows = client.get("/cart/").context["page"].rows
    assert [row.line.product.sku for row in rows[:3]] == [large[0].sku, large[1].sku, large[3].sku]
