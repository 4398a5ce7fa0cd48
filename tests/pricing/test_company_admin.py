"""Managers negotiate prices with a company in the price rule admin."""

from decimal import Decimal

import pytest

from pricing.models import PriceRule
from tests.factories import PriceRuleFactory, ProductFactory, UserFactory
from tests.pricing.companies_support import company_with
from tests.pricing.test_admin import PRICE_RULES, rule_form

pytestmark = pytest.mark.django_db


def test_manager_negotiates_a_price_with_a_company(client, manager):
    company = company_with(name="Bistro Lumière")
    product = ProductFactory(name="Copper pan")
    form = client.get(PRICE_RULES + "add/").content.decode()
    assert 'name="company"' in form and "Bistro Lumière" in form
    response = client.post(
        PRICE_RULES + "add/",
        rule_form(name="Bistro pans", company=company.pk, product=product.pk, kind="fixed_price"),
    )
    assert response.status_code == 302, response.content.decode()
    rule = PriceRule.objects.get(name="Bistro pans")
    assert rule.company == company and rule.value == Decimal("15")
    body = client.get(PRICE_RULES).content.decode()
    assert "Bistro Lumière (company)" in body


def test_a_rule_for_a_customer_and_a_company_is_refused_with_a_message(client, manager):
    company = company_with(name="Bistro Lumière")
    response = client.post(
        PRICE_RULES + "add/",
        rule_form(company=company.pk, customer=UserFactory().pk),
    )
    assert response.status_code == 200
    assert "Choose a customer or a company, not both" in response.content.decode()
    assert not PriceRule.objects.exists()


def test_changelist_filters_and_searches_company_rules(client, manager):
    bistro, other = company_with(name="Bistro Lumière"), company_with(name="Café Noir")
    PriceRuleFactory(name="Bistro deal", company=bistro)
    PriceRuleFactory(name="Noir deal", company=other)
    PriceRuleFactory(name="Chef deal", customer=UserFactory())
    PriceRuleFactory(name="Public sale")

    def names(query):
        body = client.get(PRICE_RULES + query).content.decode()
        found = ("Bistro deal", "Noir deal", "Chef deal", "Public sale")
        return {n for n in found if f">{n}<" in body}

    assert names("?who=company") == {"Bistro deal", "Noir deal"}
    assert names("?who=customer") == {"Chef deal"}
    assert names("?who=everyone") == {"Public sale"}
    assert names(f"?company__id__exact={bistro.pk}") == {"Bistro deal"}
    assert names("?q=noir") == {"Noir deal"}
