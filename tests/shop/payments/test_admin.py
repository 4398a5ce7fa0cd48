"""Managers see card payments (those needing attention first) but never edit them."""

import pytest

from tests.factories import CardPaymentFactory

pytestmark = pytest.mark.django_db


def test_managers_view_card_payments_read_only(client, manager):
    flagged = CardPaymentFactory(
        status="confirmed", attention=True, attention_reason="Paid after the order was cancelled."
    )
    listing = client.get("/admin/shop/cardpayment/?attention__exact=1")
    assert listing.status_code == 200
    assert flagged.order.number in listing.content.decode()
    assert "Paid after the order was cancelled." in listing.content.decode()
    page = client.get(f"/admin/shop/cardpayment/{flagged.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/shop/cardpayment/{flagged.pk}/change/", {}).status_code == 403
    assert client.get("/admin/shop/cardpayment/add/").status_code == 403
    assert client.get(f"/admin/shop/cardpayment/{flagged.pk}/delete/").status_code == 403


def test_managers_set_the_card_option_of_a_groups_checkout_policy(client, manager):
    page = client.get("/admin/shop/checkoutpolicy/add/")
    assert page.status_code == 200 and 'name="card"' in page.content.decode()
