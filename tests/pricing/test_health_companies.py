"""The health check on company rules: a member's own rules judged against their company's, a
company rule its group cannot buy, and the company named in every message."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pricing import health, loaders, services
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    WholesaleGroupFactory,
)
from tests.pricing.companies_support import company_with, member_of

pytestmark = pytest.mark.django_db

HEALTH = "/admin/pricing/pricerule/health/"


@pytest.fixture(params=["lowest", "priority"])
def strategy(request, settings):
    settings.SHOP_PRICING_STRATEGY = request.param
    return request.param


def warnings_of(rule):
    return health.rule_set_warnings(loaders.price_rules(), only_rule_ids={rule.pk})


@pytest.fixture
def bistro():
    return company_with(name="Bistro Lumière", group=WholesaleGroupFactory())


def test_a_members_rule_always_beaten_by_the_companys_is_flagged(bistro, strategy):
    member = member_of(bistro, email="chef@example.com")
    pan = ProductFactory(name="Copper pan", sku="PAN-1", base_price=Decimal("80.00"))
    company_rule = PriceRuleFactory(
        name="Bistro pans",
        company=bistro,
        product=pan,
        kind="fixed_price",
        value=Decimal("50.00"),
        priority=1,
    )
    own = PriceRuleFactory(
        name="Chef's pans", customer=member, product=pan, kind="fixed_price", value="70.00"
    )
    (warning,) = warnings_of(own)
    assert warning.code in (health.NEVER_WINS, health.SHADOWED)
    assert warning.other_rule_id == company_rule.pk
    assert warning.customer_id == member.pk and warning.company_id == bistro.pk
    assert "customer chef@example.com of Bistro Lumière" in warning.message
    assert warnings_of(company_rule) == []


def test_a_members_rule_is_judged_in_the_companys_group(bistro, strategy):
    """The member's profile may name another group: they are priced in the company's."""
    member = member_of(bistro, group=CustomerGroupFactory(name="VIP", slug="vip"))
    knife = ProductFactory(base_price=Decimal("10.00"))
    PriceRuleFactory(name="Wholesale 50 %", value=Decimal("50"), group=bistro.group, priority=1)
    own = PriceRuleFactory(name="Chef's 5 %", value=Decimal("5"), customer=member)
    (warning,) = warnings_of(own)
    assert warning.code == health.SHADOWED and warning.group_id == bistro.group.pk
    assert warning.product_id == knife.pk


def test_a_company_rule_a_cheaper_group_price_always_beats_never_wins_under_lowest(
    bistro, settings
):
    settings.SHOP_PRICING_STRATEGY = "lowest"
    pan = ProductFactory(name="Copper pan", sku="PAN-1", base_price=Decimal("80.00"))
    PriceRuleFactory(name="Wholesale pans", group=bistro.group, product=pan, value=Decimal("40"))
    rule = PriceRuleFactory(
        name="Bistro pans", company=bistro, product=pan, kind="fixed_price", value="60.00"
    )
    (warning,) = warnings_of(rule)
    assert warning.code in (health.NEVER_WINS, health.SHADOWED)
    assert "a member of Bistro Lumière" in warning.message


def test_a_company_rule_on_a_product_its_group_does_not_see_is_flagged(bistro, strategy):
    retail_only = ProductFactory(name="Gift box", sku="GFT-1", base_price=Decimal("20.00"))
    retail_only.visible_to.add(CustomerGroupFactory(name="VIP", slug="vip"))
    rule = PriceRuleFactory(
        name="Bistro boxes", company=bistro, product=retail_only, kind="fixed_price", value="15"
    )
    (warning,) = warnings_of(rule)
    assert warning.code == health.HIDDEN_FROM_COMPANY
    assert warning.message == (
        f"#{rule.pk} “Bistro boxes” is negotiated with Bistro Lumière, but its group Wholesale "
        "does not see Gift box (GFT-1): its members cannot buy it."
    )
    retail_only.visible_to.add(bistro.group)
    assert warnings_of(rule) == []


def test_a_company_rule_on_a_category_its_group_does_not_see_is_flagged(bistro, strategy):
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    hidden = CategoryFactory(name="Cellar")
    hidden.visible_to.add(vip)
    ProductFactory(name="Old wine", sku="WIN-1", category=hidden, base_price=Decimal("90"))
    rule = PriceRuleFactory(name="Bistro cellar", company=bistro, category=hidden, value="10")
    codes = [warning.code for warning in warnings_of(rule)]
    assert codes == [health.HIDDEN_FROM_COMPANY]
    assert "sees no product of its category (e.g. Old wine (WIN-1))" in warnings_of(rule)[0].message
    hidden.visible_to.add(bistro.group)
    assert warnings_of(rule) == []


def test_a_group_rule_on_a_hidden_product_is_no_company_matter(bistro, strategy):
    product = ProductFactory(base_price=Decimal("20.00"))
    product.visible_to.add(CustomerGroupFactory(name="VIP", slug="vip"))
    rule = PriceRuleFactory(name="Wholesale", group=bistro.group, product=product, value="10")
    assert health.HIDDEN_FROM_COMPANY not in [w.code for w in warnings_of(rule)]


def test_the_health_page_names_the_company(client, manager, bistro):
    product = ProductFactory(name="Gift box", sku="GFT-1", base_price=Decimal("20.00"))
    product.visible_to.add(CustomerGroupFactory(name="VIP", slug="vip"))
    PriceRuleFactory(name="Bistro boxes", company=bistro, product=product, value="15")
    body = client.get(HEALTH).content.decode()
    assert "is negotiated with Bistro Lumière, but its group Wholesale does not see" in body
    assert f"company={bistro.pk}" in body  # the simulator link prices a member


def test_the_facts_cost_the_same_queries_for_one_or_many_companies(strategy):
    group = WholesaleGroupFactory()

    def queries(count):
        for i in range(count):
            company = company_with(name=f"Company {count}-{i}", group=group)
            member = member_of(company)
            PriceRuleFactory(company=company, value="5")
            PriceRuleFactory(customer=member, value="6")
        rules = loaders.price_rules()
        services.pricing_data()
        with CaptureQueriesContext(connection) as captured:
            health.catalogue_facts(*health.negotiators(rules))
        return len(captured)

    ProductFactory()
    # 6 facts, 3 for what the one company group sees, the pricing version check
    assert queries(1) == queries(30) == 10
