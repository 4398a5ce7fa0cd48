"""Quantity rules negotiated with a company: its members order in the company's minimums and
pack sizes, everyone else in their own."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from core.errors import Refusal
from customers import selectors as customer_selectors
from pricing import services
from pricing.models import QuantityRule
from pricing.simulator import simulate
from shop.cart.services import cart_add, cart_get_or_create
from tests.factories import ProductFactory, UserFactory, WholesaleGroupFactory
from tests.pricing.companies_support import company_with, member_of
from tests.pricing.imports_support import as_csv, confirm, export, preview, rows_of
from tests.pricing.test_admin import QUANTITY_RULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def bistro():
    """Bistro Lumière, in the wholesale group (boxes of 6), buys the pans by the pair."""
    group = WholesaleGroupFactory()
    company = company_with(name="Bistro Lumière", group=group)
    pan = ProductFactory(sku="PAN-1", name="Copper pan", stock=500)
    QuantityRule.objects.create(name="Boxes", group=group, product=pan, min_quantity=6, step=6)
    rule = QuantityRule.objects.create(
        name="Bistro pairs", company=company, product=pan, min_quantity=2, step=2
    )
    return company, pan, rule


def add(user, product, quantity):
    group = customer_selectors.group_for(user)
    cart = cart_get_or_create(user=user)
    return cart_add(cart=cart, product_id=product.pk, quantity=quantity, customer=user, group=group)


def test_a_member_orders_in_the_companys_packs_and_a_non_member_does_not(bistro):
    company, pan, rule = bistro
    member = member_of(company)
    outsider = UserFactory(group=company.group)

    assert services.quantity_rule(pan, customer=member).id == rule.pk
    assert services.quantity_bounds(pan, customer=member).step == 2
    assert add(member, pan, 4).quantity == 4

    assert services.quantity_rule(pan, customer=outsider).name == "Boxes"
    with pytest.raises(Refusal) as refused:
        add(outsider, pan, 4)
    assert "packs of 6" in str(refused.value)


def test_a_member_breaking_the_companys_rule_is_told_it_is_the_companys(bistro):
    company, pan, _rule = bistro
    member = member_of(company)
    assert services.check_quantity(pan, 3, customer=member) == [
        "Your company's orders of Copper pan must be in packs of 2."
    ]
    assert services.check_quantity(pan, 1, customer=member) == [
        "Your company's orders of Copper pan must be at least 2.",
        "Your company's orders of Copper pan must be in packs of 2.",
    ]


def test_a_members_own_rule_beats_the_companys(bistro):
    company, pan, _rule = bistro
    member = member_of(company)
    own = QuantityRule.objects.create(name="Chef's own", customer=member, product=pan)
    assert services.quantity_rule(pan, customer=member).id == own.pk
    assert services.check_quantity(pan, 1, customer=member) == []


def test_a_member_who_leaves_the_company_loses_its_rule(bistro):
    company, pan, _rule = bistro
    member = member_of(company)
    member.company_membership.delete()
    assert services.quantity_rule(pan, customer=member, group=company.group).name == "Boxes"


def test_a_rule_for_a_customer_and_a_company_is_refused(bistro):
    company, pan, _rule = bistro
    rule = QuantityRule(name="Both", company=company, customer=UserFactory(), product=pan)
    with pytest.raises(ValidationError, match="Choose a customer or a company, not both"):
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()


def test_a_company_with_quantity_rules_cannot_be_deleted(bistro):
    company, _pan, _rule = bistro
    with pytest.raises(ProtectedError):
        company.delete()


# --- the admin ------------------------------------------------------------------------------


def test_manager_sets_a_quantity_rule_for_a_company(client, manager, bistro, version_bumps):
    company, pan, _rule = bistro
    response = client.post(
        QUANTITY_RULES + "add/",
        {
            "name": "Bistro dozens",
            "is_active": "on",
            "company": company.pk,
            "category": "",
            "product": "",
            "group": "",
            "customer": "",
            "min_quantity": "12",
            "max_quantity": "",
            "step": "12",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert QuantityRule.objects.get(name="Bistro dozens").company == company
    assert version_bumps
    listed = client.get(QUANTITY_RULES, {"who": "company"}).content.decode()
    assert "Bistro dozens" in listed and "Bistro pairs" in listed and "Boxes" not in listed
    assert "Bistro Lumière (company)" in listed
    searched = client.get(QUANTITY_RULES, {"q": "lumi"}).content.decode()
    assert "Bistro pairs" in searched and "Boxes" not in searched


def test_the_admin_refuses_a_customer_and_a_company_with_a_message(client, manager, bistro):
    company, pan, _rule = bistro
    response = client.post(
        QUANTITY_RULES + "add/",
        {
            "name": "Both",
            "company": company.pk,
            "customer": UserFactory().pk,
            "product": pan.pk,
            "min_quantity": "1",
            "step": "1",
        },
    )
    assert response.status_code == 200
    assert "Choose a customer or a company, not both" in response.content.decode()


def test_the_simulator_shows_the_companys_quantity_rule(client, manager, bistro):
    company, pan, rule = bistro
    simulation = simulate(product=pan, quantity=3, at=timezone.now(), company=company)
    assert simulation.quantity_rule.id == rule.pk
    assert simulation.violations == ("Your company's orders of Copper pan must be in packs of 2.",)
    body = client.get(
        "/admin/pricing/pricerule/simulator/",
        {"product": "PAN-1", "company": company.pk, "quantity": "3"},
    ).content.decode()
    assert "Bistro pairs" in body and "Bistro Lumière (company)" in body
    assert "must be in packs of 2" in body


def test_quantity_rules_import_and_export_their_company(client, manager, bistro):
    company, _pan, rule = bistro
    rows = rows_of(export(client, QUANTITY_RULES))
    exported = {row["id"]: row["company"] for row in rows}
    assert exported[str(rule.pk)] == "Bistro Lumière"
    boxes = next(row for row in rows if row["name"] == "Boxes")
    boxes["company"], boxes["group"] = str(company.pk), ""
    response = preview(client, as_csv(rows), QUANTITY_RULES)
    assert response.context["preview"].errors == []
    confirm(client, response, QUANTITY_RULES)
    assert QuantityRule.objects.get(name="Boxes").company == company
    boxes["company"] = "Nobody SARL"
    errors = preview(client, as_csv(rows), QUANTITY_RULES).context["preview"].errors
    assert "company: No company has the name or id “Nobody SARL”." in " ".join(errors[0].errors)
