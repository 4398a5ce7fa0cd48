"""Managers negotiate prices with a company in the price rule admin."""

from decimal import Decimal

import pytest
from django.utils import timezone

from pricing.models import PriceRule
from pricing.simulator import simulate
from tests.factories import PriceRuleFactory, ProductFactory, UserFactory, WholesaleGroupFactory
from tests.pricing.companies_support import company_with, member_of
from tests.pricing.imports_support import as_csv, confirm, export, preview, rows_of
from tests.pricing.test_admin import PRICE_RULES, rule_form

pytestmark = pytest.mark.django_db


def test_manager_negotiates_a_price_with_a_company(client, manager):
    company = company_with(name="Bistro Lumière")
    product = ProductFactory(name="Copper pan")
    form = client.get(PRICE_RULES + "add/").content.decode()
    assert 'name="company"' in form
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "pricing", "model_name": "pricerule", "field_name": "company", "term": "lum"},
    ).json()["results"]
    assert [result["text"] for result in found] == ["Bistro Lumière"]
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


# --- the rule file ---------------------------------------------------------------------------


def test_a_rule_file_names_the_company_by_name_or_id(client, manager, rules_shop):
    bistro = company_with(name="Bistro Lumière")
    noir = company_with(name="Café Noir")
    rows = rows_of(export(client))
    rows[0]["company"] = "Bistro Lumière"
    rows[0]["customer_email"] = ""
    rows[2]["company"] = str(noir.pk)
    rows[2]["customer_email"] = ""
    response = preview(client, as_csv(rows))
    assert response.context["preview"].errors == []
    assert confirm(client, response).status_code == 302
    assert PriceRule.objects.get(pk=rows[0]["id"]).company == bistro
    assert PriceRule.objects.get(pk=rows[2]["id"]).company == noir
    exported = {row["id"]: row["company"] for row in rows_of(export(client))}
    assert exported[rows[0]["id"]] == "Bistro Lumière"
    assert exported[rows[2]["id"]] == "Café Noir"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Nobody SARL", "company: No company has the name or id “Nobody SARL”."),
        ("99999", "company: No company has the name or id “99999”."),
        ("Twins", "company: Several companies are named “Twins”: write the company's id."),
    ],
)
def test_an_unknown_or_ambiguous_company_is_an_error_on_its_row(
    client, manager, rules_shop, value, message
):
    company_with(name="Twins"), company_with(name="Twins")
    rows = rows_of(export(client))
    rows[1]["company"] = value
    response = preview(client, as_csv(rows))
    errors = response.context["preview"].errors
    assert [row.number for row in errors] == [3]
    assert message in " ".join(errors[0].errors)


def test_a_row_with_a_customer_and_a_company_is_refused(client, manager, rules_shop):
    company_with(name="Bistro Lumière")
    rows = rows_of(export(client))
    knife = next(i for i, row in enumerate(rows) if row["customer_email"])
    rows[knife]["company"] = "Bistro Lumière"
    response = preview(client, as_csv(rows))
    (error,) = response.context["preview"].errors
    assert "Choose a customer or a company, not both" in " ".join(error.errors)


# --- the simulator ---------------------------------------------------------------------------

SIMULATOR = "/admin/pricing/pricerule/simulator/"


@pytest.fixture
def bistro_pan():
    group = WholesaleGroupFactory()
    company = company_with(name="Bistro Lumière", group=group)
    pan = ProductFactory(sku="PAN-1", name="Copper pan", base_price=Decimal("80.00"))
    rule = PriceRuleFactory(
        name="Bistro pans", company=company, product=pan, kind="fixed_price", value="61.00"
    )
    return company, pan, rule


def test_simulating_a_member_uses_their_companys_rules(bistro_pan):
    company, pan, rule = bistro_pan
    member = member_of(company)
    simulation = simulate(product=pan, quantity=1, at=timezone.now(), customer=member)
    assert simulation.quote.rule.id == rule.pk
    assert simulation.company == company
    alone = simulate(product=pan, quantity=1, at=timezone.now(), customer=UserFactory())
    assert alone.quote.rule is None and alone.company is None


def test_manager_simulates_a_company(client, manager, bistro_pan):
    company, _pan, rule = bistro_pan
    response = client.get(SIMULATOR, {"product": "PAN-1", "company": company.pk, "quantity": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Winner #{rule.pk}" in body and "€61.00" in body
    assert "a member of Bistro Lumière, in" in body
    both = client.get(
        SIMULATOR, {"product": "PAN-1", "company": company.pk, "group": company.group.pk}
    )
    assert both.status_code == 200
    assert "Choose a company alone" in both.content.decode()
    unknown = client.get(SIMULATOR, {"product": "PAN-1", "company": "99999", "quantity": "1"})
    assert unknown.status_code == 200
    assert "Select a valid choice" in unknown.content.decode()
