from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from customers.permissions import SHOP_MANAGERS, grant_to_shop_managers
from tests.factories import (
    CustomerGroupFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)


@pytest.fixture
def retail(db):
    return default_group()


@pytest.fixture
def wholesale(db):
    return WholesaleGroupFactory(min_order_subtotal=Decimal("150.00"))


@pytest.fixture
def vip(db):
    return CustomerGroupFactory(name="VIP", slug="vip")


@pytest.fixture
def manager(db):
    """Staff in "Shop managers" with exactly the permissions the migrations grant."""
    grant_to_shop_managers(django_apps)
    user = StaffUserFactory(email="manager@example.com")
    user.groups.add(Group.objects.get(name=SHOP_MANAGERS))
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def customer(retail):
    return UserFactory(email="cleo@example.com", full_name="Cléo Client")


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (emails) as the block ends."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
