"""Whole storefront pages, rendered once for everyone who would see exactly the same page and
kept, compressed, in the "pages" cache; the CSRF token and the visitor's own parts are filled
per request.

A visitor's own parts (their saved lists) are marked in the kept page and rendered each time
it is served (`shop.templatetags.visitor_parts`). A page is kept under a key of everything
else it shows:
- the view, its arguments and its query string (only when every parameter is one the view
  reads, each given once: a made-up address is rendered, never kept, so nobody can fill the
  cache or plant a page under another address);
- the language, whether the viewer is logged in, and every setting of their group;
- their pricing context (`pricing.context.viewer_key`: the rules, the windows passed, the
  display basis, the customer or company when they have rules of their own);
- the storefront version (`models.StorefrontVersion`) and whatever the view adds (a product
  page adds the stock it shows).
Never kept: a page with a message for the viewer, a method other than GET and HEAD, a reply
other than 200 or one that sets a cookie. An entry lives `SHOP_PAGE_CACHE_SECONDS` at most and
never past the next start or end of a rule's window.
"""

import json
import re
import zlib
from collections import Counter
from functools import wraps
from hashlib import blake2b

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.translation import get_language

from customers.web import (
    default_country_for_request,
    group_for_request,
    load_session_user,
    remember_guest_group,
    session_user_to_load,
)
from pricing import context as pricing_context
from pricing import services as pricing_services
from shop.cart.lists import selectors as list_selectors

from .models import CartRead, KeyRow, StorefrontVersion, Versions

# Rendered where a kept page's forms carry their CSRF token (see shop.context_processors).
CSRF_PLACEHOLDER = "csrf-token-filled-per-request"
NOT_KEPT = object()  # what an `extra` returns for a request whose page must not be kept
SHORTEST_LIFE = 1  # seconds: an entry expiring sooner is not worth writing

VISITOR_PART = re.compile(rb"<!--visitor-part (\{.*?\})-->")

statistics: Counter = Counter()  # "hit", "miss", "not kept", per process


def kept_page(
    *,
    params: tuple[str, ...] = (),
    extra=None,
    row: KeyRow | None = None,
    saved_lists: bool = False,
    live=None,
):
    """Serve the decorated storefront view from the page cache when the same page was rendered
    for the same context. `params`: the query parameters the view reads. `extra(request, found,
    *args, **kwargs)`: what else the page shows that the key must hold, or NOT_KEPT; `found` is
    the `row` it asks for (read with the versions), None without one. `live(request, found,
    body)`: the kept page's body with what it shows of `found` brought up to date, so the key
    need not hold it (a product's stock count, which every sale changes). `saved_lists`: the
    page's own part shows the customer's saved lists, read with the versions too."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = page_key(
                request, view.__qualname__, args, kwargs, params, extra, row, saved_lists
            )
            if key is None:
                statistics["not kept"] += 1
                return view(request, *args, **kwargs)
            kept = caches["pages"].get(key)
            if kept is not None:
                statistics["hit"] += 1
                content_type, compressed = kept
                body = zlib.decompress(compressed)
                if live is not None:
                    body = live(request, versions_for(request).row, body)
                return _personal(request, HttpResponse(body, content_type=content_type))
            statistics["miss"] += 1
            request.page_cache_filling = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.page_cache_filling = False
            _keep(key, response)
            return _personal(request, response)

        wrapper.reads_with_versions = (row, saved_lists)  # see middleware
        return wrapper

    return decorator


def page_key(request, name, args, kwargs, params, extra, row=None, saved_lists=False) -> str | None:
    """The cache key of this request's page, or None when it must not be kept."""
    if not settings.SHOP_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    if any(key not in params or len(request.GET.getlist(key)) > 1 for key in request.GET):
        return None
    if len(get_messages(request)):
        return None
    versions = versions_for(
        request, row, kwargs[row.match] if row is not None else None, saved_lists=saved_lists
    )
    user = request.user
    customer = user if user.is_authenticated else None
    added = extra(request, versions.row, *args, **kwargs) if extra is not None else ()
    if added is NOT_KEPT:
        return None
    group = group_for_request(request)
    parts = (
        name,
        args,
        sorted(kwargs.items()),
        sorted(request.GET.items()),
        get_language(),
        customer is not None,
        tuple(getattr(group, field.attname) for field in group._meta.concrete_fields),
        pricing_context.viewer_key(
            customer=customer, group=group, country=default_country_for_request(request)
        ),
        versions.storefront,
        added,
    )
    return "page:" + blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def versions_for(
    request,
    row: KeyRow | None = None,
    value=None,
    saved_lists: bool = False,
    cart_of: tuple[str, object] | None = None,
) -> Versions:
    """This request's versions (`StorefrontVersion.read`, with `row`, the customer's saved
    lists and the cart `cart_of` when asked), read once; their pricing state serves the
    request's pricing (`use_request_state`), the lists its "add to list" forms
    (`remember_choices`). The session's account, while not yet read, and a guest's group
    come with them."""
    read = getattr(request, "_shop_versions", None)
    if read is not None and (
        read[0] == (row, value, saved_lists, cart_of)
        or (row, saved_lists, cart_of) == (None, False, None)
    ):
        return read[1]
    user_id = session_user_to_load(request)
    customer_id = user_id if user_id is not None else request.user.pk
    versions = StorefrontVersion.read(
        row,
        value,
        lists_of=customer_id if saved_lists else None,
        user_id=user_id,
        cart_of=cart_of,
    )
    request._shop_versions = ((row, value, saved_lists, cart_of), versions)
    if user_id is not None:
        load_session_user(request, user_id, versions.user)
    if versions.guest_group is not None:
        remember_guest_group(request, versions.guest_group)
    pricing_services.use_request_state(versions.pricing)
    if versions.lists is not None and request.user.is_authenticated:
        list_selectors.remember_choices(request, owner_id=customer_id, choices=versions.lists)
    return versions


