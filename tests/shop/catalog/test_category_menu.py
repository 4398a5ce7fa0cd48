"""The category menu: the categories in their position, then by name in the reader's
language (the English name where a translation is missing), hidden ones left out; kept per
catalogue version, so any change shows at once."""

import pytest
from django.utils import translation

from shop.catalog.selectors import category_tree
from shop.models import CatalogueVersion, Category
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


def kept_menu_names(group=None) -> list[str]:
    """The menu as a page reads it: kept per catalogue version."""
    tree = category_tree(group=group, version=CatalogueVersion.current())
    return [category.name for category in tree.roots]


def test_a_kept_menu_takes_every_category_change_at_once():
    trade = CustomerGroupFactory()
    kitchen = CategoryFactory(name_en="Kitchen", position=1)
    garden = CategoryFactory(name_en="Garden", position=2)
    with translation.override("en"):
        assert kept_menu_names() == kept_menu_names(trade) == ["Kitchen", "Garden"]
        Category.objects.filter(pk=kitchen.pk).update(name_en="Cookware")
        assert kept_menu_names() == ["Cookware", "Garden"]
        Category.objects.filter(pk=garden.pk).update(position=0)
        assert kept_menu_names() == ["Garden", "Cookware"]
        garden.visible_to.set([trade])
        assert kept_menu_names() == ["Cookware"]
        assert kept_menu_names(trade) == ["Garden", "Cookware"]
        garden.visible_to.clear()
        Category.objects.filter(pk=kitchen.pk).update(is_active=False)
        assert kept_menu_names() == kept_menu_names(trade) == ["Garden"]


def test_a_kept_menu_is_read_without_a_query_and_in_the_readers_language(
    django_assert_num_queries,
):
    CategoryFactory(name_en="Cutlery", name_fr="Couverts")
    version = CatalogueVersion.current()
    for language in ("en", "fr"):
        with translation.override(language):
            category_tree(group=None, version=version)
    with django_assert_num_queries(0):
        with translation.override("en"):
            assert [c.name for c in category_tree(group=None, version=version).roots] == ["Cutlery"]
        with translation.override("fr"):
            assert [c.name for c in category_tree(group=None, version=version).roots] == [
                "Couverts"
            ]


def test_a_page_shows_a_renamed_category_in_its_menu_at_once(client):
    kitchen = CategoryFactory(name_en="Kitchen")
    assert ">Kitchen</a>" in client.get("/cart/").content.decode()
    Category.objects.filter(pk=kitchen.pk).update(name_en="Cookware")
    page = client.get("/cart/").content.decode()
    assert ">Cookware</a>" in page and ">Kitchen</a>" not in page
