"""Invitations in the managers' admin: read only, on their company's page and in their own
list, where a manager may revoke pending ones; never added or deleted there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.companies import services
from customers.companies.models import CompanyInvitation

pytestmark = pytest.mark.django_db

INVITATIONS = "/admin/customers/companyinvitation/"


@pytest.fixture
def sent(company, admin):
    return services.company_invitation_create(
        company=company, by=admin, email="chef@example.com", role="approver"
    )


def test_the_company_page_shows_its_pending_invitations(manager_client, company, sent):
    page = manager_client.get(f"/admin/customers/company/{company.pk}/change/").content.decode()
    assert "chef@example.com (Approver)" in page
    assert f"{INVITATIONS}?company__id__exact={company.pk}" in page
    assert sent.token not in page and sent.invitation.token_hash not in page


def test_the_list_filters_by_company_and_shows_the_state(manager_client, company, sent, admin):
    other = services.company_invitation_create(
        company=company, by=admin, email="late@example.com", role="buyer"
    )
    CompanyInvitation.objects.filter(pk=other.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = manager_client.get(INVITATIONS, {"company__id__exact": company.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "chef@example.com" in page and "Pending" in page
    assert "late@example.com" in page and "Expired" in page


def test_a_manager_revokes_an_invitation_and_its_link_stops(manager_client, client, sent):
    response = manager_client.post(
        INVITATIONS,
        {"action": "revoke_invitations", "_selected_action": [sent.invitation.pk]},
        follow=True,
    )
    assert "1 invitation revoked" in response.content.decode()
    assert client.get(f"/portal/company/join/{sent.token}/").status_code == 410


def test_invitations_are_never_added_edited_or_deleted_in_the_admin(manager_client, sent):
    invitation = sent.invitation
    assert manager_client.get(f"{INVITATIONS}add/").status_code == 403
    assert manager_client.get(f"{INVITATIONS}{invitation.pk}/delete/").status_code == 403
    change = manager_client.get(f"{INVITATIONS}{invitation.pk}/change/")
    assert change.status_code == 200
    assert 'name="email"' not in change.content.decode()
    manager_client.post(f"{INVITATIONS}{invitation.pk}/change/", {"email": "evil@example.com"})
    invitation.refresh_from_db()
    assert invitation.email == "chef@example.com"
