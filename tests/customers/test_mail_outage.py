"""With the mail server down, sign-up and trade applications still succeed, never HTTP 500."""

import pytest

from customers.models import User, WholesaleApplication
from tests.customers.test_applications import APPLICATION, GUEST
from tests.mail import DOWN

pytestmark = pytest.mark.django_db


def test_a_guest_applies_for_a_trade_account_while_the_mail_server_is_down(
    client, settings, retail, commit
):
    settings.EMAIL_BACKEND = DOWN
    with commit():
        response = client.post("/wholesale/apply/", {**GUEST, **APPLICATION})
    assert response.status_code == 302
    assert WholesaleApplication.objects.get().user == User.objects.get(email="lucie@bistro.example")
