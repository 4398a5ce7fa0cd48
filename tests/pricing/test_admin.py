"""The pricing admin as the demo shop manager uses it: staff in "Shop managers", no superuser."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pricing.models import CartDiscount, PriceRule, QuantityRule
from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

PRICE_RULES = "/admin/pricing/pricerule/"
QUANTITY_RULES = "/admin/pricing/quantityrule/"
CART_DISCOUNTS = "/admin/pricing/cartdiscount/"


@pytest.fixture
def shop():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    office = CategoryFactory(name="Office", slug="office")
    knife = ProductFactory(
        sku="KNF-1", name="Chef knife", slug="chef-knife", category=knives, base_price=10
    )
    stapler = ProductFactory(sku="OFF-7", name="Stapler", category=office, base_price=5)
    return {
        "kitchen": kitchen,
        "knives": knives,
        "office": office,
        "knife": knife,
        "stapler": stapler,
        "wholesale": WholesaleGroupFactory(),
    }


def rule_form(**overrides) -> dict:
    """The POST body of the price rule add / change form."""
    data = {
        "name": "Wholesale kitchen",
        "is_active": "on",
        "group": "",
        "customer": "",
        "product": "",
        "category": "",
        "min_quantity": "1",
        "kind": "percent_off",
        "value": "15",
        "priority": "0",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def quantity_form(**overrides) -> dict:
    data = {
        "name": "Packs",
        "is_active": "on",
        "group": "",
        "customer": "",
        "product": "",
        "category": "",
        "min_quantity": "1",
        "max_quantity": "",
        "step": "1",
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def rows(body: str) -> int:
    return body.count('class="action-checkbox"')


# --- listing ---------------------------------------------------------------------------------


def test_changelist_reads_like_a_sentence(client, manager, shop):
    PriceRuleFactory(
        name="Wholesale kitchen",
        group=shop["wholesale"],
        category=shop["kitchen"],
        min_quantity=12,
        value=15,
    )
    buyer = UserFactory(email="chef@example.com")
    PriceRuleFactory(
        name="Chef deal", customer=buyer, product=shop["knife"], kind="fixed_price", value=8.4
    )
    PriceRuleFactory(name="Sale", kind="amount_off", value=2)
    response = client.get(PRICE_RULES)
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Wholesale", "Kitchen (and below)", "from 12", "15% off"):
        assert f">{text}<" in body
    for text in ("chef@example.com", "Chef knife (KNF-1)", "€8.40 each"):
        assert f">{text}<" in body
    for text in ("Everyone", "Whole catalogue", "€2.00 off", "Current"):
        assert f">{text}<" in body


def test_changelist_filters(client, manager, shop):
    now = timezone.now()
    PriceRuleFactory(name="Running", group=shop["wholesale"])
    PriceRuleFactory(name="Later", starts_at=now + timedelta(days=3), kind="amount_off")
    PriceRuleFactory(name="Over", ends_at=now - timedelta(days=1))
    PriceRuleFactory(name="Switched off", is_active=False)

    def names(query):
        body = client.get(PRICE_RULES + query).content.decode()
        return {n for n in ("Running", "Later", "Over", "Switched off") if f">{n}<" in body}

    assert names("?status=current") == {"Running"}
    assert names("?status=scheduled") == {"Later"}
    assert names("?status=expired") == {"Over"}
    assert names("?status=inactive") == {"Switched off"}
    assert names(f"?group__id__exact={shop['wholesale'].pk}") == {"Running"}
    assert names("?kind__exact=amount_off") == {"Later"}
    assert names("?is_active__exact=0") == {"Switched off"}
    assert names("?who=group") == {"Running"}
    assert names("?status=bogus") == {"Running", "Later", "Over", "Switched off"}
    body = client.get(PRICE_RULES).content.decode()
    assert ">Scheduled: from " in body and ">Expired: ended " in body and ">Inactive<" in body


def test_changelist_search(client, manager, shop):
    buyer = UserFactory(email="chef@example.com")
    PriceRuleFactory(name="Knife deal", product=shop["knife"])
    PriceRuleFactory(name="Office week", category=shop["office"])
    PriceRuleFactory(name="Negotiated", customer=buyer)

    def found(term):
        body = client.get(PRICE_RULES, {"q": term}).content.decode()
        return {n for n in ("Knife deal", "Office week", "Negotiated") if f">{n}<" in body}

    assert found("knf-1") == {"Knife deal"}
    assert found("chef knife") == {"Knife deal"}
    assert found("office") == {"Office week"}
    assert found("chef@example") == {"Negotiated"}
    assert found("negotiated") == {"Negotiated"}


def test_changelist_queries_do_not_grow_with_the_number_of_rules(
    client, manager, shop, django_assert_max_num_queries
):
    def make(count):
        for i in range(count):
            buyer = UserFactory() if i % 4 == 0 else None
            PriceRuleFactory(
                group=shop["wholesale"] if i % 4 == 1 else None,
                customer=buyer,
                product=shop["knife"] if i % 2 else None,
                category=None if i % 2 else shop["kitchen"],
                starts_at=timezone.now() - timedelta(days=1) if i % 3 else None,
            )

    make(5)
    with CaptureQueriesContext(connection) as few:
        assert rows(client.get(PRICE_RULES).content.decode()) == 5
    make(45)
    with django_assert_max_num_queries(len(few)):
        assert rows(client.get(PRICE_RULES).content.decode()) == 50


@pytest.mark.parametrize("url", [QUANTITY_RULES, CART_DISCOUNTS])
def test_other_changelists_queries_do_not_grow(client, manager, shop, url):
    vip = CustomerGroupFactory(name="VIP")

    def make(count):
        for i in range(count):
            QuantityRuleFactory(group=shop["wholesale"], product=shop["knife"] if i % 2 else None)
            CartDiscountFactory(groups=[shop["wholesale"], vip] if i % 2 else [])

    make(5)
    with CaptureQueriesContext(connection) as few:
        assert rows(client.get(url).content.decode()) == 5
    make(45)
    with CaptureQueriesContext(connection) as many:
        assert rows(client.get(url).content.decode()) == 50
    assert len(many) == len(few)


def test_quantity_rules_and_cart_discounts_read_like_sentences(client, manager, shop):
    QuantityRuleFactory(
        group=shop["wholesale"], product=shop["knife"], min_quantity=6, max_quantity=60, step=6
    )
    CartDiscountFactory(
        name="Big orders",
        kind="amount",
        value=25,
        min_subtotal=500,
        groups=[shop["wholesale"]],
    )
    body = client.get(QUANTITY_RULES).content.decode()
    assert ">min 6 · max 60 · packs of 6<" in body and ">Chef knife (KNF-1)<" in body
    body = client.get(CART_DISCOUNTS).content.decode()
    for text in ("Wholesale", "from €500.00", "€25.00 off the subtotal", "Current"):
        assert f">{text}<" in body


# --- create and edit -------------------------------------------------------------------------


def test_manager_creates_and_edits_a_price_rule(client, manager, shop):
    response = client.post(
        PRICE_RULES + "add/",
        rule_form(group=shop["wholesale"].pk, category=shop["kitchen"].pk, min_quantity=12),
    )
    assert response.status_code == 302, response.content.decode()
    rule = PriceRule.objects.get(name="Wholesale kitchen")
    assert (rule.group, rule.category, rule.min_quantity, rule.value) == (
        shop["wholesale"],
        shop["kitchen"],
        12,
        Decimal("15.00"),
    )

    response = client.post(
        f"{PRICE_RULES}{rule.pk}/change/",
        rule_form(
            name="Wholesale kitchen",
            group=shop["wholesale"].pk,
            category=shop["kitchen"].pk,
            min_quantity=24,
            value=20,
            ends_at_0="2031-01-01",
            ends_at_1="00:00:00",
        ),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_quantity == 24 and rule.value == Decimal("20.00")
    assert rule.ends_at is not None


def test_negotiated_rule_for_a_customer(client, manager, shop):
    buyer = UserFactory(email="chef@example.com")
    response = client.post(
        PRICE_RULES + "add/",
        rule_form(
            name="Chef deal", customer=buyer.pk, product=shop["knife"].pk, kind="fixed_price"
        ),
    )
    assert response.status_code == 302
    assert PriceRule.objects.get(name="Chef deal").customer == buyer


@pytest.mark.parametrize("rules", [PRICE_RULES, QUANTITY_RULES])
def test_add_form_uses_autocomplete_for_groups_companies_products_categories_and_customers(
    client, manager, rules
):
    body = client.get(rules + "add/").content.decode()
    assert body.count('class="admin-autocomplete') == 5
    assert 'data-ajax--url="/admin/autocomplete/"' in body
    assert 'data-ajax--url="/admin/pricing/pricerule/customers/"' in body


def test_manager_can_use_the_autocompletes(client, manager, shop):
    def search(field, term):
        response = client.get(
            "/admin/autocomplete/",
            {"app_label": "pricing", "model_name": "pricerule", "field_name": field, "term": term},
        )
        assert response.status_code == 200
        return [result["text"] for result in response.json()["results"]]

    assert search("product", "knf") == ["Chef knife (KNF-1)"]
    assert search("category", "kni") == ["Knives"]
    assert search("group", "whole") == ["Wholesale"]

    UserFactory(email="chef@example.com", full_name="Anna Chef")
    UserFactory(email="other@example.com", full_name="Bob")
    response = client.get("/admin/pricing/pricerule/customers/", {"term": "chef"})
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "chef@example.com (Anna Chef)"
    assert len(response.json()["results"]) == 1


def test_customer_lookup_needs_rule_permissions(client, shop):
    client.force_login(StaffUserFactory())
    assert client.get("/admin/pricing/pricerule/customers/", {"term": "a"}).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "percent_off", "value": "150"}, "A percentage cannot be more than 100."),
        (
            {"ends_at_0": "2030-01-01", "ends_at_1": "10:00", "starts_at_0": "2030-02-01"}
            | {"starts_at_1": "10:00"},
            "The end must come after the start.",
        ),
        ({"value": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"min_quantity": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_price_rule_form_shows_the_model_messages(client, manager, overrides, message):
    response = client.post(PRICE_RULES + "add/", rule_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PriceRule.objects.exists()


def test_product_and_category_both_is_refused(client, manager, shop):
    response = client.post(
        PRICE_RULES + "add/", rule_form(product=shop["knife"].pk, category=shop["knives"].pk)
    )
    assert response.status_code == 200
    assert "Choose a product or a category, not both" in response.content.decode()
    assert not PriceRule.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"min_quantity": "4", "step": "6"},
            "The minimum must be a multiple of the pack size (6).",
        ),
        (
            {"min_quantity": "6", "max_quantity": "20", "step": "6"},
            "The maximum must be a multiple of the pack size (6).",
        ),
        ({"min_quantity": "10", "max_quantity": "5"}, "The maximum cannot be below the minimum."),
        ({"step": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_quantity_rule_form_shows_the_model_messages(client, manager, overrides, message):
    response = client.post(QUANTITY_RULES + "add/", quantity_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not QuantityRule.objects.exists()


def test_quantity_rule_product_and_category_both_is_refused(client, manager, shop):
    response = client.post(
        QUANTITY_RULES + "add/",
        quantity_form(product=shop["knife"].pk, category=shop["knives"].pk),
    )
    assert "Choose a product or a category, not both" in response.content.decode()


def test_manager_creates_a_cart_discount_for_groups(client, manager, shop):
    vip = CustomerGroupFactory(name="VIP")
    response = client.post(
        CART_DISCOUNTS + "add/",
        {
            "name": "Big orders",
            "is_active": "on",
            "groups": [shop["wholesale"].pk, vip.pk],
            "min_subtotal": "500",
            "kind": "percent",
            "value": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()
    discount = CartDiscount.objects.get(name="Big orders")
    assert set(discount.groups.all()) == {shop["wholesale"], vip}

    response = client.post(
        CART_DISCOUNTS + "add/",
        {"name": "Too much", "min_subtotal": "0", "kind": "percent", "value": "101"},
    )
    assert "A percentage cannot be more than 100." in response.content.decode()


def test_cart_discount_group_change_reaches_the_rules_at_once(client, manager, shop):
    from pricing import services

    discount = CartDiscountFactory(name="Members", value=10)
    assert services.pricing_data().rules.cart_discounts[0].group_ids == frozenset()
    response = client.post(
        f"{CART_DISCOUNTS}{discount.pk}/change/",
        {
            "name": "Members",
            "is_active": "on",
            "groups": [shop["wholesale"].pk],
            "min_subtotal": "0",
            "kind": "percent",
            "value": "10",
        },
    )
    assert response.status_code == 302
    services.request_snapshot.set(None)
    assert services.pricing_data().rules.cart_discounts[0].group_ids == {shop["wholesale"].pk}


def test_pricing_version_is_not_in_the_admin(client, manager):
    assert client.get("/admin/pricing/pricingversion/").status_code == 404
    body = client.get("/admin/pricing/").content.decode()
    assert "Price rules" in body and "Pricing version" not in body


# --- bulk actions ----------------------------------------------------------------------------


def action(client, url, name, objects):
    return client.post(
        url,
        {"action": name, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_bulk_deactivate_changes_the_storefront_price_on_the_next_request(client, manager, shop):
    sale = PriceRuleFactory(
        name="Knife sale", product=shop["knife"], kind="fixed_price", value=Decimal("7.77")
    )
    other = PriceRuleFactory(name="Stapler sale", product=shop["stapler"], value=50)
    page = "/p/chef-knife/"
    assert "€7.77" in client.get(page).content.decode()

    response = action(client, PRICE_RULES, "deactivate", [sale, other])
    assert "2 rules deactivated." in response.content.decode()
    sale.refresh_from_db()
    assert not sale.is_active
    body = client.get(page).content.decode()
    assert "€7.77" not in body and "€10.00" in body

    response = action(client, PRICE_RULES, "activate", [sale])
    assert "1 rule activated." in response.content.decode()
    assert "€7.77" in client.get(page).content.decode()


def test_bulk_delete_changes_the_storefront_price(client, manager, shop):
    sale = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("7.77"))
    assert "€7.77" in client.get("/p/chef-knife/").content.decode()
    client.post(
        PRICE_RULES, {"action": "delete_selected", "_selected_action": [sale.pk], "post": "yes"}
    )
    assert not PriceRule.objects.exists()
    assert "€7.77" not in client.get("/p/chef-knife/").content.decode()


def test_bulk_actions_on_quantity_rules_and_cart_discounts(client, manager, shop):
    from pricing import services

    rule = QuantityRuleFactory(product=shop["knife"], max_quantity=2)
    assert services.check_quantity(shop["knife"], 3)
    action(client, QUANTITY_RULES, "deactivate", [rule])
    services.request_snapshot.set(None)
    assert services.check_quantity(shop["knife"], 3) == []

    discount = CartDiscountFactory(groups=[shop["wholesale"]])
    response = action(client, CART_DISCOUNTS + "?q=wholesale", "deactivate", [discount])
    assert "1 cart discount deactivated." in response.content.decode()
    services.request_snapshot.set(None)
    assert services.pricing_data().rules.cart_discounts == ()


# --- conflicts caught when saved, the Pricing health page -----------------------------------

HEALTH = PRICE_RULES + "health/"


def warnings_shown(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_saving_a_rule_that_makes_a_product_free_warns(client, manager, shop):
    response = client.post(
        PRICE_RULES + "add/",
        rule_form(name="Clearance", kind="amount_off", value=12, category=shop["kitchen"].pk),
        follow=True,
    )
    rule = PriceRule.objects.get(name="Clearance")
    (warning,) = warnings_shown(response)
    assert f"#{rule.pk}" in warning and "Chef knife (KNF-1)" in warning and "free" in warning

    response = client.post(
        f"{PRICE_RULES}{rule.pk}/change/",
        rule_form(name="Clearance", kind="amount_off", value=2, category=shop["kitchen"].pk),
        follow=True,
    )
    assert warnings_shown(response) == []


@pytest.mark.parametrize("strategy", ["lowest", "priority"])
def test_saving_a_group_rule_that_outranks_the_public_tier_warns_under_priority(
    client, manager, shop, settings, strategy
):
    settings.SHOP_PRICING_STRATEGY = strategy
    PriceRuleFactory(
        name="Knives 100+", kind="fixed_price", value=6, product=shop["knife"], min_quantity=100
    )
    response = client.post(
        PRICE_RULES + "add/",
        rule_form(name="Wholesale 15", group=shop["wholesale"].pk, product=shop["knife"].pk),
        follow=True,
    )
    shown = warnings_shown(response)
    if strategy == "priority":
        (warning,) = shown
        assert "Wholesale group pay more than a guest" in warning and "8.50" in warning
    else:
        assert shown == []


def test_saving_a_dominated_cart_discount_warns(client, manager, shop):
    CartDiscountFactory(name="5 % for everyone", value=5)
    form = {
        "name": "Wholesale 3 %",
        "is_active": "on",
        "groups": [shop["wholesale"].pk],
        "min_subtotal": "1000",
        "kind": "percent",
        "value": "3",
    }
    response = client.post(CART_DISCOUNTS + "add/", form, follow=True)
    (warning,) = warnings_shown(response)
    assert "never wins" in warning and "5 % for everyone" in warning
    form.update(name="Wholesale 8 %", value="8")
    assert warnings_shown(client.post(CART_DISCOUNTS + "add/", form, follow=True)) == []


def test_priority_help_text_says_what_priority_does_under_the_strategy(client, manager, settings):
    settings.SHOP_PRICING_STRATEGY = "lowest"
    body = client.get(PRICE_RULES + "add/").content.decode()
    assert "Higher wins before any other consideration" not in body
    assert "priority only breaks a tie" in body
    assert "/admin/pricing/pricerule/how-prices-are-chosen/" in body
    settings.SHOP_PRICING_STRATEGY = "priority"
    body = client.get(PRICE_RULES + "add/").content.decode()
    assert "the highest priority wins, whatever its price" in body


def test_health_page_lists_conflicts_by_rule_with_links(client, manager, shop):
    free = PriceRuleFactory(name="Clearance", kind="amount_off", value=50, product=shop["knife"])
    dead = PriceRuleFactory(name="Too dear", kind="fixed_price", value=99, product=shop["stapler"])
    PriceRuleFactory(name="Fine", product=shop["stapler"])
    CartDiscountFactory(name="5 % for everyone", value=5)
    dominated = CartDiscountFactory(name="2 % from 100", value=2, min_subtotal=100)

    response = client.get(HEALTH)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{PRICE_RULES}{free.pk}/change/" in body and f"{PRICE_RULES}{dead.pk}/change/" in body
    assert "Fine</a>" not in body
    assert "Chef knife (KNF-1)" in body and "never wins" in body
    assert "/admin/pricing/pricerule/simulator/?product=KNF-1&amp;quantity=1&amp;group=" in body
    assert f"{CART_DISCOUNTS}{dominated.pk}/change/" in body


def test_health_page_opens_the_simulator_for_the_customer_concerned(client, manager, shop):
    buyer = UserFactory(email="chef@example.com")
    PriceRuleFactory(
        name="Gift", kind="fixed_price", value=0, customer=buyer, product=shop["knife"]
    )
    body = client.get(HEALTH).content.decode()
    assert "customer=chef%40example.com" in body
    simulator = body.split('href="/admin/pricing/pricerule/simulator/?')[1].split('"')[0]
    response = client.get("/admin/pricing/pricerule/simulator/?" + simulator.replace("&amp;", "&"))
    assert response.status_code == 200 and response.context["simulation"] is not None


def test_health_page_and_links_need_the_view_permission(client, shop):
    staff = StaffUserFactory()
    client.force_login(staff)
    assert client.get(HEALTH).status_code == 403
    assert client.get(PRICE_RULES + "how-prices-are-chosen/").status_code == 403
    assert "Pricing health" not in client.get("/admin/").content.decode()


def test_admin_index_and_changelist_link_to_the_health_page(client, manager):
    assert HEALTH in client.get("/admin/").content.decode()
    assert HEALTH in client.get(PRICE_RULES).content.decode()


def test_health_page_queries_do_not_grow_with_rules_and_products(client, manager, shop):
    def add(count):
        for i in range(count):
            product = ProductFactory(category=shop["knives"], base_price=5 + i)
            PriceRuleFactory(kind="fixed_price", value=99, product=product)
            PriceRuleFactory(kind="amount_off", value=50, product=product, group=shop["wholesale"])

    from django.core.cache import cache

    add(2)
    with CaptureQueriesContext(connection) as few:  # computed, not cached: rules changed
        assert client.get(HEALTH).status_code == 200
    add(30)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(HEALTH)
    assert response.status_code == 200 and "Page 1 of 2" in response.content.decode()
    assert len(many) == len(few)
