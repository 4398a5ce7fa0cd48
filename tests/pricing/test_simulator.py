"""The admin price simulator: `pricing.simulator.simulate` and its page in the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from pricing.simulator import simulate
from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    StaffUserFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

URL = "/admin/pricing/pricerule/simulator/"


@pytest.fixture
def shop(settings):
    settings.SHOP_DEFAULT_COUNTRY = "FR"
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    knife = ProductFactory(
        sku="KNF-1", name="Chef knife", category=knives, base_price=Decimal("40.00")
    )
    return {
        "kitchen": kitchen,
        "knives": knives,
        "knife": knife,
        "wholesale": WholesaleGroupFactory(),
    }


def run(product, quantity=1, **kwargs):
    kwargs.setdefault("at", timezone.now())
    return simulate(product=product, quantity=quantity, **kwargs)


# --- the simulation -------------------------------------------------------------------------


def test_shows_the_winner_the_explanation_and_net_and_gross(shop):
    catalogue = PriceRuleFactory(name="Wholesale 20%", group=shop["wholesale"], value=20)
    knives = PriceRuleFactory(
        name="Wholesale knives 30%", group=shop["wholesale"], category=shop["knives"], value=30
    )
    result = run(shop["knife"], 2, group=shop["wholesale"])

    assert result.quote.unit_price == Decimal("28.00")
    assert result.quote.total == Decimal("56.00")
    assert result.winner.pk == knives.pk
    assert result.unit_gross == Decimal("33.60")
    assert result.total_gross == Decimal("67.20")
    assert result.prices_include_tax is False
    assert any("Winner" in line and "Wholesale knives 30%" in line for line in result.explanation)
    rows = {row.rule.id: row for row in result.candidates}
    assert rows[knives.pk].is_winner and rows[knives.pk].sentence == (
        "Wholesale · Knives (and below) · from 1 · 30% off"
    )
    assert not rows[catalogue.pk].is_winner and rows[catalogue.pk].applies
    # The catalogue rule is beaten by the more specific one at every quantity.
    assert rows[catalogue.pk].wins_at_text == "never"
    assert any(
        "Wholesale 20%" in w and "can never win" in w and "Wholesale knives 30%" in w
        for w in result.warnings
    )


def test_guest_pays_the_base_price_without_warnings(shop):
    PriceRuleFactory(group=shop["wholesale"], value=20)
    result = run(shop["knife"])
    assert result.group.is_default
    assert result.quote.unit_price == Decimal("40.00")
    assert result.winner is None and result.candidates == ()
    assert result.warnings == ()
    assert [(t.start, t.end, t.unit_net) for t in result.tiers] == [(1, None, Decimal("40.00"))]


def test_each_rule_says_at_which_quantities_it_wins(shop):
    small = PriceRuleFactory(name="From 1", product=shop["knife"], value=5)
    big = PriceRuleFactory(name="From 12", product=shop["knife"], value=15, min_quantity=12)
    result = run(shop["knife"], 3)
    rows = {row.rule.id: row for row in result.candidates}
    assert rows[small.pk].wins_at_text == "1–11"
    assert rows[big.pk].wins_at_text == "12 and more"
    assert not rows[big.pk].applies and "needs quantity 12" in rows[big.pk].reason
    assert [(t.start, t.end, t.unit_net) for t in result.tiers] == [
        (1, 11, Decimal("38.00")),
        (12, None, Decimal("34.00")),
    ]
    assert result.warnings == ()


def test_warns_when_buying_more_costs_more_per_unit(shop, settings):
    settings.SHOP_PRICING_STRATEGY = "priority"  # under "lowest" a dearer tier never wins
    PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("9.00"))
    PriceRuleFactory(
        product=shop["knife"], kind="fixed_price", value=Decimal("9.50"), min_quantity=12
    )
    result = run(shop["knife"])
    assert [t.unit_net for t in result.tiers] == [Decimal("9.00"), Decimal("9.50")]
    assert any("Buying more costs more per unit: from 12" in w for w in result.warnings)
    settings.SHOP_PRICING_STRATEGY = "lowest"
    assert [t.unit_net for t in run(shop["knife"]).tiers] == [Decimal("9.00")]


def test_warns_about_a_tier_that_a_higher_priority_rule_always_beats(shop, settings):
    settings.SHOP_PRICING_STRATEGY = "priority"
    PriceRuleFactory(name="Promo", product=shop["knife"], value=10, priority=5)
    tier = PriceRuleFactory(name="Bulk 12+", product=shop["knife"], value=25, min_quantity=12)
    result = run(shop["knife"], 12)
    assert result.quote.unit_price == Decimal("36.00")
    row = next(r for r in result.candidates if r.rule.id == tier.pk)
    assert row.applies and not row.is_winner and row.wins_at == ()
    assert any("Bulk 12+" in w and "can never win" in w and "Promo" in w for w in result.warnings)


def test_under_lowest_the_cheaper_tier_wins_and_the_promo_is_told_why_it_lost(shop):
    promo = PriceRuleFactory(name="Promo", product=shop["knife"], value=10, priority=5)
    tier = PriceRuleFactory(name="Bulk 12+", product=shop["knife"], value=25, min_quantity=12)
    result = run(shop["knife"], 12)
    assert result.quote.unit_price == Decimal("30.00")
    assert result.winner.pk == tier.pk
    row = next(r for r in result.candidates if r.rule.id == promo.pk)
    assert row.applies and not row.is_winner
    assert "lower price (€30.00 over €36.00)" in row.reason
    assert result.explanation[0] == "Strategy: lowest price"
    assert not any("can never win" in w for w in result.warnings)


def test_warns_about_rules_that_win_only_below_the_minimum_order(shop):
    QuantityRuleFactory(product=shop["knife"], min_quantity=6, step=6)
    PriceRuleFactory(name="Single", product=shop["knife"], value=5)
    PriceRuleFactory(name="Pack", product=shop["knife"], value=10, min_quantity=6)
    result = run(shop["knife"], 6)
    assert any(
        "Single" in w and "only wins at quantities the quantity rule does not allow" in w
        for w in result.warnings
    )
    assert not any("Pack" in w for w in result.warnings)


def test_warns_about_a_tier_above_the_maximum_quantity(shop):
    QuantityRuleFactory(product=shop["knife"], max_quantity=10)
    PriceRuleFactory(name="Bulk 20+", product=shop["knife"], value=20, min_quantity=20)
    result = run(shop["knife"])
    assert any("Bulk 20+" in w and "at most 10" in w for w in result.warnings)


def test_quantity_rule_in_force_and_violations(shop):
    rule = QuantityRuleFactory(
        name="Wholesale packs",
        group=shop["wholesale"],
        product=shop["knife"],
        min_quantity=6,
        step=6,
    )
    result = run(shop["knife"], 7, group=shop["wholesale"])
    assert result.quantity_rule.id == rule.pk
    assert result.quantity_rule_record.name == "Wholesale packs"
    assert result.quantity_rule_sentence == "Wholesale · Chef knife (KNF-1) · min 6 · packs of 6"
    assert result.violations == ("Wholesale orders of Chef knife must be in packs of 6.",)
    assert run(shop["knife"], 12, group=shop["wholesale"]).violations == ()


def test_cart_discount_for_a_subtotal_and_why_others_do_not_apply(shop):
    small = CartDiscountFactory(name="5% from 500", value=5, min_subtotal=Decimal("500"))
    big = CartDiscountFactory(
        name="50 off from 1000", kind="amount", value=50, min_subtotal=Decimal("1000")
    )
    vip = CartDiscountFactory(name="VIP 20%", value=20, groups=[CustomerGroupFactory(name="VIP")])
    result = run(shop["knife"], group=shop["wholesale"], subtotal=Decimal("600.00"))
    assert result.discount.id == small.pk
    assert result.discount_amount == Decimal("30.00")
    assert result.subtotal_after_discount == Decimal("570.00")
    reasons = {row.discount.id: row for row in result.discounts}
    assert reasons[small.pk].is_best and reasons[small.pk].applies
    assert "needs a subtotal of" in reasons[big.pk].reason
    assert reasons[vip.pk].reason == "not for this group" and reasons[vip.pk].groups == "VIP"
    # Without a subtotal the line alone is the cart.
    alone = run(shop["knife"], group=shop["wholesale"])
    assert alone.subtotal == Decimal("40.00") and alone.subtotal_is_this_line
    assert alone.discount is None


def test_group_minimum_order_shortfall(shop):
    shop["wholesale"].min_order_subtotal = Decimal("250.00")
    shop["wholesale"].save()
    result = run(shop["knife"], 2, group=shop["wholesale"])
    assert result.min_order_shortfall == Decimal("170.00")


def test_customer_is_priced_in_their_own_group_with_their_negotiated_rules(shop):
    buyer = UserFactory(group=shop["wholesale"])
    PriceRuleFactory(group=shop["wholesale"], value=20)
    deal = PriceRuleFactory(
        name="Deal", customer=buyer, product=shop["knife"], kind="fixed_price", value=25
    )
    result = run(shop["knife"], customer=buyer)
    assert result.group == shop["wholesale"]
    assert result.winner.pk == deal.pk
    assert result.quote.unit_price == Decimal("25.00")


def test_the_date_decides_which_rules_are_in_their_window(shop):
    now = timezone.now()
    sale = PriceRuleFactory(name="Sale", value=50, starts_at=now + timedelta(days=1))
    today = run(shop["knife"], at=now)
    row = today.candidates[0]
    assert not row.in_window and row.wins_at_text == "not at this date"
    assert today.quote.unit_price == Decimal("40.00")
    assert not any("Sale" in w for w in today.warnings)
    tomorrow = run(shop["knife"], at=now + timedelta(days=2))
    assert tomorrow.winner.pk == sale.pk


def test_warns_when_buyers_cannot_see_the_product(shop):
    shop["knife"].is_active = False
    shop["knife"].save()
    assert any("inactive" in w for w in run(shop["knife"]).warnings)


# --- the admin page -------------------------------------------------------------------------


def test_manager_sees_the_winning_rule_explanation_and_tables(client, manager, shop):
    knives = PriceRuleFactory(
        name="Wholesale knives 30%", group=shop["wholesale"], category=shop["knives"], value=30
    )
    CartDiscountFactory(name="Big order", value=5, min_subtotal=Decimal("100"))
    response = client.get(
        URL, {"product": "knf-1", "group": shop["wholesale"].pk, "quantity": "3", "subtotal": "150"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/admin/pricing/pricerule/{knives.pk}/change/" in body
    assert f"Winner #{knives.pk}" in body
    assert "€28.00" in body and "€84.00" in body  # unit and total, net
    assert "€100.80" in body  # gross total
    assert "Big order" in body and "−€7.50" in body
    assert "<caption>" in body and 'scope="col"' in body
    assert "css/admin-pricing.css" in body
    assert "<style" not in body and "style=" not in body


def test_page_warns_about_an_inverted_ladder_and_a_never_winning_rule(
    client, manager, shop, settings
):
    settings.SHOP_PRICING_STRATEGY = "priority"
    PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("9.00"))
    PriceRuleFactory(
        product=shop["knife"], kind="fixed_price", value=Decimal("9.50"), min_quantity=12
    )
    PriceRuleFactory(name="Forever beaten", value=5)
    body = client.get(URL, {"product": "KNF-1", "quantity": "1"}).content.decode()
    assert "Buying more costs more per unit" in body
    assert "Forever beaten" in body and "can never win" in body


def test_without_a_question_the_page_shows_only_the_form(client, manager):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="product"' in body and 'name="quantity"' in body
    assert "errornote" not in body and "Candidate rules" not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"product": "NOPE-404", "quantity": "1"}, "No product has the SKU “NOPE-404”."),
        ({"product": "KNF-1", "quantity": "abc"}, "Enter a whole number."),
        ({"product": "KNF-1", "quantity": "1.5"}, "Enter a whole number."),
        ({"product": "KNF-1", "quantity": "0"}, "greater than or equal to 1"),
        ({"product": "KNF-1", "quantity": "-5"}, "greater than or equal to 1"),
        ({"product": "KNF-1", "quantity": str(10**20)}, "less than or equal to"),
        ({"product": "KNF-1", "quantity": "1", "at": "yesterday-ish"}, "Enter a valid date/time."),
        ({"product": "KNF-1", "quantity": "1", "at": "2025-13-45T99:99"}, "valid date/time"),
        ({"product": "KNF-1", "quantity": "1", "subtotal": "lots"}, "Enter a number."),
        ({"product": "KNF-1", "quantity": "1", "subtotal": "-1"}, "greater than or equal to 0"),
        ({"product": "KNF-1", "quantity": "1", "subtotal": "1" * 30}, "Ensure that there are"),
        ({"product": "KNF-1", "quantity": "1", "group": "999999"}, "Select a valid choice"),
        ({"product": "KNF-1", "quantity": "1", "group": "x"}, "Select a valid choice"),
        ({"product": "KNF-1", "quantity": "1", "customer": "nobody@example.com"}, "No customer"),
        ({"product": "KNF-1", "quantity": "1", "customer": "not-an-email"}, "valid email"),
        ({"product": "", "quantity": ""}, "This field is required."),
    ],
)
def test_bad_input_answers_with_form_errors_never_a_500(client, manager, shop, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "errornote" in body
    assert message in body
    assert "Candidate rules" not in body


def test_group_and_customer_together_are_refused(client, manager, shop):
    buyer = UserFactory(email="buyer@example.com")
    response = client.get(
        URL,
        {
            "product": "KNF-1",
            "quantity": "1",
            "group": shop["wholesale"].pk,
            "customer": buyer.email,
        },
    )
    assert "Choose a group or a customer, not both" in response.content.decode()


def test_customer_by_email_any_case(client, manager, shop):
    buyer = UserFactory(email="buyer@example.com", group=shop["wholesale"])
    PriceRuleFactory(
        name="Deal", customer=buyer, product=shop["knife"], kind="fixed_price", value=25
    )
    body = client.get(
        URL, {"product": "KNF-1", "quantity": "1", "customer": "Buyer@Example.com"}
    ).content.decode()
    assert "buyer@example.com, in Wholesale" in body and "€25.00" in body


def test_changelist_links_to_the_simulator(client, manager):
    body = client.get("/admin/pricing/pricerule/").content.decode()
    assert f'href="{URL}"' in body


def test_anonymous_and_non_staff_are_sent_to_the_admin_login(client, shop):
    response = client.get(URL, {"product": "KNF-1", "quantity": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_without_pricing_permissions_gets_403(client, shop):
    client.force_login(StaffUserFactory())
    assert client.get(URL, {"product": "KNF-1", "quantity": "1"}).status_code == 403


def test_view_permission_alone_is_enough(client, shop):
    user = StaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_pricerule"))
    client.force_login(user)
    assert client.get(URL, {"product": "KNF-1", "quantity": "1"}).status_code == 200


def test_bad_input_is_kept_beside_its_message(client, manager, shop):
    body = client.get(URL, {"product": "knf-9", "quantity": "abc"}).content.decode()
    assert 'value="knf-9"' in body and 'value="abc"' in body


def test_a_gross_price_buyer_reaches_a_threshold_with_the_gross_line(shop):
    """Retail sees 48.00 incl. VAT for the 40.00 knife: 5 % from 45.00 applies to that line, as
    in the cart, although its net is below the threshold."""
    CartDiscountFactory(name="5% from 45", value=5, min_subtotal=Decimal("45"))
    result = run(shop["knife"])
    assert result.group.prices_include_tax
    assert result.subtotal == Decimal("48.00") and result.subtotal_is_this_line
    assert result.discount is not None and result.discount_amount == Decimal("2.40")
    assert result.total_gross == Decimal("48.00")
