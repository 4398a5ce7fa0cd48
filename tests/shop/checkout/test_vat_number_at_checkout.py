"""Checkout takes no VAT number: a company's comes from its profile. One that is not accepted
(wrong check digits, or rejected by the online check) is never treated as valid, and the review
page says why VAT is charged, with a link to correct it."""

from decimal import Decimal

import pytest

from customers.models import CustomerProfile
from tests.factories import UserFactory, WholesaleGroupFactory
from tests.shop.conftest import ADDRESS, add, go_to_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eu_vat_rates")]

GERMANY = dict(ADDRESS, country="DE", city="Berlin", postal_code="10115", company="Müller GmbH")
WHY = "VAT is charged on this order because the VAT number in your profile is not valid"


def company(**profile):
    user = UserFactory(group=WholesaleGroupFactory())
    CustomerProfile.objects.filter(user=user).update(company_name="Müller GmbH", **profile)
    return user


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param({"vat_id": "DE136695977"}, id="wrong check digit"),
        pytest.param({"vat_id": "DE136695976", "vat_check_result": "invalid"}, id="VIES: no"),
    ],
)
def test_a_company_with_a_number_not_accepted_is_told_why_vat_is_charged(
    client, shop_products, standard_shipping, profile
):
    client.force_login(company(**profile))
    add(client, shop_products[0], 2)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping, billing=GERMANY)
    body = review.content.decode()
    assert WHY in body and 'href="/accounts/profile/"' in body
    assert review.context["quote"].lines[0].tax_rate == Decimal("0.1900")


def test_a_company_with_a_valid_number_and_a_consumer_see_no_such_notice(
    client, shop_products, standard_shipping
):
    client.force_login(company(vat_id="DE136695976"))
    add(client, shop_products[0], 2)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping, billing=GERMANY)
    assert WHY not in review.content.decode()
    assert review.context["quote"].lines[0].tax_rate == Decimal("0")

    client.force_login(UserFactory())
    add(client, shop_products[0], 1)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping, billing=GERMANY)
    assert WHY not in review.content.decode()


def test_no_notice_when_a_valid_number_would_change_nothing(
    client, shop_products, standard_shipping
):
    """Delivered in the shop's own country, a company pays French VAT whatever its number."""
    client.force_login(company(vat_id="FR41303265045"))
    add(client, shop_products[0], 2)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping)
    assert WHY not in review.content.decode()
