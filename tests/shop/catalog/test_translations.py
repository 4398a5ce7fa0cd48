"""Catalogue names and descriptions in English, French and Arabic: each reader sees their
language, and the English text where a translation is missing (pages, search, sorting, cart,
admin and the catalogue file)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from shop.models import Product
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    SavedListFactory,
    SavedListLineFactory,
    UserFactory,
)
from tests.shop.catalog.import_support import as_csv, confirm, export, preview, rows_of, totals
from tests.shop.conftest import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def knives():
    kitchen = CategoryFactory(
        name_en="Kitchen", name_fr="Cuisine", name_ar="المطبخ", slug="kitchen"
    )
    knives = CategoryFactory(
        name_en="Knives", name_fr="Couteaux", name_ar="السكاكين", slug="knives", parent=kitchen
    )
    return knives


@pytest.fixture
def chef_knife(knives):
    return ProductFactory(
        sku="KN-1",
        slug="chef-knife",
        category=knives,
        name_en="Chef's knife",
        name_fr="Couteau de chef",
        name_ar="سكين طهاة",
        description_en="Forged steel, full tang.",
        description_fr="Acier forgé, soie intégrale.",
        description_ar="فولاذ مطروق بمقبض كامل.",
    )


@pytest.fixture
def english_only(knives):
    return ProductFactory(
        sku="KN-2", slug="bread-knife", category=knives, name_en="Bread knife", name_fr=None
    )


def read_in(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client, url, language) -> str:
    return read_in(client, language).get(url).content.decode()


def test_a_missing_translation_falls_back_to_english(chef_knife, english_only):
    with translation.override("fr"):
        assert chef_knife.name == "Couteau de chef"
        assert english_only.name == "Bread knife"
        assert english_only.category.name == "Couteaux"
    with translation.override("ar"):
        assert chef_knife.description == "فولاذ مطروق بمقبض كامل."
    with translation.override("en"):
        assert chef_knife.name == "Chef's knife"
    # An empty translation (as the admin saves a cleared field) falls back as well.
    Product.objects.filter(pk=english_only.pk).update(name_fr="")
    with translation.override("fr"):
        assert Product.objects.get(pk=english_only.pk).name == "Bread knife"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_names_as_the_english_ones():
    """A shop that had names before the translations keeps them: they become the English."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("shop", "0026_quotes")], [("shop", "0027_catalogue_translations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    category = old.get_model("shop", "Category").objects.create(
        name="Kitchen", slug="old-kitchen", description="Pots and pans."
    )
    old.get_model("shop", "Product").objects.create(
        sku="OLD-1", name="Old pan", slug="old-pan", category_id=category.pk, base_price=5
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    with translation.override("fr"):
        product = Product.objects.select_related("category").get(sku="OLD-1")
        assert (product.name, product.category.name) == ("Old pan", "Kitchen")
    assert (product.name_en, product.name_fr, product.category.description_en) == (
        "Old pan",
        None,
        "Pots and pans.",
    )
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())  # as it was


@pytest.mark.parametrize(
    ("language", "names", "category"),
    [
        ("en", ["Bread knife", "Chef's knife"], "Knives"),
        ("fr", ["Bread knife", "Couteau de chef"], "Couteaux"),
        ("ar", ["Bread knife", "سكين طهاة"], "السكاكين"),
    ],
)
def test_the_category_page_and_menu_show_the_readers_language(
    client, chef_knife, english_only, language, names, category
):
    response = read_in(client, language).get(reverse("catalog:category", args=["knives"]))
    body = response.content.decode()
    shown = [row[0].name for row in response.context["rows"]]
    assert shown == names  # sorted by the names shown, the English fallback included
    assert category in body
    for name in names:
        assert escape(name) in body
    others = {"en": "Couteau de chef", "fr": "Chef's knife", "ar": "Couteau de chef"}
    assert others[language] not in body


def test_the_name_sort_follows_the_readers_language(client, knives):
    ProductFactory(category=knives, name_en="Apple corer", name_fr="Vide-pomme")
    ProductFactory(category=knives, name_en="Zester", name_fr="Zesteur")
    ProductFactory(category=knives, name_en="Mandoline", name_fr=None)
    url = reverse("catalog:category", args=["knives"])

    def names(language, sort):
        response = read_in(client, language).get(url, {"sort": sort})
        return [row[0].name for row in response.context["rows"]]

    assert names("fr", "name") == ["Mandoline", "Vide-pomme", "Zesteur"]
    assert names("fr", "-name") == ["Zesteur", "Vide-pomme", "Mandoline"]
    assert names("en", "name") == ["Apple corer", "Mandoline", "Zester"]


def test_the_product_page_shows_the_readers_language(client, chef_knife):
    url = chef_knife.get_absolute_url()
    french = page(client, url, "fr")
    assert "Couteau de chef" in french and "Acier forgé, soie intégrale." in french
    assert "Forged steel" not in french
    arabic = page(client, url, "ar")
    assert "سكين طهاة" in arabic and "فولاذ مطروق بمقبض كامل." in arabic
    english = page(client, url, "en")
    assert "Chef&#x27;s knife" in english and "Acier forgé" not in english


