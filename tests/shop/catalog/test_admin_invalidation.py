"""Categories are compiled with the pricing rules (a category rule applies to everything below
it): every admin write of a category reaches a process that compiled them earlier."""

from decimal import Decimal

import pytest

from pricing import services
from shop.catalog.models import Category
from tests.factories import CategoryFactory, PriceRuleFactory, ProductFactory
from tests.processes import ServingProcess, new_process

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/shop/category/"


@pytest.fixture
def knives():
    """A product in Kitchen › Knives, and a Garden category with 50 % off everything in it."""
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    garden = CategoryFactory(name="Garden", slug="garden")
    PriceRuleFactory(category=garden, kind="percent_off", value=Decimal("50"), name="Garden sale")
    product = ProductFactory(category=knives, base_price=Decimal("40.00"))
    return kitchen, knives, garden, product


def price_of(product):
    return lambda: services.quote(product).unit_price


def seen(process, product, expected):
    assert new_process(price_of(product)) == expected
    assert process.next_request(price_of(product)) == expected


def category_form(category, **changes) -> dict:
    data = {
        "name_en": category.name,
        "slug": category.slug,
        "parent": category.parent_id or "",
        "description_en": category.description,
        "position": category.position,
        "is_active": "on" if category.is_active else "",
    }
    return {**data, **changes}


def test_moving_a_category_changes_which_rules_apply_in_every_process(client, manager, knives):
    _kitchen, knives_category, garden, product = knives
    process = ServingProcess()
    assert process.next_request(price_of(product)) == Decimal("40.00")
    response = client.post(
        f"{CHANGELIST}{knives_category.pk}/change/",
        category_form(knives_category, parent=garden.pk),
    )
    assert response.status_code == 302, response.content.decode()
    seen(process, product, Decimal("20.00"))


def known_categories():
    return set(services.pricing_data().category_parents)


def test_adding_a_category_reaches_every_process(client, manager, knives):
    process = ServingProcess()
    response = client.post(
        f"{CHANGELIST}add/",
        {"name_en": "Tools", "slug": "tools", "position": "0", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    tools = Category.objects.get(slug="tools")
    assert tools.pk in process.next_request(known_categories)


def test_deleting_a_category_reaches_every_process(client, manager, knives):
    old = CategoryFactory(name="Old", slug="old")
    process = ServingProcess()
    assert old.pk in process.next_request(known_categories)
    response = client.post(f"{CHANGELIST}{old.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()
    assert old.pk not in new_process(known_categories)
    assert old.pk not in process.next_request(known_categories)


def test_bulk_deleting_categories_reaches_every_process(client, manager, knives):
    old = [CategoryFactory(name=f"Old {n}", slug=f"old-{n}") for n in range(2)]
    process = ServingProcess()
    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [c.pk for c in old], "post": "yes"},
    )
    assert response.status_code == 302, response.content.decode()
    assert not {c.pk for c in old} & process.next_request(known_categories)


def test_reordering_categories_in_the_list_reaches_every_process(client, manager, knives):
    kitchen, _knives, _garden, _product = knives
    process = ServingProcess()
    before = process.compiled.version
    response = client.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(kitchen.pk),
            "form-0-position": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert process.next_request(lambda: services.pricing_data().version) != before
