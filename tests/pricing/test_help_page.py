"""The admin help page "How prices are chosen": the configured strategy in words, with a worked
example priced live by the engine."""

import pytest

from pricing import precedence

pytestmark = pytest.mark.django_db

PAGE = "/admin/pricing/pricerule/how-prices-are-chosen/"


def test_the_page_explains_the_lowest_price_strategy_with_a_live_example(client, manager, settings):
    settings.SHOP_PRICING_STRATEGY = "lowest"
    response = client.get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This shop’s strategy: lowest price" in body
    assert body.index("The lowest unit price") < body.index("The higher priority")
    assert "never pays more per unit than a guest" in body
    assert "Winner #1 “Pens from 100”" in body
    assert "The VIP member pays €1.20 per pen, €120.00 in all." in body


def test_the_page_explains_the_priority_strategy_with_the_same_example(client, manager, settings):
    settings.SHOP_PRICING_STRATEGY = "priority"
    body = client.get(PAGE).content.decode()
    assert "This shop’s strategy: priority" in body
    assert body.index("The higher priority") < body.index("The lower unit price")
    assert "Winner #3 “Office sale 15 %”" in body
    assert "1.70" in body


@pytest.mark.parametrize("strategy", ["lowest", "priority"])
def test_the_example_is_priced_by_the_engine(strategy):
    example = precedence.worked_example(strategy)
    expected = {"lowest": (1, "1.20"), "priority": (3, "1.70")}[strategy]
    assert (example.quote.rule.id, str(example.quote.unit_price)) == expected
    assert example.explanation[0].startswith("Strategy")


def test_the_page_is_linked_from_the_rule_form_and_the_simulator(client, manager):
    assert PAGE in client.get("/admin/pricing/pricerule/add/").content.decode()
    assert PAGE in client.get("/admin/pricing/pricerule/simulator/").content.decode()
