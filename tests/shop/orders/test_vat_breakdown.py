"""The VAT breakdown an order's email and invoice print: per rate, adding up to the order."""

from decimal import Decimal

from shop.orders.models import Order
from shop.orders.selectors import vat_breakdown
from tests.shop.conftest import go_to_review, place


def test_breakdown_per_rate_adds_up_to_the_order(client, shop_products, standard_shipping):
    pan, pot = shop_products
    pot.tax_class = "reduced"
    pot.save()
    client.post("/cart/add/", {"product": pan.pk, "quantity": 3})
    client.post("/cart/add/", {"product": pot.pk, "quantity": 2})
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    assert place(client, key, total).status_code == 302

    order = Order.objects.prefetch_related("lines").get()
    rows = vat_breakdown(order)

    assert [row.rate for row in rows] == [Decimal("0.2000"), Decimal("0.0550")]
    assert sum(row.net for row in rows) == order.net_total
    assert sum(row.tax for row in rows) == order.tax_total
    assert sum(row.gross for row in rows) == order.total
