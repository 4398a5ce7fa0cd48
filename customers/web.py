"""What the customers package derives from a request, for views, templates and admin.

Services and selectors never see a request: the web layer turns it into their arguments here."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_ratelimit.core import is_ratelimited

from . import backends, selectors
from .models import CustomerGroup, User

# Pages about one visitor (account, portal, orders, addresses): never kept by a shared cache
# nor by the browser's history, so they cannot be shown to the next person at that computer.
private_page = cache_control(private=True, no_store=True)


def group_for_request(request) -> CustomerGroup:
    """The group of the request's user, resolved once per request and cached on it (never in
    the session, so a group change applies from the next request on)."""
    return _group_and_country(request)[0]


def default_country_for_request(request) -> str | None:
    """The country of the request's customer's default address (None for guests and empty
    address books), read with the group in the same query and cached on the request."""
    return _group_and_country(request)[1]


def _group_and_country(request) -> tuple[CustomerGroup, str | None]:
    cached = getattr(request, "_customer_group_and_country", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = request._customer_group_and_country = selectors.group_and_country_for(user)
    return cached


def session_user_to_load(request):
    """The id of the account the request's session is logged in to, while `request.user` is
    still unread: the caller may then read the user along with its own query
    (`selectors.user_with_viewer_sql`) and hand it to `load_session_user`. None otherwise."""
    if hasattr(request, "_cached_user") or not hasattr(request, "session"):
        return None  # read already (django.contrib.auth.middleware keeps it there)
    session = request.session
    if session.get(auth.BACKEND_SESSION_KEY) != backends.BACKEND:
        return None
    try:
        return User._meta.pk.to_python(session[auth.SESSION_KEY])
    except (KeyError, ValidationError):
        return None


def load_session_user(request, user_id, user) -> None:
    """`request.user` from `user`, the account `user_id` as the caller read it (None: no such
    account), through Django's own checks: the account may log in, the session's hash still
    matches its password (else the session is flushed)."""
    with backends.read_ahead(user_id, user):
        request._cached_user = auth.get_user(request)


def remember_guest_group(request, group: CustomerGroup) -> None:
    """The default group, read by the caller along with its own query
    (`selectors.DEFAULT_GROUP_SQL`), as a guest's group for the rest of the request."""
    if not request.user.is_authenticated and not hasattr(request, "_customer_group_and_country"):
        request._customer_group_and_country = (group, None)


def site_url(request) -> str:
    """The site's root as this request reached it, without the trailing slash: the base of
    the links sent in emails."""
    return request.build_absolute_uri("/").rstrip("/")


def client_ip(request) -> str:
    """The visitor's address as django-axes sees it (the proxy count of TRUSTED_PROXY_COUNT),
    so log-in lockouts and the rate limits below count the same clients."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def too_many_attempts(request, *, action: str, email: str = "") -> str | None:
    """The message to show when this client (or this email address) has posted `action`
    (`signup`, `application`, `password_reset`) more often than SHOP_RATE_LIMITS allows in an
    hour, else None. Every call counts one attempt."""
    rate = settings.SHOP_RATE_LIMITS[action]
    limited = is_ratelimited(
        request, group=action, key=lambda _group, req: client_ip(req), rate=rate, increment=True
    )
    if email:
        limited |= is_ratelimited(
            request,
            group=f"{action}:email",
            key=lambda _group, _req: email.strip().lower(),
            rate=rate,
            increment=True,
        )
    if not limited:
        return None
    return _("Too many attempts in a short time. Please wait an hour and try again.")


def remember_language(response, language: str) -> None:
    """After log-in: the customer's preferred language becomes the browser's, as the language
    switcher would have set it."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
