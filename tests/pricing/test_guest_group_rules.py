"""A rule for the default group (the group guests shop in) under each strategy."""

from decimal import Decimal

import pytest

from pricing import services
from pricing.models import PriceRule
from tests.factories import ProductFactory, UserFactory, WholesaleGroupFactory, default_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def retail_sale():
    product = ProductFactory(base_price=Decimal("10.00"))
    retail, wholesale = default_group(), WholesaleGroupFactory()
    PriceRule.objects.create(
        name="Retail 10 %", group=retail, product=product, kind="percent_off", value=10
    )
    services.rules_changed()
    return product, retail, wholesale


def test_under_lowest_no_group_pays_more_than_a_guest_for_the_guests_group_rule(retail_sale):
    product, retail, wholesale = retail_sale
    guest = services.quote(product, group=retail)
    trade = services.quote(product, group=wholesale)
    assert guest.unit_price == trade.unit_price == Decimal("9.00")
    # a retail customer, logged in, gets it too
    assert services.quote(product, customer=UserFactory(group=retail)).unit_price == Decimal("9.00")


def test_under_priority_the_guests_group_rule_stays_the_groups(retail_sale, settings):
    settings.SHOP_PRICING_STRATEGY = "priority"
    product, retail, wholesale = retail_sale
    assert services.quote(product, group=retail).unit_price == Decimal("9.00")
    assert services.quote(product, group=wholesale).unit_price == Decimal("10.00")
