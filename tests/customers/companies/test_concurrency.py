"""Two company admins demote each other at the same moment (PostgreSQL only): with the company
lock off, both succeed and the company is left without an admin; with it on, the second
waits, then finds that he is no longer an admin and is refused."""

import threading
import time

import pytest

from core.errors import Refusal
from customers.companies import services
from customers.companies.models import Company, CompanyMember
from tests.factories import CompanyFactory, CompanyMemberFactory
from tests.shop.orders.test_concurrency import TIMEOUT, default_group, in_parallel  # noqa: F401

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_admins(default_group):  # noqa: F811
    company = CompanyFactory()
    first = CompanyMemberFactory(company=company, role="admin")
    second = CompanyMemberFactory(company=company, role="admin")
    CompanyMemberFactory(company=company, role="buyer")
    return company, first, second


def after_the_check(monkeypatch, hook):
    """Call `hook()` inside the update, once it changed the role and checked that an admin is
    left, before the transaction commits."""
    real = services._check_has_admin

    def check_has_admin(company, **kwargs):
        real(company, **kwargs)
        hook()

    monkeypatch.setattr(services, "_check_has_admin", check_has_admin)


def demote_each_other(first, second):
    pairs = [(first, second), (second, first)]

    def demote(index):
        actor, target = pairs[index]
        try:
            services.company_member_update(
                member=target, role="buyer", spending_limit=None, by=actor.user
            )
        except Refusal as refusal:
            return str(refusal.message)
        return "demoted"

    return in_parallel(2, demote)


def admins_of(company):
    return CompanyMember.objects.filter(company=company, role="admin").count()


def test_without_the_company_lock_two_admins_demoting_each_other_leave_none(
    two_admins, monkeypatch
):
    company, first, second = two_admins
    monkeypatch.setattr(services, "lock_row", lambda queryset: queryset.first())
    both_have_checked = threading.Barrier(2, timeout=TIMEOUT)
    after_the_check(monkeypatch, both_have_checked.wait)

    results, errors = demote_each_other(first, second)

    assert errors == []
    assert results == ["demoted", "demoted"]
    assert admins_of(company) == 0


def test_with_the_company_lock_one_admin_is_left(two_admins, monkeypatch):
    company, first, second = two_admins
    after_the_check(monkeypatch, lambda: time.sleep(0.3))  # hold the lock a little longer

    results, errors = demote_each_other(first, second)

    assert errors == []
    assert sorted(results) == ["Only a company admin can do this.", "demoted"]
    assert admins_of(company) == 1
    assert Company.objects.filter(pk=company.pk).exists()
