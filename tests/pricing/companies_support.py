"""Companies for pricing tests, built from the models directly (the companies' own factories
belong to the customers package)."""

from customers.companies.models import Company, CompanyMember
from tests.factories import UserFactory, default_group


def company_with(*users, name="Bistro Lumière", group=None) -> Company:
    """A company of ``group`` (the default group) whose members are ``users``."""
    company = Company.objects.create(name=name, group=group or default_group())
    for user in users:
        CompanyMember.objects.create(company=company, user=user)
    return company


def member_of(company: Company, **fields):
    """A new user who buys for ``company``, in the company's group unless told."""
    user = UserFactory(**{"group": company.group, **fields})
    CompanyMember.objects.create(company=company, user=user)
    return user
