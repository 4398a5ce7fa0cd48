"""The conflict checker: what a rule does to buyers, found across the catalogue in bulk."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing import engine, health, loaders
from pricing.engine import ladders, survey
from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.pricing.companies_support import company_with

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["lowest", "priority"])
def strategy(request, settings):
    settings.SHOP_PRICING_STRATEGY = request.param
    return request.param


def warnings_of(rule, **kwargs):
    return health.rule_set_warnings(loaders.price_rules(), only_rule_ids={rule.pk}, **kwargs)


def codes_of(rule, **kwargs):
    return [warning.code for warning in warnings_of(rule, **kwargs)]


@pytest.fixture
def kitchen():
    kitchen = CategoryFactory(name="Kitchen")
    return {
        "category": kitchen,
        "knife": ProductFactory(name="Chef knife", sku="KNF-1", category=kitchen, base_price=10),
        "pan": ProductFactory(name="Frying pan", sku="PAN-1", category=kitchen, base_price=30),
    }


def test_an_amount_off_above_the_base_price_makes_a_product_free(kitchen, strategy):
    rule = PriceRuleFactory(
        name="Clearance", kind="amount_off", value=Decimal("15"), category=kitchen["category"]
    )
    (free,) = [w for w in warnings_of(rule) if w.code == health.FREE]
    assert free.product_id == kitchen["knife"].pk
    assert "Chef knife (KNF-1)" in free.message and "free" in free.message


def test_a_percentage_that_leaves_a_price_is_not_free(kitchen, strategy):
    rule = PriceRuleFactory(kind="amount_off", value=Decimal("5"), category=kitchen["category"])
    assert health.FREE not in codes_of(rule)


def test_a_group_rule_outranking_public_tiers_makes_the_group_pay_more_under_priority(settings):
    pen = ProductFactory(name="Gel pen", base_price=Decimal("2.00"))
    vip = CustomerGroupFactory(name="VIP")
    PriceRuleFactory(
        name="Pens 100+", kind="fixed_price", value=Decimal("1.20"), product=pen, min_quantity=100
    )
    vip_rule = PriceRuleFactory(name="VIP 10 %", group=vip, product=pen)

    settings.SHOP_PRICING_STRATEGY = "priority"
    (warning,) = [w for w in warnings_of(vip_rule) if w.code == health.GROUP_PAYS_MORE]
    assert (warning.group_id, warning.product_id, warning.quantity) == (vip.pk, pen.pk, 100)
    assert "VIP" in warning.message and "Gel pen" in warning.message
    assert "1.80" in warning.message and "1.20" in warning.message

    settings.SHOP_PRICING_STRATEGY = "lowest"
    assert health.GROUP_PAYS_MORE not in codes_of(vip_rule)


def test_a_customer_rule_that_costs_more_than_the_guest_price_is_flagged_under_priority(
    settings,
):
    pen = ProductFactory(name="Gel pen", base_price=Decimal("2.00"))
    PriceRuleFactory(name="Pen sale", kind="fixed_price", value=Decimal("1.00"), product=pen)
    buyer = UserFactory(email="buyer@example.com")
    negotiated = PriceRuleFactory(
        name="Negotiated", kind="fixed_price", value=Decimal("1.50"), customer=buyer
    )
    settings.SHOP_PRICING_STRATEGY = "priority"
    (warning,) = [w for w in warnings_of(negotiated) if w.code == health.GROUP_PAYS_MORE]
    assert warning.customer_id == buyer.pk and "buyer@example.com" in warning.message


def test_a_customer_price_on_everything_from_10_above_the_price_below_is_flagged(settings):
    knife = ProductFactory(name="Chef knife", base_price=Decimal("10.00"))
    ProductFactory(name="Frying pan", base_price=Decimal("30.00"))
    PriceRuleFactory(name="Knife 8.00", kind="fixed_price", value=Decimal("8"), product=knife)
    buyer = UserFactory()
    everything = PriceRuleFactory(
        name="Everything 9.00 from 10",
        kind="fixed_price",
        value=Decimal("9"),
        customer=buyer,
        min_quantity=10,
    )
    settings.SHOP_PRICING_STRATEGY = "priority"
    found = {w.code: w for w in warnings_of(everything)}
    inverted, dearer = found[health.TIER_INVERSION], found[health.GROUP_PAYS_MORE]
    assert (inverted.product_id, inverted.quantity, inverted.customer_id) == (
        knife.pk,
        10,
        buyer.pk,
    )
    assert "8.00" in inverted.message and "9.00" in inverted.message
    assert (dearer.product_id, dearer.quantity) == (knife.pk, 10)

    settings.SHOP_PRICING_STRATEGY = "lowest"
    assert codes_of(everything) == []


def test_a_higher_tier_with_a_higher_price_is_an_inverted_ladder_under_priority(settings):
    knife = ProductFactory(name="Chef knife", base_price=Decimal("10.00"))
    PriceRuleFactory(name="Knife 8.00", kind="fixed_price", value=Decimal("8"), product=knife)
    dearer = PriceRuleFactory(
        name="Knife 9.00 from 10",
        kind="fixed_price",
        value=Decimal("9"),
        product=knife,
        min_quantity=10,
    )
    settings.SHOP_PRICING_STRATEGY = "priority"
    (warning,) = [w for w in warnings_of(dearer) if w.code == health.TIER_INVERSION]
    assert warning.quantity == 10 and "8.00" in warning.message and "9.00" in warning.message

    settings.SHOP_PRICING_STRATEGY = "lowest"
    assert health.TIER_INVERSION not in codes_of(dearer)


def test_a_price_above_the_base_price_never_wins_under_lowest(settings):
    knife = ProductFactory(name="Chef knife", base_price=Decimal("10.00"))
    rule = PriceRuleFactory(name="Too dear", kind="fixed_price", value=Decimal("12"), product=knife)
    settings.SHOP_PRICING_STRATEGY = "lowest"
    (warning,) = warnings_of(rule)
    assert warning.code == health.NEVER_WINS and "base price" in warning.message

    settings.SHOP_PRICING_STRATEGY = "priority"
    assert warnings_of(rule) == []


def test_a_rule_beaten_by_different_rules_on_each_product_never_wins(kitchen, strategy):
    PriceRuleFactory(name="Knife 30 %", value=Decimal("30"), product=kitchen["knife"], priority=1)
    PriceRuleFactory(name="Pan 30 %", value=Decimal("30"), product=kitchen["pan"], priority=1)
    rule = PriceRuleFactory(name="Kitchen 10 %", category=kitchen["category"])
    (warning,) = warnings_of(rule)
    assert warning.code == health.NEVER_WINS
    assert "any product in its scope" in warning.message


def test_a_rule_another_one_beats_wherever_it_applies_is_shadowed(kitchen, strategy):
    broad = PriceRuleFactory(name="Kitchen 20 %", value=Decimal("20"), category=kitchen["category"])
    narrow = PriceRuleFactory(name="Knife 10 %", product=kitchen["knife"])
    warnings = warnings_of(narrow)
    if strategy == "lowest":
        (warning,) = warnings
        assert warning.code == health.SHADOWED and warning.other_rule_id == broad.pk
        assert "Kitchen 20 %" in warning.message
    else:  # the product rule is more specific: it wins
        assert warnings == []


def test_a_rule_with_a_higher_priority_shadows_under_priority_only(kitchen, strategy):
    PriceRuleFactory(
        name="Kitchen 5 %", value=Decimal("5"), category=kitchen["category"], priority=3
    )
    rule = PriceRuleFactory(name="Kitchen 25 %", value=Decimal("25"), category=kitchen["category"])
    expected = [health.SHADOWED] if strategy == "priority" else []
    assert codes_of(rule) == expected


def test_a_customer_rule_is_judged_for_that_customer_in_their_group(strategy):
    wholesale = WholesaleGroupFactory()
    buyer = UserFactory(group=wholesale)
    knife = ProductFactory(base_price=Decimal("10.00"))
    PriceRuleFactory(name="Wholesale 50 %", value=Decimal("50"), group=wholesale, priority=1)
    rule = PriceRuleFactory(name="Negotiated 5 %", value=Decimal("5"), customer=buyer)
    (warning,) = warnings_of(rule)
    assert warning.code == health.SHADOWED and warning.customer_id == buyer.pk
    assert knife.pk == warning.product_id


def test_only_the_rules_asked_about_are_reported(kitchen, strategy):
    free = PriceRuleFactory(kind="amount_off", value=Decimal("50"), product=kitchen["knife"])
    other = PriceRuleFactory(kind="amount_off", value=Decimal("50"), product=kitchen["pan"])
    assert {w.rule_id for w in warnings_of(free)} == {free.pk}
    everything = health.rule_set_warnings(loaders.price_rules())
    assert {w.rule_id for w in everything} == {free.pk, other.pk}


def test_a_scheduled_rule_is_judged_at_its_start_and_an_ended_one_not_at_all(kitchen, strategy):
    now = timezone.now()
    start = now + timedelta(days=3)
    scheduled = PriceRuleFactory(
        kind="amount_off", value=Decimal("50"), product=kitchen["knife"], starts_at=start
    )
    (warning,) = warnings_of(scheduled, at=now)
    assert warning.code == health.FREE and warning.at == start
    ended = PriceRuleFactory(
        kind="amount_off",
        value=Decimal("50"),
        product=kitchen["pan"],
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),
    )
    assert warnings_of(ended, at=now) == []


def test_a_rule_that_only_competes_with_a_finished_sale_is_fine(kitchen, strategy):
    now = timezone.now()
    PriceRuleFactory(
        name="Old sale",
        value=Decimal("50"),
        product=kitchen["knife"],
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=2),
    )
    rule = PriceRuleFactory(name="Knife 10 %", product=kitchen["knife"])
    assert warnings_of(rule, at=now) == []


def test_a_cart_discount_matched_from_a_lower_threshold_never_wins():
    wholesale = WholesaleGroupFactory()
    CartDiscountFactory(name="5 % for everyone", value=Decimal("5"))
    dead = CartDiscountFactory(
        name="Wholesale 3 % from 1,000",
        value=Decimal("3"),
        min_subtotal=Decimal("1000"),
        groups=[wholesale],
    )
    alive = CartDiscountFactory(
        name="Wholesale 8 % from 1,000",
        value=Decimal("8"),
        min_subtotal=Decimal("1000"),
        groups=[wholesale],
    )
    discounts = loaders_cart_discounts()
    (warning,) = health.cart_discount_warnings(discounts, only_ids={dead.pk})
    assert warning.code == health.NEVER_WINS and "5 % for everyone" in warning.message
    assert health.cart_discount_warnings(discounts, only_ids={alive.pk}) == []


def test_a_percentage_that_beats_an_amount_at_its_threshold_makes_it_dead():
    CartDiscountFactory(name="10 %", value=Decimal("10"), min_subtotal=Decimal("100"))
    amount = CartDiscountFactory(
        name="5.00 off from 200", kind="amount", value=Decimal("5"), min_subtotal=Decimal("200")
    )
    bigger = CartDiscountFactory(
        name="50.00 off from 200", kind="amount", value=Decimal("50"), min_subtotal=Decimal("200")
    )
    discounts = loaders_cart_discounts()
    assert [w.rule_id for w in health.cart_discount_warnings(discounts)] == [amount.pk]
    assert bigger.pk


def loaders_cart_discounts():
    from pricing import services

    return services.pricing_data().rules.cart_discounts


def test_a_customer_rule_beaten_by_their_own_product_price_is_shadowed(strategy):
    buyer = UserFactory()
    knife = ProductFactory(base_price=Decimal("10.00"))
    PriceRuleFactory(name="Knife 50 %", value=Decimal("50"), customer=buyer, product=knife)
    broad = PriceRuleFactory(name="Everything 5 %", value=Decimal("5"), customer=buyer)
    (warning,) = warnings_of(broad)
    assert warning.code == health.SHADOWED and "Knife 50 %" in warning.message


def random_rules(rng, customers, *, wide_customers=False, companies=None):
    """18 rules for 8 products in two categories of one root, 3 groups and ``customers``
    (with ``wide_customers`` theirs are mostly catalogue- or category-wide)."""
    now = datetime(2026, 6, 1, tzinfo=UTC)
    day = timedelta(days=1)
    rules = []
    for rule_id in range(1, 19):
        who = rng.choice(["everyone", "group", "customer", "customer"])
        if companies and rng.random() < 0.3:
            who = "company"
        if who in ("customer", "company") and wide_customers:
            scope = rng.choice(["catalogue", "catalogue", "category", "root", "product"])
        else:
            scope = rng.choice(["product", "category", "root", "catalogue"])
        kind = rng.choice(["fixed_price", "percent_off", "amount_off"])
        value = Decimal(rng.randint(1, 2500)) / 100 if kind != "percent_off" else rng.randint(5, 60)
        window = rng.choice([None] * 6 + ["scheduled", "later", "ended", "sale"])
        starts_at, ends_at = {
            "scheduled": (now + day, None),
            "later": (now + 3 * day, None),
            "ended": (now - 3 * day, now - day),
            "sale": (now - day, now + 2 * day),
        }.get(window, (None, None))
        rules.append(
            engine.PriceRuleData(
                id=rule_id,
                name=f"R{rule_id}",
                kind=kind,
                value=Decimal(value),
                priority=rng.choice([0, 0, 1, 2]),
                min_quantity=rng.choice([1, 1, 5, 10]),
                product_id=rng.randint(1, 8) if scope == "product" else None,
                category_id={"category": rng.choice([10, 11]), "root": 1}.get(scope),
                group_id=rng.choice([1, 2, 3]) if who == "group" else None,
                customer_id=rng.choice(list(customers)) if who == "customer" else None,
                company_id=rng.choice(list(companies)) if who == "company" else None,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )
    return rules, now


def brute_force_codes(rule_set, rules, products, customers, now, companies=None, memberships=None):
    """Per rule, at its moment, what quoting every product and quantity for its buyers (every
    group, or its customer, with their company when ``memberships`` names one) says: ``dead``,
    ``group_pays_more``, ``tier_inversion``."""
    groups = [engine.Buyer(group_id=g) for g in (1, 2, 3)]
    quantities = range(1, 12)
    codes = {}
    for rule in rules:
        at = survey.judged_at(rule, now)
        if at is None:
            continue
        if rule.customer_id is not None:
            buyers = [
                engine.Buyer(
                    customer_id=rule.customer_id,
                    group_id=customers[rule.customer_id],
                    company_id=(memberships or {}).get(rule.customer_id),
                )
            ]
        elif rule.company_id is not None:
            buyers = [engine.Buyer(company_id=rule.company_id, group_id=companies[rule.company_id])]
        else:
            buyers = groups
        found = set()
        won = False
        for product in products:
            guest = [engine.quote(rule_set, product, groups[0], q, at) for q in quantities]
            for buyer in buyers:
                quotes = [engine.quote(rule_set, product, buyer, q, at) for q in quantities]
                for i, quote in enumerate(quotes):
                    if quote.rule is None or quote.rule.id != rule.id:
                        continue
                    won = True
                    if i and quote.unit_price > quotes[i - 1].unit_price:
                        found.add(ladders.TIER_INVERSION)
                    targeted = (
                        rule.customer_id is not None
                        or rule.company_id is not None
                        or (rule.group_id == buyer.group_id and buyer.group_id != 1)
                    )
                    if targeted and quote.unit_price > guest[i].unit_price:
                        found.add(ladders.GROUP_PAYS_MORE)
        if not won:
            found.add("dead")
        if rule_set.strategy == engine.LOWEST:  # a rule only lowers a price: no conflict
            found -= {ladders.TIER_INVERSION, ladders.GROUP_PAYS_MORE}
        codes[rule.id] = found
    return codes


@pytest.mark.parametrize("wide_customers", [False, True])
@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("engine_strategy", ["lowest", "priority"])
def test_findings_agree_with_quoting_every_quantity(seed, engine_strategy, wide_customers):
    """The survey's shortcuts (thresholds, proofs, early exits, the comparison of a customer's
    catalogue-wide rule with the group's and guest's ladders) against brute force quotes."""
    rng = random.Random(seed)
    products = [
        engine.ProductSnapshot(
            id=i, base_price=Decimal(rng.randint(100, 3000)) / 100, category_path=(1, 10 + i % 2)
        )
        for i in range(1, 9)
    ]
    customers = {101: 1, 102: 2, 103: 3, 104: 2}
    rules, now = random_rules(rng, customers, wide_customers=wide_customers)
    rule_set = engine.compile_rules(rules, strategy=engine_strategy)
    findings = survey.survey(
        rule_set,
        ladders.Catalogue(products),
        groups=[1, 2, 3],
        customers=customers,
        default_group=1,
        at=now,
    )
    dead = (ladders.NEVER_WINS, ladders.SHADOWED)
    codes = {}
    for finding in findings:
        if finding.code != ladders.FREE:
            code = "dead" if finding.code in dead else finding.code
            codes.setdefault(finding.rule_id, set()).add(code)
    expected = brute_force_codes(rule_set, rules, products, customers, now)
    assert codes == {rule_id: found for rule_id, found in expected.items() if found}


@pytest.mark.parametrize("wide_customers", [False, True])
@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("engine_strategy", ["lowest", "priority"])
def test_findings_with_company_rules_agree_with_quoting_every_quantity(
    seed, engine_strategy, wide_customers
):
    """Company rules are judged like a customer's, for a member of the company in its group."""
    rng = random.Random(1000 + seed)
    products = [
        engine.ProductSnapshot(
            id=i, base_price=Decimal(rng.randint(100, 3000)) / 100, category_path=(1, 10 + i % 2)
        )
        for i in range(1, 9)
    ]
    customers = {101: 1, 102: 2}
    companies = {201: 2, 202: 3}
    rules, now = random_rules(rng, customers, wide_customers=wide_customers, companies=companies)
    rule_set = engine.compile_rules(rules, strategy=engine_strategy)
    findings = survey.survey(
        rule_set,
        ladders.Catalogue(products),
        groups=[1, 2, 3],
        customers=customers,
        default_group=1,
        at=now,
        companies=companies,
    )
    dead = (ladders.NEVER_WINS, ladders.SHADOWED)
    codes = {}
    for finding in findings:
        if finding.code != ladders.FREE:
            code = "dead" if finding.code in dead else finding.code
            codes.setdefault(finding.rule_id, set()).add(code)
    expected = brute_force_codes(rule_set, rules, products, customers, now, companies)
    assert codes == {rule_id: found for rule_id, found in expected.items() if found}


