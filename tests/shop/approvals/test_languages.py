"""Approval emails reach each person in the language they chose, whoever clicked."""

import pytest
from django.core import mail
from django.test import Client

from customers.models import CustomerProfile
from shop.models import OrderApproval

from .conftest import at_review, submit

pytestmark = pytest.mark.django_db


def prefers(user, language):
    CustomerProfile.objects.filter(user=user).update(language=language)


def test_each_decider_reads_the_request_in_their_language(
    shop_products, bistro, django_capture_on_commit_callbacks
):
    pan, _pot = shop_products
    prefers(bistro.admin, "fr")
    prefers(bistro.approver, "ar")
    client = Client()
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, key, total)

    by_recipient = {email.to[0]: email for email in mail.outbox}
    assert sorted(by_recipient) == sorted([bistro.admin.email, bistro.approver.email])
    assert "attend votre approbation" in by_recipient[bistro.admin.email].subject
    assert "بانتظار موافقتك" in by_recipient[bistro.approver.email].subject


def test_the_buyer_reads_the_decision_in_his_language(
    shop_products, bistro, django_capture_on_commit_callbacks
):
    pan, _pot = shop_products
    prefers(bistro.buyer, "ar")
    buyer = Client()
    _review, key, total = at_review(buyer, bistro.buyer, pan, 40, bistro.freight)
    submit(buyer, key, total)
    number = OrderApproval.objects.get().number
    mail.outbox.clear()
    admin = Client()
    admin.force_login(bistro.admin)
    admin.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/portal/approvals/{number}/reject/", {"reason": "Trop de poêles"})
    [email] = mail.outbox
    assert email.to == [bistro.buyer.email]
    assert "تم رفض طلبك" in email.subject
