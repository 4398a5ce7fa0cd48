"""The pricing services: the public API other apps use, on real rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pricing import carts, display, explain, services
from pricing.models import CartDiscount, PriceRule, PricingVersion, QuantityRule
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    ProductFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    root = CategoryFactory(slug="kitchen")
    leaf = CategoryFactory(slug="knives", parent=root)
    product = ProductFactory(name="Chef knife", category=leaf, base_price=Decimal("40.00"))
    return root, leaf, product


def rule(**fields) -> PriceRule:
    fields.setdefault("name", "rule")
    fields.setdefault("kind", "percent_off")
    return PriceRule.objects.create(**fields)


def test_guest_gets_base_price_and_group_rule_applies_to_members(catalogue):
    root, _, product = catalogue
    wholesale = WholesaleGroupFactory()
    rule(group=wholesale, category=root, value=Decimal("25"))
    assert services.quote(product).unit_price == Decimal("40.00")
    buyer = UserFactory(group=wholesale)
    result = services.quote(product, 3, customer=buyer)
    assert result.unit_price == Decimal("30.00")
    assert result.total == Decimal("90.00")
    assert result.rule.name == "rule"
    assert any(line.startswith("Winner") for line in explain.render(result.reasons))


def test_negotiated_price_beats_group_price_for_that_customer_only(catalogue):
    _, _, product = catalogue
    wholesale = WholesaleGroupFactory()
    rule(group=wholesale, value=Decimal("10"))
    buyer, colleague = UserFactory(group=wholesale), UserFactory(group=wholesale)
    rule(customer=buyer, product=product, kind="fixed_price", value=Decimal("19.90"))
    assert services.quote(product, customer=buyer).unit_price == Decimal("19.90")
    assert services.quote(product, customer=colleague).unit_price == Decimal("36.00")


def test_quote_many_prices_a_page_with_the_same_queries_for_10_and_1000_rules(catalogue):
    _, leaf, _ = catalogue
    group = CustomerGroupFactory()
    products = ProductFactory.create_batch(20, category=leaf)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.quote_many(products, group=group)
        return len(ctx.captured_queries)

    PriceRule.objects.bulk_create(
        PriceRule(name=f"r{i}", product=products[i % 20], kind="amount_off", value=1)
        for i in range(10)
    )
    services.rules_changed()
    reload_few = queries()  # recompiles the rules
    few = queries()
    PriceRule.objects.bulk_create(
        PriceRule(name=f"s{i}", group=group, product=products[i % 20], kind="amount_off", value=2)
        for i in range(990)
    )
    services.rules_changed()
    reload_many = queries()
    many = queries()
    assert few == many == 1  # only the version check once the rules are compiled
    assert reload_few == reload_many  # recompiling does not cost a query per rule


def test_rule_changes_are_seen_by_a_process_holding_stale_rules(catalogue):
    _, _, product = catalogue
    group = CustomerGroupFactory()
    price_rule = rule(group=group, value=Decimal("10"))
    assert services.quote(product, group=group).unit_price == Decimal("36.00")
    stale = services.pricing_data()
    # Another process edits the rule; this process still holds `stale` in memory.
    PriceRule.objects.filter(pk=price_rule.pk).update(value=Decimal("50"))
    services.rules_changed()
    assert services._process_data is stale
    assert services.quote(product, group=group).unit_price == Decimal("20.00")
    price_rule.delete()
    services.rules_changed()
    assert services.quote(product, group=group).unit_price == Decimal("40.00")


def test_model_saves_and_deletes_leave_the_version_alone(catalogue):
    price_rule = rule(value=Decimal("10"))
    version = PricingVersion.current()
    price_rule.value = Decimal("20")
    price_rule.save()
    QuantityRule.objects.create(name="packs", step=2, min_quantity=2).delete()
    assert PricingVersion.current() == version
    services.rules_changed()
    assert PricingVersion.current() != version


def test_category_move_changes_which_category_rules_apply(catalogue):
    root, leaf, product = catalogue
    garden = CategoryFactory(slug="garden")
    rule(category=garden, value=Decimal("50"))
    assert services.quote(product).unit_price == Decimal("40.00")
    leaf.parent = garden
    leaf.save()
    services.rules_changed()  # what every write path of categories does after a save
    assert services.quote(product).unit_price == Decimal("20.00")


def test_base_price_change_is_seen_at_once(catalogue):
    _, _, product = catalogue
    services.quote(product)
    product.base_price = Decimal("44.00")
    product.save()
    assert services.quote(product).unit_price == Decimal("44.00")


def test_tier_table_and_quantity_messages_name_product_and_limit(catalogue):
    _, _, product = catalogue
    wholesale = WholesaleGroupFactory()
    rule(product=product, min_quantity=12, kind="fixed_price", value=Decimal("30.00"))
    rule(product=product, min_quantity=24, kind="fixed_price", value=Decimal("28.00"))
    QuantityRule.objects.create(
        name="packs", group=wholesale, product=product, min_quantity=6, step=6
    )
    QuantityRule.objects.create(name="limit", product=product, max_quantity=2)
    assert services.tier_table(product) == [
        (1, Decimal("40.00")),
        (12, Decimal("30.00")),
        (24, Decimal("28.00")),
    ]
    assert services.check_quantity(product, 7, group=wholesale) == [
        "Wholesale orders of Chef knife must be in packs of 6."
    ]
    assert services.check_quantity(product, 3) == ["You can buy at most 2 of Chef knife."]
    assert services.check_quantity(product, 0) == [
        "Enter a whole quantity of at least 1 for Chef knife."
    ]
    product.stock = 1
    assert services.check_quantity(product, 2) == ["Only 1 of Chef knife left in stock."]
    product.stock = 0
    assert services.check_quantity(product, 1) == ["Chef knife is out of stock."]


def test_quantity_bounds_follow_rule_and_stock(catalogue):
    _, _, product = catalogue
    wholesale = WholesaleGroupFactory()
    QuantityRule.objects.create(name="p", group=wholesale, product=product, min_quantity=12, step=6)
    product.stock = 40
    bounds = services.quantity_bounds(product, group=wholesale)
    assert (bounds.minimum, bounds.step, bounds.maximum) == (12, 6, 36)
    assert services.quantity_bounds(product).step == 1


def test_display_prices_gross_for_retail_net_for_wholesale(catalogue):
    _, _, product = catalogue
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    retail = CustomerGroupFactory(prices_include_tax=True)
    wholesale = WholesaleGroupFactory()
    rule(group=wholesale, value=Decimal("10"))
    gross = display.display_prices([product], group=retail)[product.pk]
    net = display.display_prices([product], group=wholesale)[product.pk]
    assert (gross.amount, gross.includes_tax, gross.is_reduced) == (Decimal("48.00"), True, False)
    assert (net.amount, net.base_amount, net.includes_tax) == (
        Decimal("36.00"),
        Decimal("40.00"),
        False,
    )
    assert net.is_own_price and net.is_reduced


def test_gross_price_rounds_the_net_unit_price_first_then_its_tax(catalogue):
    _, _, product = catalogue
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    product.base_price = Decimal("9.99")
    retail = CustomerGroupFactory(prices_include_tax=True)
    rule(product=product, value=Decimal("33.33"))  # 9.99 x 0.6667 = 6.6603 -> 6.66
    shown = display.display_prices([product], group=retail)[product.pk]
    assert shown.amount == Decimal("7.99")  # 6.66 + 1.332 -> 1.33


def test_price_cart_totals_tax_by_country_discount_and_minimum(catalogue):
    _, leaf, product = catalogue
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("0.1900"))
    wholesale = WholesaleGroupFactory(min_order_subtotal=Decimal("500.00"))
    discount = CartDiscount.objects.create(
        name="3% from 100", kind="percent", value=Decimal("3"), min_subtotal=Decimal("100")
    )
    discount.groups.set([wholesale])
    other = ProductFactory(category=leaf, base_price=Decimal("5.00"), tax_class="zero")
    cart = carts.price_cart([(product, 3), (other, 2)], group=wholesale, country="DE")
    assert cart.subtotal == Decimal("130.00")
    assert cart.discount_amount == Decimal("3.90")
    assert cart.net_total == Decimal("126.10")
    # Tax only on the standard-rate line, after its share of the discount (3.60): 116.40 x 19%.
    assert cart.tax_total == Decimal("22.12")
    assert cart.gross_total == Decimal("148.22")
    assert cart.min_order_shortfall == Decimal("370.00")
    assert not cart.can_check_out
    retail = CustomerGroupFactory(prices_include_tax=True)
    cart = carts.price_cart([(product, 1)], group=retail, country="FR")
    assert cart.lines[0].display_unit_price == Decimal("48.00")
    assert cart.can_check_out


def test_price_cart_reports_broken_quantity_rules(catalogue):
    _, _, product = catalogue
    QuantityRule.objects.create(name="max", product=product, max_quantity=2)
    cart = carts.price_cart([(product, 5)])
    assert cart.violations == ("You can buy at most 2 of Chef knife.",)
    assert not cart.can_check_out


def test_hidden_prices_for_guests(catalogue, settings):
    settings.SHOP_HIDE_PRICES_FROM_GUESTS = True
    _, _, product = catalogue
    assert display.display_prices([product])[product.pk].hidden
    member = UserFactory()
    assert not display.display_prices([product], customer=member)[product.pk].hidden
