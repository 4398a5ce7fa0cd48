"""What the storefront says about a price: whose price it is and what the buyer saves, in
their terms, never a rule's internal name."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from pricing import engine
from pricing.display import MEMBER, SALE, SPECIAL, TRADE, DisplayPrice, price_kind
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)


def price(amount, base, kind=SALE, includes_tax=True) -> DisplayPrice:
    return DisplayPrice(Decimal(amount), Decimal(base), includes_tax=includes_tax, kind=kind)


@pytest.mark.parametrize(
    ("amount", "base", "percent"),
    [
        ("8.50", "10.00", 15),
        ("0.88", "1.03", 15),  # 14.56 % rounds half up
        ("50.08", "56.53", 11),
        ("99.60", "100.00", None),  # 0.4 % is no sale to boast of
        ("0.01", "10.00", 99),  # never "-100 %" for what is not free
        ("0.00", "10.00", 100),
        ("10.00", "10.00", None),
        ("12.00", "10.00", None),
    ],
)
def test_percent_off_is_rounded_sensibly(amount, base, percent):
    assert price(amount, base).percent_off == percent


def test_a_public_sale_says_sale_with_its_percentage_and_the_saving():
    sale = price("10.20", "12.00")
    assert sale.label == "Sale −15 %"
    assert sale.badge == "Sale −15 %"
    assert sale.saving == Decimal("1.80")


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (SPECIAL, "Your special price"),
        (TRADE, "Your trade price"),
        (MEMBER, "Your member price"),
    ],
)
def test_own_prices_say_whose_they_are_and_the_badge_gives_the_percentage(kind, label):
    own = price("80.00", "100.00", kind=kind)
    assert own.label == label
    assert own.badge == "−20 %"


def test_an_unreduced_price_has_no_badge_nor_saving():
    plain = price("10.00", "10.00", kind="")
    assert (plain.label, plain.badge, plain.saving, plain.percent_off) == ("", "", None, None)


def rule(**who) -> engine.PriceRuleData:
    return engine.PriceRuleData(id=1, name="Internal", kind="percent_off", value=Decimal(5), **who)


@pytest.mark.parametrize(
    ("who", "group", "kind"),
    [
        ({"customer_id": 7}, {"is_default": False, "portal_access": True}, SPECIAL),
        ({"group_id": 2}, {"is_default": False, "portal_access": True}, TRADE),
        ({"group_id": 3}, {"is_default": False, "portal_access": False}, MEMBER),
        ({"group_id": 1}, {"is_default": True, "portal_access": False}, SALE),  # guests too
        ({}, {"is_default": False, "portal_access": True}, SALE),
    ],
)
def test_the_kind_comes_from_the_winning_rule(who, group, kind):
    assert price_kind(rule(**who), SimpleNamespace(**group)) == kind
    assert price_kind(None, SimpleNamespace(**group)) == ""


SECRET = "INTERNAL-RULE-NAME"


@pytest.fixture
def named_rules():
    """Every kind of rule, each with an internal name its buyers must never read."""
    TaxRateFactory()
    category = CategoryFactory(name="Kitchen", slug="kitchen")
    wholesale, vip = WholesaleGroupFactory(), CustomerGroupFactory(name="VIP", slug="vip")
    products = {
        key: ProductFactory(
            name=f"Kettle {key}", slug=f"kettle-{key}", category=category, is_featured=True
        )
        for key in ["public", "trade", "member", "special"]
    }
    buyers = {
        "guest": None,
        "retail": UserFactory(group=default_group()),
        "trade": UserFactory(group=wholesale),
        "member": UserFactory(group=vip),
        "special": UserFactory(group=wholesale),
    }
    PriceRuleFactory(name=f"{SECRET} public", product=products["public"], value=Decimal(15))
    PriceRuleFactory(name=f"{SECRET} trade", group=wholesale, product=products["trade"])
    PriceRuleFactory(name=f"{SECRET} member", group=vip, product=products["member"])
    PriceRuleFactory(
        name=f"{SECRET} special", customer=buyers["special"], product=products["special"]
    )
    return products, buyers


STOREFRONT = ["/", "/c/kitchen/", "/c/kitchen/?sort=price", "/search/?q=kettle"]
STOREFRONT += [f"/p/kettle-{key}/" for key in ["public", "trade", "member", "special"]]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["guest", "retail", "trade", "member", "special"])
def test_no_storefront_page_shows_a_rules_internal_name(client, named_rules, persona):
    products, buyers = named_rules
    if buyers[persona] is not None:
        client.force_login(buyers[persona])
    for key in ["public", "trade"]:
        client.post("/cart/add/", {"product": products[key].pk, "quantity": 1})
    portal = ["/portal/quick-order/"] if persona in ("trade", "special") else []
    for url in [*STOREFRONT, "/cart/", *portal]:
        body = client.get(url).content.decode()
        assert SECRET not in body, url


@pytest.mark.django_db
def test_the_product_page_says_what_each_buyer_gets(client, named_rules):
    _products, buyers = named_rules
    body = client.get("/p/kettle-public/").content.decode()
    # 10.00 net, 15 % off, seen gross at 20 %: 12.00 -> 10.20.
    assert '<p class="sale-badge">Sale −15 %</p>' in body
    assert "You save €1.80" in body

    client.force_login(buyers["trade"])
    body = client.get("/p/kettle-trade/").content.decode()
    assert "Your trade price" in body and "−10 %" in body
    assert "You save €1.00" in body and "excl. VAT" in body  # net terms

    client.force_login(buyers["special"])
    assert "Your special price" in client.get("/p/kettle-special/").content.decode()
    client.force_login(buyers["member"])
    body = client.get("/c/kitchen/").content.decode()
    assert "Your member price" in body and "You save €1.20" in body  # gross terms


@pytest.mark.django_db
def test_cached_cards_never_carry_one_buyers_label_to_another(client, named_rules):
    _products, buyers = named_rules
    client.force_login(buyers["special"])
    assert "Your special price" in client.get("/c/kitchen/").content.decode()
    client.force_login(buyers["trade"])
    body = client.get("/c/kitchen/").content.decode()
    assert "Your special price" not in body and "Your trade price" in body
    client.logout()
    body = client.get("/c/kitchen/").content.decode()
    assert "Your " not in body.split("<main", 1)[1].split("</main>", 1)[0]
