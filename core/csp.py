"""django-csp's middleware, building the Content-Security-Policy header once per process.

django-csp builds the header anew for every response, though it changes only with a nonce, a
view's own policy (its decorators) or the settings. The shop uses none of the first two: while
a response asks for neither, it gets the header built from the settings, kept until a setting
changes. Any other response goes through django-csp unchanged."""

from functools import lru_cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, PolicyParts
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's decorators set on its response when it has a policy of its own.
_OWN_POLICY = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        if not _settings_alone() or _own_policy(request, response):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages, as django-csp leaves them
        header = _settings_header()
        if header and HEADER not in response:
            response[HEADER] = header
        # As django-csp does: a nonce asked for once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _own_policy(request, response) -> bool:
    return getattr(request, "_csp_nonce", None) is not None or any(
        hasattr(response, name) for name in _OWN_POLICY
    )


@lru_cache(maxsize=1)
def _settings_alone() -> bool:
    """Whether the settings' policy is the same for every request: one policy, enforced, that
    excludes no address."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return not policy.get("EXCLUDE_URL_PREFIXES") and not getattr(
        settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
    )


@lru_cache(maxsize=1)
def _settings_header() -> str:
    return build_policy(**vars(PolicyParts()))


@receiver(setting_changed)
def _forget_the_policy(**_kwargs) -> None:
    _settings_alone.cache_clear()
    _settings_header.cache_clear()
