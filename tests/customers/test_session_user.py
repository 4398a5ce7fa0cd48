"""The user of each logged-in request is read with the group, company and country the shop
prices them by, in one query, and read afresh on every request."""

import pytest
from django.contrib.auth import get_user
from django.test import Client

from customers import selectors
from customers.backends import CustomerBackend
from customers.models import CustomerProfile, User
from tests.factories import (
    AddressFactory,
    CompanyMemberFactory,
    CustomerGroupFactory,
    UserFactory,
    default_group,
)

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_group_and_country_in_one_query(django_assert_num_queries):
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    customer = UserFactory(group=vip)
    AddressFactory(user=customer, country="DE")
    with django_assert_num_queries(1):
        user = CustomerBackend().get_user(customer.pk)
        assert selectors.group_and_country_for(user) == (vip, "DE")
    assert user == customer and user.email == customer.email


def test_a_company_member_buys_as_the_company_s_group(django_assert_num_queries):
    member = CompanyMemberFactory()
    CustomerProfile.objects.filter(user=member.user).update(group=default_group())
    with django_assert_num_queries(1):
        user = CustomerBackend().get_user(member.user_id)
        group, country = selectors.group_and_country_for(user)
    assert group == member.company.group and country is None
    assert selectors.membership_of(user).company == member.company


def test_an_account_without_a_profile_buys_as_the_default_group():
    account = User.objects.create_user(email="made-in-admin@example.com", password="x" * 12)
    user = CustomerBackend().get_user(account.pk)
    assert user == account
    assert selectors.group_and_country_for(user) == (default_group(), None)


def test_an_unknown_or_deactivated_account_is_no_user():
    customer = UserFactory()
    assert CustomerBackend().get_user(customer.pk + 1000) is None
    User.objects.filter(pk=customer.pk).update(is_active=False)
    assert CustomerBackend().get_user(customer.pk) is None


def test_a_deactivated_customer_is_logged_out_on_the_next_request():
    customer = UserFactory()
    client = Client()
    client.force_login(customer)
    assert client.get("/accounts/").status_code == 200
    User.objects.filter(pk=customer.pk).update(is_active=False)
    assert client.get("/accounts/").status_code == 302


def test_a_group_change_shows_on_the_next_request(rf):
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    customer = UserFactory()
    client = Client()
    client.force_login(customer)
    request = rf.get("/")
    request.session = client.session
    assert selectors.group_and_country_for(get_user(request))[0] == default_group()
    CustomerProfile.objects.filter(user=customer).update(group=vip)
    assert selectors.group_and_country_for(get_user(request))[0] == vip
