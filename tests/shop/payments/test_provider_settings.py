"""The card provider is chosen from the environment (config/payments.py)."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from config.payments import payment_variants


def variants(monkeypatch, default="dummy", **values):
    for name in ("SHOP_CARD_PROVIDER", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return payment_variants(environ.Env(), default_provider=default)


def test_the_dummy_provider_by_default(monkeypatch):
    assert variants(monkeypatch) == ("dummy", {"card": ("payments.dummy.DummyProvider", {})})


def test_production_offers_no_card_until_a_provider_is_named(monkeypatch):
    assert variants(monkeypatch, default="") == ("", {})


def test_stripe_from_its_keys(monkeypatch):
    monkeypatch.setattr("config.payments.find_spec", lambda name: object())
    name, found = variants(
        monkeypatch,
        SHOP_CARD_PROVIDER="stripe",
        STRIPE_SECRET_KEY="sk_test_x",
        STRIPE_WEBHOOK_SECRET="whsec_y",
    )
    assert name == "stripe"
    assert found["card"] == (
        "payments.stripe.StripeProviderV3",
        {"api_key": "sk_test_x", "endpoint_secret": "whsec_y", "secure_endpoint": True},
    )


@pytest.mark.parametrize(
    "values",
    [
        {"SHOP_CARD_PROVIDER": "paypal"},
        {"SHOP_CARD_PROVIDER": "stripe"},
        {"SHOP_CARD_PROVIDER": "stripe", "STRIPE_SECRET_KEY": "sk_test_x"},
    ],
)
def test_a_provider_misconfigured_stops_the_start(monkeypatch, values):
    monkeypatch.setattr("config.payments.find_spec", lambda name: object())
    with pytest.raises(ImproperlyConfigured):
        variants(monkeypatch, **values)


def test_stripe_without_its_package_stops_the_start(monkeypatch):
    monkeypatch.setattr("config.payments.find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match="stripe package"):
        variants(
            monkeypatch,
            SHOP_CARD_PROVIDER="stripe",
            STRIPE_SECRET_KEY="sk_test_x",
            STRIPE_WEBHOOK_SECRET="whsec_y",
        )
