"""The admin a shop manager works in: groups, customers, applications, and nothing more."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.core import mail

from customers.models import CustomerGroup, CustomerProfile, WholesaleApplication
from customers.permissions import CREDIT_TERMS_CODENAME, SHOP_MANAGERS
from tests.factories import UserFactory, WholesaleApplicationFactory

pytestmark = pytest.mark.django_db

GROUPS = "/admin/customers/customergroup/"
PROFILES = "/admin/customers/customerprofile/"
APPLICATIONS = "/admin/customers/wholesaleapplication/"


def group_data(group, **overrides):
    data = {
        "name": group.name,
        "slug": group.slug,
        "prices_include_tax": "on" if group.prices_include_tax else "",
        "default_payment_terms_days": group.default_payment_terms_days,
        "default_credit_limit": group.default_credit_limit,
        "min_order_subtotal": "",
    }
    for flag in ("is_default", "portal_access", "requires_approval", "receives_applications"):
        if getattr(group, flag):
            data[flag] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Permissions ------------------------------------------------------------------------------


def test_shop_managers_get_the_customer_permissions_they_need_and_nothing_more(manager):
    permissions = {
        p for p in manager.get_all_permissions() if p.startswith(("customers.", "auth."))
    }
    assert permissions == {
        "customers.add_customergroup",
        "customers.change_customergroup",
        "customers.delete_customergroup",
        "customers.view_customergroup",
        "customers.change_customerprofile",
        "customers.view_customerprofile",
        "customers.change_wholesaleapplication",
        "customers.view_wholesaleapplication",
        "customers.add_company",
        "customers.change_company",
        "customers.view_company",
        "customers.add_companymember",
        "customers.change_companymember",
        "customers.delete_companymember",
        "customers.view_companymember",
        "customers.change_companyinvitation",
        "customers.view_companyinvitation",
    }
    assert not manager.is_superuser


def test_the_migration_granted_the_same_permissions(db):
    group = Group.objects.get(name=SHOP_MANAGERS)
    codenames = set(
        group.permissions.filter(content_type__app_label="customers").values_list(
            "codename", flat=True
        )
    )
    assert "change_wholesaleapplication" in codenames and "change_user" not in codenames


@pytest.mark.parametrize(
    "url", ["/admin/customers/user/", "/admin/auth/group/", "/admin/customers/user/add/"]
)
def test_managers_cannot_edit_accounts_or_permission_groups(manager_client, url):
    assert manager_client.get(url).status_code == 403


def test_managers_cannot_add_or_delete_profiles_or_applications(manager_client, customer):
    profile = customer.profile
    assert manager_client.get(PROFILES + "add/").status_code == 403
    assert manager_client.get(f"{PROFILES}{profile.pk}/delete/").status_code == 403
    application = WholesaleApplicationFactory(user=customer)
    assert manager_client.get(APPLICATIONS + "add/").status_code == 403
    assert manager_client.get(f"{APPLICATIONS}{application.pk}/delete/").status_code == 403


# Groups ------------------------------------------------------------------------------------


def test_groups_list_shows_member_counts(manager_client, retail, wholesale):
    UserFactory.create_batch(3, group=wholesale)
    UserFactory()
    response = manager_client.get(GROUPS)
    assert response.status_code == 200
    rows = {group.name: group.member_count for group in response.context["cl"].result_list}
    assert rows["Wholesale"] == 3
    assert rows["Retail"] == CustomerProfile.objects.filter(group=retail).count() == 2
    assert '<td class="field-member_count">3</td>' in response.content.decode()


def test_the_default_group_cannot_be_unticked_and_the_message_says_what_to_do(
    manager_client, retail
):
    response = manager_client.post(
        f"{GROUPS}{retail.pk}/change/", group_data(retail, is_default=None)
    )
    assert response.status_code == 200
    assert "There must always be exactly one default group" in response.content.decode()
    retail.refresh_from_db()
    assert retail.is_default


def test_ticking_default_on_another_group_moves_it(manager_client, retail, vip):
    response = manager_client.post(
        f"{GROUPS}{vip.pk}/change/", group_data(vip, is_default="on"), follow=True
    )
    assert "“VIP” is now the default group instead of “Retail”" in response.content.decode()
    assert list(CustomerGroup.objects.filter(is_default=True)) == [vip]


def test_a_new_group_can_be_created_as_the_default(manager_client, retail):
    manager_client.post(
        GROUPS + "add/",
        {
            "name": "Public",
            "slug": "public",
            "is_default": "on",
            "prices_include_tax": "on",
            "default_payment_terms_days": 0,
            "default_credit_limit": "0",
        },
    )
    assert list(CustomerGroup.objects.filter(is_default=True).values_list("slug", flat=True)) == [
        "public"
    ]


def test_receives_applications_moves_between_groups(manager_client, wholesale, vip):
    manager_client.post(
        f"{GROUPS}{wholesale.pk}/change/", group_data(wholesale, receives_applications="on")
    )
    manager_client.post(f"{GROUPS}{vip.pk}/change/", group_data(vip, receives_applications="on"))
    assert list(CustomerGroup.objects.filter(receives_applications=True)) == [vip]


def test_the_default_group_cannot_be_deleted(manager_client, retail, vip):
    assert manager_client.get(f"{GROUPS}{retail.pk}/delete/").status_code == 403
    assert manager_client.get(f"{GROUPS}{vip.pk}/delete/").status_code == 200
    assert "delete_selected" not in manager_client.get(GROUPS).content.decode()


# Customers --------------------------------------------------------------------------------


def test_customers_search_by_email_and_company_and_filter_by_group(manager_client, wholesale):
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com", group=wholesale)
    CustomerProfile.objects.filter(user=bob).update(company_name="Boulangerie Durand")

    def listed(query):
        response = manager_client.get(PROFILES + query)
        assert response.status_code == 200
        return {profile.user.email for profile in response.context["cl"].result_list}

    assert listed("?q=alice@") == {"alice@example.com"}
    assert listed("?q=durand") == {"bob@example.com"}
    assert listed(f"?group__id__exact={wholesale.pk}") == {"bob@example.com"}
    assert alice.email in listed("")


def test_bulk_move_to_group_asks_for_the_group_then_moves(manager_client, manager, wholesale):
    manager.user_permissions.add(Permission.objects.get(codename=CREDIT_TERMS_CODENAME))
    first, second, other = UserFactory(), UserFactory(), UserFactory()
    ids = [first.profile.pk, second.profile.pk]
    page = manager_client.post(PROFILES, {"action": "move_to_group", ACTION_CHECKBOX_NAME: ids})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Move customers to another group" in body and first.email in body
    assert other.email not in body
    missing = manager_client.post(
        PROFILES, {"action": "move_to_group", ACTION_CHECKBOX_NAME: ids, "apply": "1"}
    )
    assert "This field is required" in missing.content.decode()
    response = manager_client.post(
        PROFILES,
        {
            "action": "move_to_group",
            ACTION_CHECKBOX_NAME: ids,
            "apply": "1",
            "group": wholesale.pk,
            "apply_group_terms": "on",
        },
        follow=True,
    )
    assert "2 customers moved to “Wholesale”." in response.content.decode()
    moved = CustomerProfile.objects.filter(group=wholesale)
    assert set(moved.values_list("user_id", flat=True)) == {first.pk, second.pk}
    assert set(moved.values_list("payment_terms_days", flat=True)) == {30}
    assert other.profile.group.is_default


# Applications -----------------------------------------------------------------------------


def test_pending_applications_come_first(manager_client, manager, wholesale):
    from customers import services

    old_pending = WholesaleApplicationFactory(company_name="Old pending")
    decided = WholesaleApplicationFactory(company_name="Decided")
    services.application_approve(application=decided, decided_by=manager)
    new_pending = WholesaleApplicationFactory(company_name="New pending")
    response = manager_client.get(APPLICATIONS)
    assert list(response.context["cl"].result_list) == [new_pending, old_pending, decided]


def test_approve_action_asks_for_the_group_and_approves(
    manager_client, manager, wholesale, vip, commit
):
    application = WholesaleApplicationFactory()
    page = manager_client.post(
        APPLICATIONS, {"action": "approve_applications", ACTION_CHECKBOX_NAME: [application.pk]}
    )
    body = page.content.decode()
    assert "Approve applications" in body
    assert f'<option value="{wholesale.pk}" selected>Wholesale</option>' in body
    with commit():
        response = manager_client.post(
            APPLICATIONS,
            {
                "action": "approve_applications",
                ACTION_CHECKBOX_NAME: [application.pk],
                "apply": "1",
                "group": vip.pk,
            },
            follow=True,
        )
    assert "1 application approved" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == manager
    assert application.group == vip
    assert CustomerProfile.objects.get(user=application.user).group == vip
    assert [m.to for m in mail.outbox] == [[application.user.email]]


def test_reject_action_requires_a_reason(manager_client, manager, commit):
    application = WholesaleApplicationFactory()
    data = {"action": "reject_applications", ACTION_CHECKBOX_NAME: [application.pk], "apply": "1"}
    response = manager_client.post(APPLICATIONS, {**data, "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
    with commit():
        manager_client.post(APPLICATIONS, {**data, "reason": "Retail shop, not trade."})
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.rejection_reason == "Retail shop, not trade."
    assert "Retail shop, not trade." in mail.outbox[0].body


def test_decided_applications_are_left_alone_by_the_actions(manager_client, manager, wholesale):
    from customers import services

    application = WholesaleApplicationFactory()
    services.application_reject(application=application, decided_by=manager, reason="No.")
    response = manager_client.post(
        APPLICATIONS,
        {"action": "approve_applications", ACTION_CHECKBOX_NAME: [application.pk]},
        follow=True,
    )
    assert "None of the selected applications is pending" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "rejected"


def test_change_page_has_approve_and_reject_buttons_for_pending_ones(manager_client, wholesale):
    application = WholesaleApplicationFactory(message="Please be quick")
    page = manager_client.get(f"{APPLICATIONS}{application.pk}/change/").content.decode()
    assert f"{APPLICATIONS}{application.pk}/approve/" in page and "Please be quick" in page
    reject_url = f"{APPLICATIONS}{application.pk}/reject/"
    assert "Reason" in manager_client.get(reject_url).content.decode()
    response = manager_client.post(reject_url, {"reason": "Duplicate", "apply": "1"})
    assert response["Location"] == f"{APPLICATIONS}{application.pk}/change/"
    application.refresh_from_db()
    assert application.status == "rejected"
    page = manager_client.get(f"{APPLICATIONS}{application.pk}/change/").content.decode()
    assert "/approve/" not in page
    assert (
        manager_client.post(
            f"{APPLICATIONS}{application.pk}/approve/", {"group": wholesale.pk}
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "rejected"


def test_unknown_application_is_404(manager_client):
    assert manager_client.get(f"{APPLICATIONS}999999/approve/").status_code == 404


def test_superusers_manage_accounts_and_new_accounts_get_a_profile(admin_client, retail):
    response = admin_client.post(
        "/admin/customers/user/add/",
        {
            "email": "staff@example.com",
            "full_name": "Staff",
            "usable_password": "true",
            "password1": "plum-tart-1984",
            "password2": "plum-tart-1984",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = CustomerProfile.objects.get(user__email="staff@example.com")
    assert created.group == retail
    assert WholesaleApplication.objects.count() == 0
