"""A company's negotiated rules price every member of that company, through every public API,
and never anyone else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from pricing import carts, explain, services
from pricing.display import COMPANY, display_prices
from pricing.models import PriceRule, QuantityRule
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.pricing.companies_support import company_with, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def bistro():
    group = WholesaleGroupFactory()
    company = company_with(name="Bistro Lumière", group=group)
    product = ProductFactory(name="Copper pan", base_price=Decimal("80.00"), stock=100)
    PriceRule.objects.create(
        name="Bistro pans", company=company, product=product, kind="fixed_price", value="61.00"
    )
    PriceRule.objects.create(
        name="Bistro pans by ten",
        company=company,
        product=product,
        min_quantity=10,
        kind="fixed_price",
        value="55.00",
    )
    return company, product


def test_every_member_gets_the_companys_price_and_nobody_else(bistro):
    company, product = bistro
    first, second = member_of(company), member_of(company)
    other = company_with(name="Other SARL", group=company.group)
    PriceRule.objects.create(
        name="Other pans", company=other, product=product, kind="fixed_price", value="40.00"
    )
    outsider = member_of(other)
    same_group = UserFactory(group=company.group)
    for member in (first, second):
        result = services.quote(product, customer=member)
        assert result.unit_price == Decimal("61.00")
        assert result.rule.company_id == company.pk
    assert services.quote(product, customer=outsider).unit_price == Decimal("40.00")
    assert services.quote(product, customer=same_group).unit_price == Decimal("80.00")
    assert services.quote(product).unit_price == Decimal("80.00")
    assert services.quote(product, group=company.group).unit_price == Decimal("80.00")


def test_quote_many_tiers_quantities_and_cart_price_a_member_with_the_companys_rules(bistro):
    company, product = bistro
    member = member_of(company)
    QuantityRule.objects.create(name="boxes", product=product, step=2, min_quantity=2)
    assert services.quote_many([product], customer=member)[product.pk].unit_price == Decimal(
        "61.00"
    )
    assert services.tier_table(product, customer=member) == [
        (1, Decimal("61.00")),
        (10, Decimal("55.00")),
    ]
    assert services.tier_table(product) == [(1, Decimal("80.00"))]
    assert services.check_quantity(product, 3, customer=member) != []
    assert services.check_quantity(product, 10, customer=member) == []
    cart = carts.price_cart([(product, 10)], customer=member)
    assert cart.lines[0].quote.unit_price == Decimal("55.00")
    assert carts.price_cart([(product, 10)]).lines[0].quote.unit_price == Decimal("80.00")


def test_a_customers_own_rule_beats_the_companys_at_the_same_price(bistro, settings):
    company, product = bistro
    member = member_of(company)
    own = PriceRule.objects.create(
        name="Chef's own", customer=member, product=product, kind="fixed_price", value="61.00"
    )
    assert services.quote(product, customer=member).rule.id == own.pk
    settings.SHOP_PRICING_STRATEGY = "priority"
    own.value = Decimal("70.00")
    own.save()
    services.rules_changed()
    assert services.quote(product, customer=member).rule.id == own.pk  # customer > company


def test_the_storefront_names_the_companys_price(bistro):
    company, product = bistro
    price = display_prices([product], customer=member_of(company))[product.pk]
    assert price.kind == COMPANY
    assert price.label == "Your company's price"
    assert price.is_own_price


def test_a_rule_is_for_a_customer_or_a_company_never_both(bistro):
    company, product = bistro
    rule = PriceRule(
        name="Both",
        company=company,
        customer=member_of(company),
        product=product,
        kind="fixed_price",
        value="1.00",
    )
    with pytest.raises(ValidationError, match="Choose a customer or a company, not both"):
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()


def test_a_company_with_negotiated_prices_cannot_be_deleted_under_them(bistro):
    company, _product = bistro
    with pytest.raises(ProtectedError):
        company.delete()
    PriceRule.objects.filter(company=company).delete()
    company.delete()


def page_queries(client, url) -> int:
    client.get(url)  # warm per-process caches after the catalogue or rules changed
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


PAGES = ["/", "/c/pans/", "/search/?q=pan", "/p/copper-pan/", "/c/pans/?sort=price"]


@pytest.mark.usefixtures("rendered_pages")
def test_catalogue_queries_of_a_member_do_not_grow_with_products_companies_or_rules(client):
    group = WholesaleGroupFactory()
    pans = CategoryFactory(name="Pans", slug="pans")
    product = ProductFactory(name="Copper pan", slug="copper-pan", category=pans, is_featured=True)
    company = company_with(name="Bistro Lumière", group=group)
    PriceRule.objects.create(
        name="Bistro", company=company, product=product, kind="fixed_price", value="1.23"
    )
    member = member_of(company)
    non_member = UserFactory(group=group)

    def grow(count):
        ProductFactory.create_batch(count, category=pans, is_featured=True, name="Pan")
        for index in range(count):
            other = company_with(name=f"Company {count}-{index}", group=group)
            PriceRule.objects.create(
                name="x", company=other, category=pans, kind="percent_off", value="5"
            )
            PriceRule.objects.create(
                name="y", company=company, category=pans, kind="amount_off", value="0.01"
            )
        services.rules_changed()

    def counts(user):
        client.force_login(user)
        return {url: page_queries(client, url) for url in PAGES}

    grow(2)
    small = counts(member)
    small_non_member = counts(non_member)
    grow(30)
    large = counts(member)
    assert large == small, (small, large)
    assert counts(non_member) == small_non_member
    client.force_login(member)
    assert "1.23" in client.get("/p/copper-pan/").content.decode()
    # Until the company lookup rides on the group lookup, a member's page asks once more.
    assert all(small[url] - small_non_member[url] in (0, 1) for url in PAGES), (
        small,
        small_non_member,
    )


def test_the_explanation_names_the_company_as_the_buyer(bistro):
    company, product = bistro
    result = services.quote(product, customer=member_of(company))
    texts = [explain.reason_text(reason) for reason in result.reasons]
    assert any("the buyer's company" in text for text in texts), texts
