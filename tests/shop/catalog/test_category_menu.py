"""The category menu: the categories in their position, then by name in the reader's
language (the English name where a translation is missing), hidden ones left out."""

import pytest
from django.utils import translation

from shop.catalog.selectors import category_tree
from tests.factories import CategoryFactory, CustomerGroupFactory

pytestmark = pytest.mark.django_db


def menu_names(group=None) -> list[str]:
    return [category.name for category in category_tree(group=group).roots]


def test_the_menu_is_sorted_by_position_then_by_the_readers_names():
    CategoryFactory(name_en="Bakeware", name_fr="Pâtisserie", position=1)
    CategoryFactory(name_en="Cutlery", name_fr="Couverts", position=1)
    CategoryFactory(name_en="Aprons", name_fr=None, position=1)
    CategoryFactory(name_en="Zesters", name_fr="Zesteurs", position=0)
    with translation.override("en"):
        assert menu_names() == ["Zesters", "Aprons", "Bakeware", "Cutlery"]
    with translation.override("fr"):
        assert menu_names() == ["Zesteurs", "Aprons", "Couverts", "Pâtisserie"]


def test_the_menu_leaves_out_inactive_categories_and_those_of_other_groups():
    trade = CustomerGroupFactory()
    CategoryFactory(name_en="Open")
    CategoryFactory(name_en="Closed", is_active=False)
    CategoryFactory(name_en="Trade only").visible_to.set([trade])
    with translation.override("en"):
        assert menu_names() == ["Open"]
        assert menu_names(trade) == ["Open", "Trade only"]
