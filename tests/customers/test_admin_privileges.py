"""What a shop manager may grant: never credit terms without their own permission, never
anything to a staff or superuser account (his own included). Superusers may do both."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission

from customers.models import CustomerProfile, WholesaleApplication
from customers.permissions import CREDIT_TERMS_CODENAME, CREDIT_TERMS_PERMISSION, SHOP_MANAGERS
from tests.factories import StaffUserFactory, UserFactory, WholesaleApplicationFactory

pytestmark = pytest.mark.django_db

PROFILES = "/admin/customers/customerprofile/"
GROUPS = "/admin/customers/customergroup/"
APPLICATIONS = "/admin/customers/wholesaleapplication/"


def profile_data(profile, **overrides):
    data = {
        "group": profile.group_id,
        "company_name": profile.company_name,
        "vat_id": profile.vat_id,
        "phone": profile.phone,
        "payment_terms_days": profile.payment_terms_days,
        "credit_limit": profile.credit_limit,
    }
    return {**data, **overrides}


def raise_terms(client, profile, wholesale):
    return client.post(
        f"{PROFILES}{profile.pk}/change/",
        profile_data(
            profile,
            group=wholesale.pk,
            company_name="Raised SARL",
            payment_terms_days=365,
            credit_limit="9999999",
        ),
    )


def grant_credit_terms(user):
    user.user_permissions.add(Permission.objects.get(codename=CREDIT_TERMS_CODENAME))


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffUserFactory(email="root@example.com", is_superuser=True))
    return client


# The permission -----------------------------------------------------------------------------


def test_credit_terms_have_their_own_permission_that_shop_managers_do_not_get(manager):
    assert Permission.objects.filter(
        content_type__app_label="customers", codename=CREDIT_TERMS_CODENAME
    ).exists()
    group = Group.objects.get(name=SHOP_MANAGERS)
    assert not group.permissions.filter(codename=CREDIT_TERMS_CODENAME).exists()
    assert manager.is_staff and not manager.is_superuser
    assert manager.has_perm("customers.change_customerprofile")
    assert not manager.has_perm(CREDIT_TERMS_PERMISSION)


# A customer's profile -----------------------------------------------------------------------


def test_a_manager_edits_a_customer_but_sees_the_terms_read_only(
    manager_client, customer, wholesale
):
    page = manager_client.get(f"{PROFILES}{customer.profile.pk}/change/").content.decode()
    assert 'name="company_name"' in page
    assert 'name="credit_limit"' not in page and 'name="payment_terms_days"' not in page
    response = raise_terms(manager_client, customer.profile, wholesale)
    assert response.status_code == 302
    profile = CustomerProfile.objects.get(pk=customer.profile.pk)
    assert profile.company_name == "Raised SARL" and profile.group == wholesale
    assert profile.payment_terms_days == 0 and profile.credit_limit == Decimal("0")


def test_a_manager_with_the_credit_terms_permission_sets_terms(
    manager_client, manager, customer, wholesale
):
    grant_credit_terms(manager)
    assert raise_terms(manager_client, customer.profile, wholesale).status_code == 302
    profile = CustomerProfile.objects.get(pk=customer.profile.pk)
    assert profile.payment_terms_days == 365 and profile.credit_limit == Decimal("9999999")


def test_a_superuser_sets_terms(superuser_client, customer, wholesale):
    assert raise_terms(superuser_client, customer.profile, wholesale).status_code == 302
    profile = CustomerProfile.objects.get(pk=customer.profile.pk)
    assert profile.payment_terms_days == 365 and profile.credit_limit == Decimal("9999999")


# Staff and superuser profiles ---------------------------------------------------------------


@pytest.mark.parametrize("whose", ["own", "colleague", "superuser"])
def test_a_manager_cannot_change_a_staff_or_superuser_profile(
    manager_client, manager, wholesale, whose
):
    grant_credit_terms(manager)  # even with it
    account = {
        "own": lambda: manager,
        "colleague": lambda: StaffUserFactory(),
        "superuser": lambda: StaffUserFactory(is_superuser=True),
    }[whose]()
    profile = account.profile
    page = manager_client.get(f"{PROFILES}{profile.pk}/change/")
    assert page.status_code == 200  # viewed, read-only
    assert 'name="group"' not in page.content.decode()
    assert raise_terms(manager_client, profile, wholesale).status_code == 403
    profile.refresh_from_db()
    assert profile.group.is_default and profile.credit_limit == Decimal("0")
    assert profile.payment_terms_days == 0 and profile.company_name != "Raised SARL"


def test_a_superuser_changes_a_staff_profile(superuser_client, manager, wholesale):
    assert raise_terms(superuser_client, manager.profile, wholesale).status_code == 302
    manager.profile.refresh_from_db()
    assert manager.profile.group == wholesale and manager.profile.payment_terms_days == 365


# Moving customers to a group ----------------------------------------------------------------


def move(client, profiles, group):
    return client.post(
        PROFILES,
        {
            "action": "move_to_group",
            ACTION_CHECKBOX_NAME: [profile.pk for profile in profiles],
            "apply": "1",
            "group": group.pk,
            "apply_group_terms": "on",
        },
        follow=True,
    )


def test_a_manager_moves_customers_without_applying_the_group_terms(
    manager_client, customer, wholesale
):
    page = manager_client.post(
        PROFILES, {"action": "move_to_group", ACTION_CHECKBOX_NAME: [customer.profile.pk]}
    ).content.decode()
    assert "Move customers to another group" in page and "apply_group_terms" not in page
    assert (
        "1 customer moved" in move(manager_client, [customer.profile], wholesale).content.decode()
    )
    profile = CustomerProfile.objects.get(pk=customer.profile.pk)
    assert profile.group == wholesale
    assert profile.payment_terms_days == 0 and profile.credit_limit == Decimal("0")


def test_a_superuser_moves_customers_with_the_group_terms(superuser_client, customer, wholesale):
    move(superuser_client, [customer.profile], wholesale)
    profile = CustomerProfile.objects.get(pk=customer.profile.pk)
    assert profile.group == wholesale
    assert profile.payment_terms_days == wholesale.default_payment_terms_days == 30
    assert profile.credit_limit == wholesale.default_credit_limit


def test_a_manager_cannot_move_himself_or_any_staff(manager_client, manager, customer, wholesale):
    body = move(manager_client, [manager.profile, customer.profile], wholesale).content.decode()
    assert "changed by a superuser only" in body and manager.email in body
    assert not CustomerProfile.objects.filter(group=wholesale).exists()


# Group defaults and applications ------------------------------------------------------------


def test_a_manager_cannot_change_the_terms_a_group_hands_out(manager_client, wholesale):
    page = manager_client.get(f"{GROUPS}{wholesale.pk}/change/").content.decode()
    assert 'name="default_credit_limit"' not in page
    response = manager_client.post(
        f"{GROUPS}{wholesale.pk}/change/",
        {
            "name": wholesale.name,
            "slug": wholesale.slug,
            "portal_access": "on",
            "requires_approval": "on",
            "default_payment_terms_days": 365,
            "default_credit_limit": "9999999",
            "min_order_subtotal": "",
        },
    )
    assert response.status_code == 302
    wholesale.refresh_from_db()
    assert wholesale.default_payment_terms_days == 30
    assert wholesale.default_credit_limit != Decimal("9999999")


def test_a_manager_cannot_approve_a_staff_application_his_own_included(
    manager_client, manager, wholesale
):
    own = WholesaleApplicationFactory(user=manager)
    response = manager_client.post(f"{APPLICATIONS}{own.pk}/approve/", {"group": wholesale.pk})
    assert response.status_code == 403
    body = manager_client.post(
        APPLICATIONS,
        {
            "action": "approve_applications",
            ACTION_CHECKBOX_NAME: [own.pk],
            "apply": "1",
            "group": wholesale.pk,
        },
        follow=True,
    ).content.decode()
    assert "decided by a superuser" in body
    own.refresh_from_db()
    assert own.status == WholesaleApplication.Status.PENDING
    manager.profile.refresh_from_db()
    assert manager.profile.group.is_default


def test_a_superuser_approves_a_staff_application(superuser_client, manager, wholesale):
    application = WholesaleApplicationFactory(user=manager)
    superuser_client.post(f"{APPLICATIONS}{application.pk}/approve/", {"group": wholesale.pk})
    application.refresh_from_db()
    assert application.status == WholesaleApplication.Status.APPROVED


# The customer autocomplete of the pricing rules ----------------------------------------------


def test_the_customer_autocomplete_lists_no_staff(manager_client, manager):
    UserFactory(email="anna.customer@example.com")
    StaffUserFactory(email="anna.staff@example.com")
    StaffUserFactory(email="anna.root@example.com", is_superuser=True)
    UserFactory(email="anna.root2@example.com", is_superuser=True)
    response = manager_client.get("/admin/pricing/pricerule/customers/", {"term": "anna"})
    listed = [result["text"].split(" ")[0] for result in response.json()["results"]]
    assert listed == ["anna.customer@example.com"]
    everyone = manager_client.get("/admin/pricing/pricerule/customers/").json()["results"]
    assert manager.email not in {r["text"].split(" ")[0] for r in everyone}


def test_a_manager_cannot_give_himself_a_negotiated_price(manager_client, manager):
    from tests.pricing.test_admin import PRICE_RULES, rule_form

    response = manager_client.post(
        PRICE_RULES + "add/", rule_form(name="Mine", customer=manager.pk)
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
