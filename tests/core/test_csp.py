"""The Content-Security-Policy header, built once per process from the settings, is the one
django-csp builds for every response: on every page, after a setting changes, and still
django-csp's own for a view with a policy of its own or a page that asks for a nonce."""

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from core.csp import CSPMiddleware

pytestmark = pytest.mark.django_db


def both(view, path="/"):
    """The header of `view`'s response through our middleware and through django-csp's."""
    headers = []
    for middleware_class in (CSPMiddleware, DjangoCSPMiddleware):
        request = RequestFactory().get(path)
        middleware = middleware_class(view)
        headers.append(middleware(request).get("Content-Security-Policy"))
    return headers


def plain(_request):
    return HttpResponse("page")


def test_every_page_carries_the_settings_policy(client):
    ours, djangos = both(plain)
    assert ours == djangos
    assert "script-src 'self'" in ours and "frame-ancestors 'none'" in ours
    for path in ("/", "/cart/", "/accounts/login/", "/no-such-page/"):
        assert client.get(path)["Content-Security-Policy"] == ours


def test_a_changed_policy_shows_on_the_next_response(settings):
    both(plain)
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "img-src": ["'self'", "https://images.example"]}
    }
    ours, djangos = both(plain)
    assert "img-src 'self' https://images.example" in ours
    assert ours == djangos


def test_a_view_with_a_policy_of_its_own_gets_django_csps_header():
    updated = csp_update({"img-src": "https://maps.example"})(plain)
    ours, djangos = both(updated)
    assert "https://maps.example" in ours and ours == djangos
    assert both(csp_exempt()(plain)) == [None, None]


def test_a_page_asking_for_a_nonce_gets_it_in_its_header(settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "script-src": ["'self'", NONCE]}
    }

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    response = CSPMiddleware(with_nonce)(RequestFactory().get("/"))
    nonce = response.content.decode()
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
