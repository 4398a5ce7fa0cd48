"""The demo shows a pending invitation on Bistro Lumière's colleagues page."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from customers.companies.models import CompanyInvitation
from customers.models import User

pytestmark = pytest.mark.django_db


def seed():
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", products=12, stdout=quiet)


def test_the_demo_has_one_pending_invitation_and_a_second_run_keeps_it(client):
    seed()
    invitation = CompanyInvitation.objects.get()
    seed()
    assert list(CompanyInvitation.objects.all()) == [invitation]
    assert invitation.is_pending() and invitation.role == "buyer"
    assert invitation.company.name == "Bistro Lumière"
    assert invitation.invited_by.email == "wholesale@example.com"

    client.force_login(User.objects.get(email="wholesale@example.com"))
    page = client.get("/portal/company/").content.decode()
    assert "chef@example.com" in page and "Send again" in page


def test_a_run_after_the_invitation_expired_gives_it_a_new_life():
    seed()
    CompanyInvitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    seed()
    assert CompanyInvitation.objects.get().is_pending()
