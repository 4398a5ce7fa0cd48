"""The card payment provider (django-payments), chosen from the environment.

SHOP_CARD_PROVIDER names it: "dummy" (a page where you choose the outcome: development,
tests, the demo; never a real shop), "stripe" (Stripe Checkout, needs the `stripe` package,
STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET), or empty: no card payment is offered."""

from importlib.util import find_spec

from django.core.exceptions import ImproperlyConfigured

CARD_VARIANT = "card"
PROVIDERS = ("", "dummy", "stripe")


def payment_variants(env, *, default_provider: str) -> tuple[str, dict]:
    """(the provider's name, PAYMENT_VARIANTS for django-payments)."""
    provider = env("SHOP_CARD_PROVIDER", default=default_provider).strip().lower()
    if provider not in PROVIDERS:
        raise ImproperlyConfigured("SHOP_CARD_PROVIDER must be dummy, stripe or empty.")
    if provider == "dummy":
        return provider, {CARD_VARIANT: ("payments.dummy.DummyProvider", {})}
    if provider == "stripe":
        secret = env("STRIPE_SECRET_KEY", default="")
        webhook_secret = env("STRIPE_WEBHOOK_SECRET", default="")
        if find_spec("stripe") is None:
            raise ImproperlyConfigured(
                "SHOP_CARD_PROVIDER=stripe needs the stripe package: pip install stripe."
            )
        if not secret or not webhook_secret:
            raise ImproperlyConfigured(
                "SHOP_CARD_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET."
            )
        return provider, {
            CARD_VARIANT: (
                "payments.stripe.StripeProviderV3",
                {"api_key": secret, "endpoint_secret": webhook_secret, "secure_endpoint": True},
            )
        }
    return provider, {}
