import os

import pytest
from django.core import mail
from django.core.management import call_command

from shop.models import Quote

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_has_one_offer_for_wholesale_and_a_second_run_changes_nothing(client):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        call_command("seed_demo", stdout=quiet)
    [quote] = Quote.objects.filter(buyer__email="wholesale@example.com")
    assert quote.state == "offered" and quote.valid_until is not None
    assert all(line.unit_price is not None for line in quote.lines.all())
    assert [event.kind for event in quote.events.all()] == ["requested", "offered"]
    assert not [m for m in mail.outbox if quote.number in m.subject]
    client.force_login(quote.buyer)
    assert "Accept and check out" in client.get(f"/portal/quotes/{quote.number}/").content.decode()
