"""Sessions read in plain SQL behave as Django's database sessions."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_stored_session_is_read_back():
    store = SessionStore()
    store["cart"] = 7
    store.create()
    assert SessionStore(session_key=store.session_key)["cart"] == 7


def test_an_expired_or_unknown_session_reads_as_empty_and_gets_a_new_key():
    store = SessionStore()
    store["cart"] = 7
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=store.session_key)
    assert "cart" not in expired and expired.session_key is None
    unknown = SessionStore(session_key="x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None


def test_a_logged_in_customer_stays_logged_in_across_pages(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    assert client.get("/accounts/").wsgi_request.user == user
    assert client.get("/").wsgi_request.user == user


def stored_session_changed() -> SessionStore:
    """A session stored with cart 7, loaded again by its key and changed to cart 8."""
    store = SessionStore()
    store["cart"] = 7
    store.create()
    store = SessionStore(session_key=store.session_key)
    store["cart"] = 8
    return store


def test_a_changed_session_is_written_in_one_query():
    store = stored_session_changed()
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert [query["sql"].split()[0] for query in queries] == ["UPDATE"]
    assert SessionStore(session_key=store.session_key)["cart"] == 8


def test_a_session_deleted_meanwhile_is_not_written_back():
    store = stored_session_changed()
    Session.objects.filter(pk=store.session_key).delete()
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()
