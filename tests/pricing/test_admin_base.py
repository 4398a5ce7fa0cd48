"""`PricingInputAdminMixin`: one pricing version bump per admin request, however many rows."""

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage

from pricing.admin_base import PricingInputAdminMixin
from pricing.models import PriceRule, PricingVersion
from tests.factories import CartDiscountFactory, CustomerGroupFactory, PriceRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps(monkeypatch):
    """The pricing version bumps made during the test."""
    made = []
    bump = PricingVersion.bump
    monkeypatch.setattr(PricingVersion, "bump", lambda: made.append(bump()))
    return made


class PriorityListAdmin(PricingInputAdminMixin, admin.ModelAdmin):
    """A changelist with list_editable, as the category and tax rate admins have."""

    list_display = ("name", "priority")
    list_editable = ("priority",)
    ordering = ("pk",)


def test_a_list_editable_page_bumps_once_for_all_its_rows(rf, manager, bumps):
    rules = PriceRuleFactory.create_batch(3)
    bumps.clear()  # the factories write as the admin does
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3", "_save": "Save"}
    for i, rule in enumerate(rules):
        data |= {f"form-{i}-id": str(rule.pk), f"form-{i}-priority": str(i + 5)}
    request = rf.post("/admin/pricing/pricerule/", data)
    request.user = manager
    request._messages = CookieStorage(request)
    request._dont_enforce_csrf_checks = True

    response = PriorityListAdmin(PriceRule, admin.site).changelist_view(request)
    assert response.status_code == 302
    assert sorted(PriceRule.objects.values_list("priority", flat=True)) == [5, 6, 7]
    assert len(bumps) == 1


@pytest.mark.parametrize("action", ["deactivate", "delete_selected"])
def test_a_bulk_action_bumps_once(client, manager, bumps, action):
    rules = PriceRuleFactory.create_batch(3)
    bumps.clear()  # the factories write as the admin does
    response = client.post(
        "/admin/pricing/pricerule/",
        {"action": action, "_selected_action": [rule.pk for rule in rules], "post": "yes"},
    )
    assert response.status_code == 302
    assert not PriceRule.objects.filter(is_active=True).exists()
    assert len(bumps) == 1


def test_a_change_form_with_many_to_many_fields_bumps_once(client, manager, bumps):
    discount = CartDiscountFactory()
    group = CustomerGroupFactory()
    bumps.clear()  # the factories write as the admin does
    response = client.post(
        f"/admin/pricing/cartdiscount/{discount.pk}/change/",
        {
            "name": discount.name,
            "is_active": "on",
            "groups": [group.pk],
            "min_subtotal": "0",
            "kind": "percent",
            "value": "5",
        },
    )
    assert response.status_code == 302
    assert list(discount.groups.all()) == [group]
    assert len(bumps) == 1
