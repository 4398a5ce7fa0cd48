"""Fixtures of the rule import tests (tests/pricing/test_imports*.py)."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing.models import PricingVersion
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)


@pytest.fixture
def version_bumps(monkeypatch):
    """The pricing version bumps made during the test (after the factories')."""
    made = []
    bump = PricingVersion.bump
    monkeypatch.setattr(PricingVersion, "bump", lambda: made.append(bump()))
    return made


@pytest.fixture
def rules_shop():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knife = ProductFactory(sku="KNF-1", name="Chef knife", category=kitchen, base_price=10)
    stapler = ProductFactory(sku="OFF-7", name="Stapler", base_price=5)
    wholesale = WholesaleGroupFactory()
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    buyer = UserFactory(email="buyer@example.com")
    start = timezone.make_aware(datetime(2026, 12, 24, 18, 0))
    rules = [
        PriceRuleFactory(
            name="Wholesale kitchen", group=wholesale, category=kitchen, value=Decimal("15")
        ),
        PriceRuleFactory(
            name="Knife for the buyer",
            customer=buyer,
            product=knife,
            kind="fixed_price",
            value=Decimal("8.50"),
            min_quantity=10,
            starts_at=start,
        ),
        PriceRuleFactory(name="Everyone 5", value=Decimal("5"), is_active=False),
    ]
    return {
        "kitchen": kitchen,
        "knife": knife,
        "stapler": stapler,
        "wholesale": wholesale,
        "vip": vip,
        "buyer": buyer,
        "rules": rules,
    }
