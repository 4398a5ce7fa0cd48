"""Companies as the buyer: a member's group, terms, credit and VAT standing are the company's,
the credit is shared by every member, approval makes the company, the data migration makes
one-member companies of existing trade profiles."""

import importlib
from decimal import Decimal

from django.apps import apps

from customers import selectors, services
from customers.models import Company, CompanyMember, CustomerProfile
from shop.orders import selectors as order_selectors
from shop.tax import selectors as tax_selectors
from shop.tax import vat
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    OrderFactory,
    UserFactory,
    WholesaleApplicationFactory,
    WholesaleGroupFactory,
)


def test_group_for_tells_the_company_in_the_same_query(db, django_assert_num_queries):
    member = CompanyMemberFactory().user
    loner = UserFactory()
    from customers.companies.selectors import company_id_for

    with django_assert_num_queries(1):
        selectors.group_for(member)
        assert company_id_for(member) == member.company_membership.company_id
    with django_assert_num_queries(1):
        selectors.group_for(loner)
        assert company_id_for(loner) is None


def test_a_members_cancelled_or_paid_orders_free_the_companys_credit(db):
    member = CompanyMemberFactory()
    colleague = CompanyMemberFactory(company=member.company)
    OrderFactory(user=member.user, company=member.company, payment_method="on_account")
    OrderFactory(
        user=member.user, company=member.company, payment_method="on_account", status="cancelled"
    )
    OrderFactory(user=colleague.user, payment_method="on_account", paid_at="2026-01-01T00:00Z")
    OrderFactory(user=UserFactory(), payment_method="on_account")  # someone else's
    assert order_selectors.credit_status(user=colleague.user).used == Decimal("12.00")


def test_a_member_of_a_german_company_with_a_valid_vat_id_buys_reverse_charged(db):
    company = CompanyFactory(name="Müller GmbH", vat_id="DE136695976")
    member = CompanyMemberFactory(company=company).user
    CustomerProfile.objects.filter(user=member).update(company_name="", vat_id="")
    assert tax_selectors.vat_buyer(member) == vat.Buyer(vat_country="DE")
    company.vat_check_result = "invalid"
    company.save()
    assert tax_selectors.vat_buyer(member) == vat.CONSUMER
    assert tax_selectors.vat_number_rejected(member)


# Approving an application -----------------------------------------------------------------


def test_approving_an_application_makes_the_applicant_admin_of_a_new_company(db):
    wholesale = WholesaleGroupFactory()
    application = WholesaleApplicationFactory(company_name="Bistro Lumière", vat_id="FR40303265045")
    services.application_approve(application=application, decided_by=None, group=wholesale)
    member = CompanyMember.objects.select_related("company").get(user=application.user)
    assert member.role == "admin"
    company = member.company
    assert (company.name, company.vat_id, company.group) == (
        "Bistro Lumière",
        "FR40303265045",
        wholesale,
    )
    assert company.payment_terms_days == 30 and company.credit_limit == Decimal("5000.00")


def test_an_applicant_with_the_vat_id_of_a_company_joins_it_as_a_buyer(db):
    wholesale = WholesaleGroupFactory()
    company = CompanyFactory(vat_id="FR40303265045", group=wholesale)
    CompanyMemberFactory(company=company, role="admin")
    application = WholesaleApplicationFactory(vat_id="fr 403 032 650 45")
    services.application_approve(application=application, decided_by=None, group=wholesale)
    member = CompanyMember.objects.get(user=application.user)
    assert member.company == company and member.role == "buyer"
    assert Company.objects.count() == 1


# The data migration -----------------------------------------------------------------------


def test_the_migration_makes_one_member_companies_of_trade_profiles(db):
    migration = importlib.import_module(
        "customers.migrations.0008_company_vat_check_and_trade_profiles"
    )
    wholesale = WholesaleGroupFactory()
    trade = UserFactory(group=wholesale)
    CustomerProfile.objects.filter(user=trade).update(
        company_name="Atelier Martin",
        vat_id="FR40303265045",
        vat_check_result="valid",
        payment_terms_days=60,
        credit_limit=Decimal("1200.00"),
    )
    retail_with_company = UserFactory()
    CustomerProfile.objects.filter(user=retail_with_company).update(company_name="Me SARL")
    trade_without_company = UserFactory(group=wholesale)
    already = CompanyMemberFactory()
    CustomerProfile.objects.filter(user=already.user).update(company_name="Old name")

    migration.trade_profiles_to_companies(apps, None)
    migration.trade_profiles_to_companies(apps, None)  # again: nothing more

    member = CompanyMember.objects.select_related("company").get(user=trade)
    company = member.company
    assert member.role == "admin" and company.members.count() == 1
    assert (company.name, company.vat_id, company.vat_check_result) == (
        "Atelier Martin",
        "FR40303265045",
        "valid",
    )
    assert company.group == wholesale
    assert (company.payment_terms_days, company.credit_limit) == (60, Decimal("1200.00"))
    assert not CompanyMember.objects.filter(user__in=[retail_with_company, trade_without_company])
    assert Company.objects.count() == 2


def test_the_portal_and_the_account_page_show_the_company_role_and_credit(client, db):
    company = CompanyFactory(
        name="Bistro Lumière", payment_terms_days=45, credit_limit=Decimal("1000.00")
    )
    admin = CompanyMemberFactory(company=company, role="admin").user
    approver = CompanyMemberFactory(company=company, role="approver").user
    OrderFactory(user=admin, company=company, payment_method="on_account")
    client.force_login(approver)
    portal = client.get("/portal/").content.decode()
    for expected in ("Bistro Lumière", "Approver", "45 days net", "€12.00", "€988.00"):
        assert expected in portal, expected
    account = client.get("/accounts/").content.decode()
    assert 'class="company-name">Bistro Lumière<' in account
    assert 'class="company-role">Approver<' in account and "45 days" in account
