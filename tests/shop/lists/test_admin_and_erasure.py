"""Managers read buyers' lists in the admin without changing them; an erased account's lists
are gone; the limits that keep a list usable."""

import pytest

from core.errors import Refusal
from shop.cart.lists import services
from shop.erasure import account_erase
from shop.models import SavedList
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    SavedListFactory,
    SavedListLineFactory,
    UserFactory,
    default_group,
)

pytestmark = pytest.mark.django_db


def test_a_manager_reads_a_list_in_the_admin_but_cannot_change_it(client, manager):
    line = SavedListLineFactory(saved_list__name="Weekly", note="kitchen")
    saved_list = line.saved_list
    listing = client.get("/admin/shop/savedlist/")
    assert listing.status_code == 200 and "Weekly" in listing.content.decode()
    page = client.get(f"/admin/shop/savedlist/{saved_list.pk}/change/")
    assert page.status_code == 200 and "kitchen" in page.content.decode()
    client.post(f"/admin/shop/savedlist/{saved_list.pk}/change/", {"name": "Mine"})
    saved_list.refresh_from_db()
    assert saved_list.name == "Weekly"
    assert client.get(f"/admin/shop/savedlist/{saved_list.pk}/delete/").status_code == 403
    assert client.get("/admin/shop/savedlist/add/").status_code == 403


def test_erasing_an_account_deletes_its_lists(db):
    user = UserFactory()
    SavedListLineFactory(saved_list__owner=user, note="call Marc on 06 12 34 56 78")
    kept = SavedListFactory()
    account_erase(user=user)
    assert list(SavedList.objects.all()) == [kept]


def test_a_buyer_keeps_at_most_100_lists(db, monkeypatch):
    user = UserFactory()
    monkeypatch.setattr(services, "MAX_LISTS_PER_OWNER", 2)
    services.saved_list_create(owner=user, name="One")
    services.saved_list_create(owner=user, name="Two")
    with pytest.raises(Refusal, match="at most 2 lists"):
        services.saved_list_create(owner=user, name="Three")


def test_a_list_holds_at_most_500_products_and_says_which_were_left_out(db, monkeypatch):
    user = UserFactory()
    monkeypatch.setattr(services, "MAX_LINES_PER_LIST", 2)
    category = CategoryFactory()
    products = [ProductFactory(category=category, name=f"P{n}") for n in range(3)]
    result = services.saved_list_add(
        owner=user,
        items=[(product.pk, 1) for product in products],
        group=default_group(),
        new_name="Big",
    )
    assert len(result.added) == 2
    assert result.skipped == ["P2: a list holds at most 2 products."]


def test_a_name_taken_at_the_same_moment_is_refused_not_a_500(db, monkeypatch):
    user = UserFactory()
    SavedListFactory(owner=user, name="Weekly")
    # The check before the insert saw nothing (a concurrent request): the constraint answers.
    monkeypatch.setattr(services, "_check_name_free", lambda **kwargs: None)
    with pytest.raises(Refusal, match="already have a list"):
        services.saved_list_create(owner=user, name="weekly")
    assert SavedList.objects.filter(owner=user).count() == 1
