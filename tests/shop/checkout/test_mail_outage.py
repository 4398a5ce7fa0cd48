"""With the mail server down, a committed order still answers as placed, never HTTP 500."""

import pytest

from shop.models import Order
from tests.mail import DOWN
from tests.shop.conftest import add, go_to_review, place

pytestmark = pytest.mark.django_db


def test_a_guest_order_is_placed_while_the_mail_server_is_down(
    client, settings, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    pan, _pot = shop_products
    add(client, pan, 2)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with django_capture_on_commit_callbacks(execute=True):
        response = place(client, key, total)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == f"/orders/{order.number}/{order.access_token}/"
    assert client.get(response.url).status_code == 200
