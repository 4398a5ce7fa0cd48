"""The trade portal's "Download my price list": the buyer's own unit prices and tiers for
everything they may buy, as CSV, streamed, in a number of queries that does not grow with the
catalogue."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade(client):
    retail = default_group()
    wholesale = WholesaleGroupFactory()
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    pan = ProductFactory(sku="PAN-1", name="Pan", category=kitchen, base_price=Decimal("10.00"))
    ProductFactory(sku="VIP-1", name="Secret", category=kitchen).visible_to.add(vip)
    PriceRuleFactory(group=wholesale, kind="percent_off", value=Decimal("20"), name="Trade")
    PriceRuleFactory(
        group=wholesale, product=pan, kind="fixed_price", value=Decimal("7.00"), min_quantity=12
    )
    PriceRuleFactory(group=vip, kind="fixed_price", value=Decimal("3.33"), name="VIP marker")
    buyer = UserFactory(email="wendy@example.com", group=wholesale)
    client.force_login(buyer)
    return {"retail": retail, "kitchen": kitchen, "buyer": buyer}


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_trade_buyer_downloads_their_own_prices_and_tiers(client, trade):
    response = client.get("/portal/price-list/")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    header, *lines = rows(response)
    assert header == ["SKU", "Product", "Category", "Your unit price", "Prices", "Tiers"]
    assert lines == [["PAN-1", "Pan", "Kitchen", "8.00", "excl. VAT", "1+: 8.00; 12+: 7.00"]]
    assert "3.33" not in str(lines)  # another group's price never appears


def test_guests_log_in_and_retail_customers_are_invited_to_apply(client, trade):
    client.logout()
    response = client.get("/portal/price-list/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory(email="rita@example.com", group=trade["retail"]))
    response = client.get("/portal/price-list/")
    assert response.status_code == 302 and response["Location"] == "/wholesale/apply/"


def measure(client) -> tuple[int, int]:
    """(lines, queries) of one download."""
    with CaptureQueriesContext(connection) as queries:
        lines = rows(client.get("/portal/price-list/"))
    return len(lines), len(queries)


def test_the_query_count_grows_by_chunks_of_500_products_not_by_product(client, trade):
    ProductFactory.create_batch(4, category=trade["kitchen"])
    measure(client)  # the process compiles its pricing data once
    small_lines, small_queries = measure(client)  # one chunk
    ProductFactory.create_batch(1100, category=trade["kitchen"])
    large_lines, large_queries = measure(client)  # three chunks
    assert (small_lines, large_lines) == (6, 1106)
    # The products come through one cursor; each further chunk of 500 reads the pricing
    # version once more (never one query per product).
    assert large_queries - small_queries == 2
    assert small_queries <= 10
