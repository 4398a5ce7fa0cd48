"""The client address django-axes counts failures against, with and without a reverse proxy."""

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

from .subprocess_settings import read_settings

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
CLIENT_IP_SETTINGS = (
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "IPWARE_STRICT",
)


@pytest.fixture
def one_trusted_proxy(settings):
    """The settings that TRUSTED_PROXY_COUNT=1 in the environment produces."""
    values = read_settings(
        "config.settings.test", {"TRUSTED_PROXY_COUNT": "1"}, *CLIENT_IP_SETTINGS
    )
    for name, value in values.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)


def login(client, email, password, **meta):
    return client.post("/accounts/login/", {"username": email, "password": password}, **meta)


def fail_until_locked(client, settings, email, meta_for_attempt):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, email, "wrong-password", **meta_for_attempt(attempt))
    assert response.status_code == 429


def test_two_clients_behind_one_proxy_are_counted_separately(client, settings, one_trusted_proxy):
    UserFactory(email="buyer@example.com")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    fail_until_locked(client, settings, "buyer@example.com", lambda _n: attacker)

    buyer = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.20"}
    assert login(client, "buyer@example.com", DEFAULT_PASSWORD, **buyer).status_code == 302
    client.logout()
    assert login(client, "buyer@example.com", DEFAULT_PASSWORD, **attacker).status_code == 429


def test_behind_a_proxy_the_client_cannot_choose_its_address(client, settings, one_trusted_proxy):
    """The proxy appends the real peer; what the client wrote to the left is ignored."""
    UserFactory(email="buyer@example.com")
    fail_until_locked(
        client,
        settings,
        "buyer@example.com",
        lambda n: {
            "REMOTE_ADDR": PROXY,
            "HTTP_X_FORWARDED_FOR": f"192.0.2.{n + 1}, 198.51.100.7",
        },
    )
    spoofed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.99, 198.51.100.7"}
    assert login(client, "buyer@example.com", DEFAULT_PASSWORD, **spoofed).status_code == 429
    # A client whose own proxy already wrote the header is still told apart by its address.
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.99, 203.0.113.20"}
    assert login(client, "buyer@example.com", DEFAULT_PASSWORD, **other).status_code == 302


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, settings):
    UserFactory(email="buyer@example.com")
    fail_until_locked(
        client,
        settings,
        "buyer@example.com",
        lambda n: {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n + 1}"},
    )
    spoofed = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "192.0.2.200"}
    assert login(client, "buyer@example.com", DEFAULT_PASSWORD, **spoofed).status_code == 429
    assert (
        login(client, "buyer@example.com", DEFAULT_PASSWORD, REMOTE_ADDR="203.0.113.20").status_code
        == 302
    )


def test_trusted_proxy_count_comes_from_the_environment():
    default = read_settings("config.settings.test", {}, *CLIENT_IP_SETTINGS)
    assert default["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]
    two = read_settings("config.settings.test", {"TRUSTED_PROXY_COUNT": "2"}, *CLIENT_IP_SETTINGS)
    assert two["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR"]
    assert two["AXES_IPWARE_PROXY_COUNT"] == 1