def test_a_company_rule_is_judged_for_a_member_in_the_companys_group(strategy):
    wholesale = WholesaleGroupFactory()
    company = company_with(name="Bistro Lumière", group=wholesale)
    knife = ProductFactory(base_price=Decimal("10.00"))
    PriceRuleFactory(name="Wholesale 50 %", value=Decimal("50"), group=wholesale, priority=1)
    rule = PriceRuleFactory(name="Bistro 5 %", value=Decimal("5"), company=company)
    (warning,) = warnings_of(rule)
    assert warning.code == health.SHADOWED and warning.company_id == company.pk
    assert warning.customer_id is None and knife.pk == warning.product_id
    assert "a member of Bistro Lumière" in warning.message


@pytest.mark.parametrize("wide_customers", [False, True])
@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("engine_strategy", ["lowest", "priority"])
def test_findings_for_members_with_rules_of_their_own_agree_with_quoting_every_quantity(
    seed, engine_strategy, wide_customers
):
    """A member's own rules are judged against their company's, in the company's group."""
    rng = random.Random(2000 + seed)
    products = [
        engine.ProductSnapshot(
            id=i, base_price=Decimal(rng.randint(100, 3000)) / 100, category_path=(1, 10 + i % 2)
        )
        for i in range(1, 9)
    ]
    companies = {201: 2, 202: 3}
    memberships = {101: 201, 102: 202}
    customers = {101: 2, 102: 3, 103: 1}
    rules, now = random_rules(rng, customers, wide_customers=wide_customers, companies=companies)
    rule_set = engine.compile_rules(rules, strategy=engine_strategy)
    findings = survey.survey(
        rule_set,
        ladders.Catalogue(products),
        groups=[1, 2, 3],
        customers=customers,
        default_group=1,
        at=now,
        companies=companies,
        customer_companies=memberships,
    )
    dead = (ladders.NEVER_WINS, ladders.SHADOWED)
    codes = {}
    for finding in findings:
        if finding.code != ladders.FREE:
            code = "dead" if finding.code in dead else finding.code
            codes.setdefault(finding.rule_id, set()).add(code)
    expected = brute_force_codes(rule_set, rules, products, customers, now, companies, memberships)
    assert codes == {rule_id: found for rule_id, found in expected.items() if found}
