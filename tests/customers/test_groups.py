"""Exactly one default group; everyone has a group; changes apply on the next request."""

import pytest
from django.db import IntegrityError, transaction

from customers import selectors, services
from customers.models import CustomerGroup, CustomerProfile
from tests.factories import CustomerGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def defaults():
    return list(CustomerGroup.objects.filter(is_default=True).values_list("slug", flat=True))


def test_a_migration_creates_retail_as_the_one_default_group():
    assert defaults() == ["retail"]


def test_the_database_refuses_a_second_default_group(retail):
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerGroupFactory(is_default=True)
    assert defaults() == ["retail"]


def test_group_set_default_moves_the_flag_so_exactly_one_remains(retail, vip):
    services.group_set_default(group=vip)
    assert defaults() == ["vip"]
    services.group_set_default(group=vip)  # idempotent
    assert defaults() == ["vip"]
    services.group_set_default(group=retail)
    assert defaults() == ["retail"]


def test_at_most_one_group_receives_applications(wholesale, vip):
    services.group_set_application_target(group=wholesale)
    services.group_set_application_target(group=vip)
    assert list(CustomerGroup.objects.filter(receives_applications=True)) == [vip]
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerGroup.objects.filter(pk=wholesale.pk).update(receives_applications=True)


def test_guests_accounts_without_profile_and_new_accounts_are_in_the_default_group(retail):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.group_for(AnonymousUser()) == retail
    assert selectors.group_for(None) == retail
    bare = UserFactory()
    bare.profile.delete()
    assert selectors.group_for(bare) == retail
    created = services.user_create(email="New@Example.com", password="x-long-password")
    assert created.email == "new@example.com"
    assert created.profile.group == retail


def test_each_customer_has_exactly_one_group_on_their_profile(vip):
    user = UserFactory(group=vip)
    assert selectors.group_for(user) == vip
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerProfile.objects.create(user=user, group=vip)


def test_a_group_change_shows_on_the_very_next_request(client, retail, vip):
    user = UserFactory()
    client.force_login(user)
    assert "Retail" in client.get("/accounts/").content.decode()
    services.customer_move_to_group(user_ids=[user.pk], group=vip)
    body = client.get("/accounts/").content.decode()
    assert '<dd class="customer-group">VIP</dd>' in body
    services.customer_move_to_group(user_ids=[user.pk], group=retail)
    assert '<dd class="customer-group">Retail</dd>' in client.get("/accounts/").content.decode()


def test_move_to_group_can_apply_the_groups_terms_and_creates_missing_profiles(wholesale):
    kept = UserFactory()
    kept.profile.payment_terms_days = 7
    kept.profile.save()
    bare = UserFactory()
    bare.profile.delete()
    assert services.customer_move_to_group(user_ids=[kept.pk], group=wholesale) == 1
    kept.profile.refresh_from_db()
    assert (kept.profile.group, kept.profile.payment_terms_days) == (wholesale, 7)
    services.customer_move_to_group(
        user_ids=[kept.pk, bare.pk], group=wholesale, apply_group_terms=True
    )
    for user in (kept, bare):
        profile = CustomerProfile.objects.get(user=user)
        assert profile.group == wholesale
        assert profile.payment_terms_days == wholesale.default_payment_terms_days
        assert profile.credit_limit == wholesale.default_credit_limit
