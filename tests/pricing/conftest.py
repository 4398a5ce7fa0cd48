import pytest
from django.contrib.auth.models import Group

from customers.permissions import SHOP_MANAGERS
from tests.factories import StaffUserFactory


@pytest.fixture
def manager(client):
    """Logged in as a manager whose permissions come only from the migration-made group."""
    user = StaffUserFactory(email="manager@example.com")
    user.groups.add(Group.objects.get(name=SHOP_MANAGERS))
    client.force_login(user)
    return user
