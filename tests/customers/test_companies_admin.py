"""The companies admin: list with members and credit, members by email, terms behind their own
permission, never without a company admin, never a staff account's membership."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Company, CompanyMember
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    OrderFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleGroupFactory,
)

COMPANIES = "/admin/customers/company/"


def company_with(members: int, orders: int = 1) -> Company:
    company = CompanyFactory(credit_limit=Decimal("100.00"))
    users = [
        CompanyMemberFactory(company=company, role="admin" if i == 0 else "buyer").user
        for i in range(members)
    ]
    for i in range(orders):
        OrderFactory(user=users[i % members], company=company, payment_method="on_account")
    return company


def list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(COMPANIES)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_list_shows_members_and_credit_in_constant_queries(manager_client):
    company_with(members=2, orders=2)
    small, body = list_queries(manager_client)
    assert "€24.00" in body and "€76.00" in body  # used and available of €100.00
    for _ in range(5):
        company_with(members=3, orders=4)
    large, _body = list_queries(manager_client)
    assert large == small


def test_the_list_searches_by_name_and_member_email_and_filters_by_group(manager_client):
    lumiere = CompanyFactory(name="Bistro Lumière")
    member = CompanyMemberFactory(company=lumiere, role="admin")
    other_group = WholesaleGroupFactory(name="Distributors", slug="distributors")
    CompanyFactory(name="Grossiste Nord", group=other_group)
    assert "Bistro Lumière" in manager_client.get(COMPANIES + "?q=lumi").content.decode()
    found = manager_client.get(COMPANIES, {"q": member.user.email}).content.decode()
    assert "Bistro Lumière" in found and "Grossiste Nord" not in found
    filtered = manager_client.get(COMPANIES, {"group__id__exact": other_group.pk})
    assert "Grossiste Nord" in filtered.content.decode()
    assert "Bistro Lumière" not in filtered.content.decode()


def change_data(company: Company, members: list[dict], **fields) -> dict:
    data = {
        "name": company.name,
        "vat_id": company.vat_id,
        "group": company.group_id,
        "payment_terms_days": company.payment_terms_days,
        "credit_limit": company.credit_limit,
        "members-TOTAL_FORMS": len(members),
        "members-INITIAL_FORMS": sum(1 for m in members if m.get("id")),
        "members-MIN_NUM_FORMS": 0,
        "members-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, member in enumerate(members):
        for name, value in member.items():
            data[f"members-{index}-{name}"] = value
        data[f"members-{index}-company"] = company.pk
    return data


def existing(member: CompanyMember, **changes) -> dict:
    return {
        "id": member.pk,
        "role": member.role,
        "spending_limit": member.spending_limit or "",
        **changes,
    }


def post_change(client, company, members, **fields):
    return client.post(f"{COMPANIES}{company.pk}/change/", change_data(company, members, **fields))


def errors_of(response) -> str:
    assert response.status_code == 200, "saved"
    return str(response.context["inline_admin_formsets"][0].formset.non_form_errors()) + str(
        [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms]
    )


def test_a_manager_adds_a_colleague_by_email_and_moves_the_company(manager_client):
    company = CompanyFactory()
    boss = CompanyMemberFactory(company=company, role="admin")
    colleague = UserFactory(email="anna@bistro.example")
    other_group = WholesaleGroupFactory(name="Distributors", slug="distributors")
    response = post_change(
        manager_client,
        company,
        [
            existing(boss),
            {"email": "ANNA@bistro.example", "role": "buyer", "spending_limit": "500.00"},
        ],
        group=other_group.pk,
    )
    assert response.status_code == 302, errors_of(response)
    member = CompanyMember.objects.get(user=colleague)
    assert member.company == company and member.spending_limit == Decimal("500.00")
    company.refresh_from_db()
    assert company.group == other_group


def test_an_unknown_email_or_a_member_of_another_company_is_refused(manager_client):
    company = CompanyFactory()
    boss = CompanyMemberFactory(company=company, role="admin")
    elsewhere = CompanyMemberFactory()
    for email, message in [
        ("nobody@example.com", "No account has this email address"),
        (elsewhere.user.email, "already belongs to another company"),
    ]:
        response = post_change(
            manager_client, company, [existing(boss), {"email": email, "role": "buyer"}]
        )
        assert message in errors_of(response)
    assert company.members.count() == 1


def test_the_last_company_admin_cannot_be_removed_or_demoted(manager_client):
    company = CompanyFactory()
    boss = CompanyMemberFactory(company=company, role="admin")
    buyer = CompanyMemberFactory(company=company)
    for members in (
        [existing(boss, role="buyer"), existing(buyer)],
        [existing(boss, DELETE="on"), existing(buyer)],
        [existing(boss, DELETE="on"), existing(buyer, DELETE="on")],
    ):
        response = post_change(manager_client, company, members)
        assert "at least one company admin" in errors_of(response)
    boss.refresh_from_db()
    assert boss.role == "admin" and company.members.count() == 2
    # Another admin first, then the first may step down.
    response = post_change(
        manager_client, company, [existing(boss, role="buyer"), existing(buyer, role="admin")]
    )
    assert response.status_code == 302


def test_terms_and_credit_limit_need_their_own_permission(manager_client, manager):
    company = CompanyFactory(payment_terms_days=30, credit_limit=Decimal("5000.00"))
    boss = CompanyMemberFactory(company=company, role="admin")
    response = post_change(
        manager_client, company, [existing(boss)], payment_terms_days=90, credit_limit="99999"
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.payment_terms_days, company.credit_limit) == (30, Decimal("5000.00"))

    manager.user_permissions.add(Permission.objects.get(codename="change_credit_terms"))
    response = post_change(
        manager_client, company, [existing(boss)], payment_terms_days=90, credit_limit="99999"
    )
    company.refresh_from_db()
    assert (company.payment_terms_days, company.credit_limit) == (90, Decimal("99999.00"))


def test_a_manager_never_manages_a_staff_accounts_membership(manager_client):
    company = CompanyFactory()
    boss = CompanyMemberFactory(company=company, role="admin")
    staff = StaffUserFactory(email="colleague@comptoir.example")
    response = post_change(
        manager_client, company, [existing(boss), {"email": staff.email, "role": "admin"}]
    )
    assert "superuser only" in errors_of(response)
    staff_member = CompanyMember.objects.create(company=company, user=staff, role="buyer")
    response = post_change(
        manager_client, company, [existing(boss), existing(staff_member, role="admin")]
    )
    assert "superuser only" in errors_of(response)
    response = post_change(
        manager_client, company, [existing(boss), existing(staff_member, DELETE="on")]
    )
    assert "superuser only" in errors_of(response)


def test_managers_cannot_delete_companies(manager_client):
    company = CompanyFactory()
    assert manager_client.get(f"{COMPANIES}{company.pk}/delete/").status_code == 403


@pytest.mark.parametrize("with_company", [True, False])
def test_the_order_admin_shows_the_company(manager_client, with_company):
    company = CompanyFactory(name="Bistro Lumière")
    user = CompanyMemberFactory(company=company, role="admin").user
    order = OrderFactory(user=user, company=company if with_company else None)
    body = manager_client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    assert ("Bistro Lumière" in body) is with_company
