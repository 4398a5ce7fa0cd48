"""Every write path on the rules reaches the other processes on their next request.

Each test lets a process compile the rules, as one serving buyers would, then changes them
through the real admin views as the demo shop manager. That process's next request still holds
the compiled rules in memory and must price with the new ones. Model saves do not bump the
pricing version, so each test fails when its write path does not.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from pricing import carts, services
from pricing.demo import demo_rules_seed
from pricing.models import PricingVersion
from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)
from tests.processes import ServingProcess, new_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return {
        "knife": ProductFactory(sku="KNF-1", name="Chef knife", base_price=Decimal("10.00")),
        "wholesale": WholesaleGroupFactory(),
        "vip": CustomerGroupFactory(name="VIP", slug="vip"),
    }


@dataclass(frozen=True)
class RuleAdmin:
    """One rule admin, the rule the tests change and what a buyer gets from it: `without`
    the rule, `with_rule`, and `changed` once the change form has edited it."""

    url: str
    create: Any  # (shop, **fields) -> the rule, in force unless is_active=False
    add_form: Any  # shop -> the add form's POST body for that rule
    change_form: Any  # shop -> the change form's POST body that edits it
    read: Any  # shop -> what the buyer gets
    without: Any
    with_rule: Any
    changed: Any


def price_rule_form(shop, value="7.77") -> dict:
    return {
        "name": "Knife sale",
        "is_active": "on",
        "group": "",
        "customer": "",
        "product": shop["knife"].pk,
        "category": "",
        "min_quantity": "1",
        "kind": "fixed_price",
        "value": value,
        "priority": "0",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
    }


def quantity_rule_form(shop, maximum="2") -> dict:
    return {
        "name": "A few at most",
        "is_active": "on",
        "group": "",
        "customer": "",
        "product": shop["knife"].pk,
        "category": "",
        "min_quantity": "1",
        "max_quantity": maximum,
        "step": "1",
    }


def cart_discount_form(group) -> dict:
    return {
        "name": "Trade orders",
        "is_active": "on",
        "groups": [group.pk],
        "min_subtotal": "0",
        "kind": "amount",
        "value": "3",
    }


def max_quantity(product):
    rule = services.quantity_rule(product)
    return rule.max_quantity if rule else None


PRICE_RULES = RuleAdmin(
    url="/admin/pricing/pricerule/",
    create=lambda shop, **fields: PriceRuleFactory(
        name="Knife sale", product=shop["knife"], kind="fixed_price", value="7.77", **fields
    ),
    add_form=price_rule_form,
    change_form=lambda shop: price_rule_form(shop, value="6.66"),
    read=lambda shop: services.quote(shop["knife"]).unit_price,
    without=Decimal("10.00"),
    with_rule=Decimal("7.77"),
    changed=Decimal("6.66"),
)
QUANTITY_RULES = RuleAdmin(
    url="/admin/pricing/quantityrule/",
    create=lambda shop, **fields: QuantityRuleFactory(
        name="A few at most", product=shop["knife"], max_quantity=2, **fields
    ),
    add_form=quantity_rule_form,
    change_form=lambda shop: quantity_rule_form(shop, maximum="4"),
    read=lambda shop: max_quantity(shop["knife"]),
    without=None,
    with_rule=2,
    changed=4,
)
# The change moves the discount to another group: only the many-to-many rows change.
CART_DISCOUNTS = RuleAdmin(
    url="/admin/pricing/cartdiscount/",
    create=lambda shop, **fields: CartDiscountFactory(
        name="Trade orders", kind="amount", value=3, groups=[shop["wholesale"]], **fields
    ),
    add_form=lambda shop: cart_discount_form(shop["wholesale"]),
    change_form=lambda shop: cart_discount_form(shop["vip"]),
    read=lambda shop: (
        carts.price_cart([(shop["knife"], 1)], group=shop["wholesale"]).discount_amount
    ),
    without=Decimal("0.00"),
    with_rule=Decimal("3.00"),
    changed=Decimal("0.00"),
)


@pytest.fixture(
    params=[PRICE_RULES, QUANTITY_RULES, CART_DISCOUNTS],
    ids=["price rule", "quantity rule", "cart discount"],
)
def rules(request):
    return request.param


def assert_seen(rules, shop, process, expected):
    """The database holds the change, and the process holding the old rules sees it."""
    assert new_process(lambda: rules.read(shop)) == expected
    assert process.next_request(lambda: rules.read(shop)) == expected


def changed_by(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()


def run_action(client, rules, name, selected):
    response = client.post(
        rules.url,
        {"action": name, "_selected_action": [obj.pk for obj in selected], "post": "yes"},
    )
    assert response.status_code == 302, response.content.decode()


def test_add(client, manager, shop, rules):
    process = ServingProcess()
    assert process.next_request(lambda: rules.read(shop)) == rules.without
    changed_by(client, rules.url + "add/", rules.add_form(shop))
    assert_seen(rules, shop, process, rules.with_rule)


def test_change(client, manager, shop, rules):
    rule = rules.create(shop)
    process = ServingProcess()
    assert process.next_request(lambda: rules.read(shop)) == rules.with_rule
    changed_by(client, f"{rules.url}{rule.pk}/change/", rules.change_form(shop))
    assert_seen(rules, shop, process, rules.changed)


def test_delete(client, manager, shop, rules):
    rule = rules.create(shop)
    process = ServingProcess()
    assert process.next_request(lambda: rules.read(shop)) == rules.with_rule
    changed_by(client, f"{rules.url}{rule.pk}/delete/", {"post": "yes"})
    assert_seen(rules, shop, process, rules.without)


def test_delete_selected(client, manager, shop, rules):
    rule = rules.create(shop)
    process = ServingProcess()
    assert process.next_request(lambda: rules.read(shop)) == rules.with_rule
    run_action(client, rules, "delete_selected", [rule])
    assert_seen(rules, shop, process, rules.without)


def test_deactivate_selected(client, manager, shop, rules):
    rule = rules.create(shop)
    process = ServingProcess()
    assert process.next_request(lambda: rules.read(shop)) == rules.with_rule
    run_action(client, rules, "deactivate", [rule])
    assert_seen(rules, shop, process, rules.without)


def test_activate_selected(client, manager, shop, rules):
    rule = rules.create(shop, is_active=False)
    process = ServingProcess()
    assert process.next_request(lambda: rules.read(shop)) == rules.without
    run_action(client, rules, "activate", [rule])
    assert_seen(rules, shop, process, rules.with_rule)


# --- the demo seed ---------------------------------------------------------------------------


def test_the_demo_seed_reaches_running_processes_with_one_bump(monkeypatch):
    groups = {
        "retail": default_group(),
        "wholesale": WholesaleGroupFactory(),
        "vip": CustomerGroupFactory(slug="vip"),
    }
    categories = {
        slug: CategoryFactory(slug=slug) for slug in ("knives", "garden", "paper-and-notebooks")
    }
    skus = ("KIT-101", "KIT-201", "KIT-305", "OFF-201", "CLE-201", "VIP-001")
    products = {sku: ProductFactory(sku=sku, base_price=Decimal("10.00")) for sku in skus}
    skillet = products["KIT-101"]
    process = ServingProcess()
    assert process.next_request(lambda: services.quote(skillet, 12).unit_price) == Decimal("10")

    bumps = []
    bump = PricingVersion.bump
    monkeypatch.setattr(PricingVersion, "bump", lambda: bumps.append(bump()))
    demo_rules_seed(
        groups=groups,
        customers={"wholesale": UserFactory(group=groups["wholesale"])},
        products=products,
        categories=categories,
    )
    assert len(bumps) == 1
    assert process.next_request(lambda: services.quote(skillet, 12).unit_price) == Decimal("9")
