import re

import pytest
from django.core import mail

from tests.factories import CompanyFactory, CompanyMemberFactory, UserFactory

JOIN_LINK = re.compile(r"https?://[^/\s]+(/portal/company/join/[A-Za-z0-9_-]+/)")


def join_link(to: str) -> str:
    """The path of the last invitation link emailed to `to`."""
    for message in reversed(mail.outbox):
        if message.to == [to] and (found := JOIN_LINK.search(message.body)):
            return found.group(1)
    raise AssertionError(f"no invitation sent to {to}")


@pytest.fixture
def company(db):
    return CompanyFactory(name="Bistro Lumière")


@pytest.fixture
def admin(company):
    user = UserFactory(email="wendy@example.com", full_name="Wendy Admin", group=company.group)
    return CompanyMemberFactory(company=company, role="admin", user=user).user


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client
