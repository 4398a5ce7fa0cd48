"""What the customers package derives from a request, for views, templates and admin.

Services and selectors never see a request: the web layer turns it into their arguments here."""

from django.views.decorators.cache import cache_control

from . import selectors
from .models import CustomerGroup

# Pages about one visitor (account, portal, orders, addresses): never kept by a shared cache
# nor by the browser's history, so they cannot be shown to the next person at that computer.
private_page = cache_control(private=True, no_store=True)


def group_for_request(request) -> CustomerGroup:
    """The group of the request's user, resolved once per request and cached on it (never in
    the session, so a group change applies from the next request on)."""
    group = getattr(request, "_customer_group", None)
    if group is None:
        group = request._customer_group = selectors.group_for(getattr(request, "user", None))
    return group


def site_url(request) -> str:
    """The site's root as this request reached it, without the trailing slash: the base of
    the links sent in emails."""
    return request.build_absolute_uri("/").rstrip("/")
