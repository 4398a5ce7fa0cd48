"""Rule imports: who may import and export, what the conflict checker gets, query counts."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.permissions import SHOP_MANAGERS
from pricing.imports.preview import proposed_price_rules
from pricing.models import PriceRule
from tests.factories import (
    CartDiscountFactory,
    ProductFactory,
    StaffUserFactory,
)
from tests.pricing.imports_support import (
    CART_DISCOUNTS,
    PRICE_RULES,
    QUANTITY_RULES,
    as_csv,
    confirm,
    export,
    preview,
    rows_of,
)

pytestmark = pytest.mark.django_db


def staff_with(client, *codenames):
    user = StaffUserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def test_import_needs_add_and_change_and_export_needs_view(client, rules_shop):
    staff_with(client, "view_pricerule", "change_pricerule")
    page = client.get(PRICE_RULES).content.decode()
    assert 'href="/admin/pricing/pricerule/export/' in page
    assert 'href="/admin/pricing/pricerule/import/' not in page
    assert client.get(PRICE_RULES + "import/").status_code == 403
    assert client.post(PRICE_RULES + "process_import/", {}).status_code == 403

    staff_with(client, "change_pricerule")
    assert client.get(PRICE_RULES + "export/").status_code == 403


def test_undo_needs_add_change_and_delete(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    confirm(client, preview(client, as_csv(rows)))
    staff_with(client, "view_pricerule", "add_pricerule", "change_pricerule")
    assert "import/undo/" not in client.get(PRICE_RULES).content.decode()
    assert client.post(PRICE_RULES + "import/undo/").status_code == 403
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("30.00")


def test_the_sync_option_needs_delete(client, manager, rules_shop):
    content = export(client)
    staff_with(client, "view_pricerule", "add_pricerule", "change_pricerule")
    page = client.get(PRICE_RULES + "import/")
    assert "remove_missing" not in page.context["form"].fields
    response = preview(client, content, remove_missing="on")
    assert response.context["preview"].removed == []


def test_a_manager_from_the_shop_managers_group_sees_the_buttons(client, manager, rules_shop):
    assert manager.groups.filter(name=SHOP_MANAGERS).exists()
    page = client.get(QUANTITY_RULES).content.decode()
    assert "/admin/pricing/quantityrule/import/" in page
    assert "/admin/pricing/quantityrule/export/" in page


def test_proposed_price_rules_are_the_active_rules_after_the_import(client, manager, rules_shop):
    first, second, inactive = rules_shop["rules"]
    rows = rows_of(export(client))
    by_id = {int(row["id"]): row for row in rows}
    by_id[first.pk]["value"] = "25"
    by_id[inactive.pk]["is_active"] = "yes"
    new = dict(by_id[first.pk], id="", name="New one", value="2")
    kept = [by_id[first.pk], by_id[inactive.pk], new]
    response = preview(client, as_csv(kept), remove_missing="on")

    proposed = {rule.id: rule for rule in proposed_price_rules(response.context["preview"])}
    assert set(proposed) == {first.pk, inactive.pk, -4}
    assert proposed[first.pk].value == Decimal("25")
    assert proposed[-4].name == "New one" and proposed[-4].value == Decimal("2")
    assert proposed[-4].group_id == rules_shop["wholesale"].pk


def test_the_preview_costs_the_same_queries_at_any_size(client, manager, rules_shop):
    template = rows_of(export(client))[0]
    products = [ProductFactory(sku=f"SKU-{n}") for n in range(40)]

    def queries_for(count):
        rows = [
            dict(template, id="", name=f"R{n}", category="", product_sku=products[n].sku)
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            response = preview(client, as_csv(rows))
        assert response.context["preview"].count("new") == count
        return len(queries)

    queries_for(1)  # the conflict check compiles the pricing data once per version
    assert queries_for(4) == queries_for(40)


def test_the_export_costs_the_same_queries_at_any_size(client, manager, rules_shop):
    def queries_for():
        with CaptureQueriesContext(connection) as queries:
            export(client, CART_DISCOUNTS)
        return len(queries)

    CartDiscountFactory(groups=[rules_shop["vip"]])
    few = queries_for()
    for _ in range(10):
        CartDiscountFactory(groups=[rules_shop["vip"], rules_shop["wholesale"]])
    assert queries_for() == few


def test_the_pages_render_for_a_manager(client, manager, rules_shop):
    assert client.get(PRICE_RULES + "import/").status_code == 200
    assert client.get(PRICE_RULES + "export/").status_code == 200
    assert re.search(r"Price simulator", client.get(PRICE_RULES).content.decode())
    assert Group.objects.filter(name=SHOP_MANAGERS).exists()


def test_the_preview_warns_what_new_and_changed_rules_would_do_to_buyers(
    client, manager, rules_shop
):
    rule = rules_shop["rules"][0]  # Wholesale kitchen, 15 % off: the knife costs 10.00
    rows = rows_of(export(client))
    changed = next(row for row in rows if row["id"] == str(rule.pk))
    changed.update(kind="amount_off", value="25")
    rows.append(
        dict(changed, id="", name="Dearer than base", kind="fixed_price", value="99", category="")
    )
    page = preview(client, as_csv(rows)).content.decode()
    assert f'href="/admin/pricing/pricerule/{rule.pk}/change/"' in page
    assert "makes Chef knife (KNF-1) free" in page
    assert f"New rule, row {len(rows) + 1}:" in page and "never wins" in page
    assert PriceRule.objects.get(pk=rule.pk).kind == "percent_off"  # the preview writes nothing


def test_an_import_that_changes_nothing_warns_of_nothing(client, manager, rules_shop):
    page = preview(client, as_csv(rows_of(export(client)))).content.decode()
    assert "never wins" not in page and " free" not in page