def cart_read(request) -> CartRead | None:
    """The visitor's cart as this request's versions brought it (`versions_for`'s `cart_of`),
    None when they did not."""
    read = getattr(request, "_shop_versions", None)
    return read[1].cart if read is not None else None


def _keep(key: str, response) -> None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    timeout = settings.SHOP_PAGE_CACHE_SECONDS
    until_window = pricing_context.seconds_until_next_window()
    if until_window is not None:
        timeout = min(timeout, until_window)
    if timeout >= SHORTEST_LIFE:
        kept = (response["Content-Type"], zlib.compress(response.content, 1))
        caches["pages"].set(key, kept, int(timeout))


def visitor_part_marker(template_name: str, values: dict) -> str:
    """Where a visitor's own part goes in a kept page: the template and its values."""
    if any(not isinstance(value, int | str) or "--" in str(value) for value in values.values()):
        raise ValueError(f"a visitor part takes numbers and short texts only: {values!r}")
    return f"<!--visitor-part {json.dumps({'template': template_name, 'values': values})}-->"


def render_visitor_part(request, template_name: str, values: dict, csrf_token=None) -> str:
    """The part for this visitor: the template sees them, the request and their CSRF token
    (`csrf_token`, else a new one) besides `values` (no context processors run: a part needs
    nothing else)."""
    csrf_token = csrf_token or get_token(request)
    context = {"user": request.user, "request": request, "csrf_token": csrf_token}
    return get_template(template_name).render({**context, **values})


def _personal(request, response):
    """The page with this visitor's own parts rendered in, and their own CSRF token in its
    forms (and the cookie that goes with it, which `get_token` asks the CSRF middleware to
    set)."""
    if response.streaming:
        return response
    content = response.content
    placeholder = CSRF_PLACEHOLDER.encode()
    parts = b"<!--visitor-part " in content
    if not parts and placeholder not in content:
        return response
    token = get_token(request)  # one masked token for all the page's forms
    if parts:

        def rendered(match) -> bytes:
            part = json.loads(match.group(1))
            return render_visitor_part(request, part["template"], part["values"], token).encode()

        content = VISITOR_PART.sub(rendered, content)
    if placeholder in content:
        content = content.replace(placeholder, token.encode())
    if content is not response.content:
        response.content = content
    return response