def test_the_cart_shows_the_readers_language(client, chef_knife):
    add(client, chef_knife, 1)
    assert "Couteau de chef" in page(client, "/cart/", "fr")
    assert "سكين طهاة" in page(client, "/cart/", "ar")


def test_a_saved_list_shows_the_readers_language(client, chef_knife):
    buyer = UserFactory()
    client.force_login(buyer)
    saved_list = SavedListFactory(owner=buyer)
    SavedListLineFactory(saved_list=saved_list, product=chef_knife)
    url = f"/accounts/lists/{saved_list.pk}/"
    assert "Couteau de chef" in page(client, url, "fr")
    assert "سكين طهاة" in page(client, url, "ar")


def found(client, query, language) -> set[str]:
    response = read_in(client, language).get("/search/", {"q": query})
    return {row[0].sku for row in response.context["rows"]}


def test_search_finds_the_words_of_the_readers_language(client, chef_knife, english_only):
    assert found(client, "couteau", "fr") == {"KN-1"}
    assert found(client, "couteau", "en") == set()
    assert found(client, "سكين", "ar") == {"KN-1"}
    assert found(client, "سكين", "en") == set()
    assert found(client, "forged", "en") == {"KN-1"}
    assert found(client, "forged", "fr") == set()  # the French reader sees "Acier forgé"
    # An untranslated product is found by the English text the reader sees.
    assert found(client, "bread", "fr") == {"KN-2"}
    assert found(client, "bread", "ar") == {"KN-2"}
    assert found(client, "couteau -chef", "fr") == set()
    assert found(client, "KN-2", "fr") == {"KN-2"}


@pytest.mark.postgresql
def test_full_text_search_stems_with_the_readers_language(client, chef_knife):
    """Each language's document is parsed with its own configuration: French and English
    inflections, Arabic articles and prefixes reduce to the words of the product."""
    assert found(client, "couteaux", "fr") == {"KN-1"}
    assert found(client, "forgés", "fr") == {"KN-1"}
    assert found(client, "forging steels", "en") == {"KN-1"}
    assert found(client, "steels", "fr") == set()
    assert found(client, "الطهاة", "ar") == {"KN-1"}  # "the chefs": the article is stemmed off
    assert found(client, "بسكين", "ar") == {"KN-1"}  # "with a knife"
    assert found(client, "بسكين", "en") == set()


@pytest.mark.postgresql
def test_every_language_has_its_search_document_and_configuration():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'shop_product' AND column_name LIKE 'search_document%%'"
        )
        columns = {row[0] for row in cursor.fetchall()}
    assert columns == {"search_document_en", "search_document_fr", "search_document_ar"}


def test_the_admin_edits_the_three_names(client, manager, chef_knife):
    url = f"/admin/shop/product/{chef_knife.pk}/change/"
    body = client.get(url).content.decode()
    for field in ("name_en", "name_fr", "name_ar", "description_en", "description_fr"):
        assert f'name="{field}"' in body
    assert 'name="name"' not in body
    assert "ajax.googleapis.com" not in body  # no CDN script: the CSP forbids it
    category = client.get(f"/admin/shop/category/{chef_knife.category_id}/change/")
    assert 'name="name_ar"' in category.content.decode()


def test_the_admin_search_finds_a_name_in_any_language(client, manager, chef_knife):
    response = client.get("/admin/shop/product/", {"q": "سكين"})
    assert [product.sku for product in response.context["cl"].result_list] == ["KN-1"]


def test_the_catalogue_file_imports_and_exports_every_language(client, manager, knives):
    row = {
        "sku": "KN-9",
        "name": "Oyster knife",
        "name_fr": "Couteau à huîtres",
        "name_ar": "",
        "slug": "",
        "description": "Short and sturdy.",
        "description_fr": "Court et robuste.",
        "description_ar": "قصير ومتين.",
        "category": "Kitchen > Knives",
        "base_price": "12.00",
    }
    response = preview(client, as_csv([row]))
    assert totals(response) == {"new": 1, "changed": 0, "unchanged": 0}
    # The English columns stay English whatever the manager's language.
    read_in(client, "fr")
    confirm(client, response)
    product = Product.objects.get(sku="KN-9")
    assert (product.name_en, product.name_fr, product.name_ar) == (
        "Oyster knife",
        "Couteau à huîtres",
        None,
    )
    assert (product.description_fr, product.description_ar) == ("Court et robuste.", "قصير ومتين.")
    assert product.slug == "oyster-knife"
    exported = next(r for r in rows_of(export(client)) if r["sku"] == "KN-9")
    assert (exported["name"], exported["name_fr"], exported["name_ar"]) == (
        "Oyster knife",
        "Couteau à huîtres",
        "",
    )
    # Exported, then imported again: nothing changed.
    assert totals(preview(client, as_csv(rows_of(export(client))))) == {
        "new": 0,
        "changed": 0,
        "unchanged": 1,
    }
