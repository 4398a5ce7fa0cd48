"""Settings shared by every environment. Everything configurable comes from the environment
(or a `.env` file beside manage.py) through django-environ."""

from email.utils import getaddresses
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES as ISO_COUNTRIES

from config.database import for_web_server
from config.env import load_env_file
from config.payments import payment_variants

BASE_DIR = Path(__file__).resolve().parent.parent.parent

load_env_file()
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, so its translated fields and admin classes are in place first.
    "modeltranslation",
    # Django's admin, its ModelAdmin modules imported on first use (config.admin_site).
    "config.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "import_export",
    "payments",
    "customers",
    "shop",
    "pricing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "pricing.middleware.PricingSnapshotMiddleware",
    "shop.page_cache.middleware.StorefrontReadsMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's form renderer with the plain inputs and selects written in Python (same HTML).
FORM_RENDERER = "core.form_rendering.FastWidgetRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.shop",
            ],
        },
    }
]

DATABASES = {
    "default": for_web_server(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "core.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters bound by PostgreSQL: a query the ORM runs a third time on a connection is
    # prepared, the fixed reads of every request (core.db.prepared_cursor) on their first.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Listing cards are cached as fragments: give the per-process default room for a catalogue.
# Whole storefront pages (shop.page_cache) have a cache of their own, so that many pages never
# push out the cards or the rate-limit counts: compressed, 2,000 pages hold about 8 MB.
# The page frame (menu, footer, language forms: templates/base.html) is kept in each process's
# own memory, whatever CACHE_URL says: its keys hold the versions each request reads anyway,
# and reading memory is faster than a round trip to a shared cache.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://comptoir?max_entries=20000"),
    "pages": env.cache(
        "PAGE_CACHE_URL",
        default=env("CACHE_URL", default="") or "locmemcache://comptoir-pages?max_entries=2000",
    ),
    "frame": env.cache_url_config("locmemcache://comptoir-frame?max_entries=1000"),
}

AUTH_USER_MODEL = "customers.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "customers.backends.CustomerBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "catalog:home"

# Brute-force protection on login (django-axes): lock a user/IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Log-in is case-insensitive, so failures are counted against the lower-cased address.
AXES_USERNAME_CALLABLE = "customers.axes.normalized_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client address axes counts (through django-ipware). With no trusted proxy, only the
# socket's address: a client-sent X-Forwarded-For is ignored. Behind N proxies that each
# append their peer's address to X-Forwarded-For, the client is the N-th entry from the
# right; entries further left were written by the client and are ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    # ipware counts the proxies listed in the header; the nearest one is REMOTE_ADDR.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
# Not strict: a header longer than the proxy count (client-written entries on the left)
# still yields the entry the nearest trusted proxy wrote, instead of being discarded.
IPWARE_STRICT = False

LANGUAGE_CODE = "en"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated catalogue and page content (shop/*/translation.py): one column per language, English
# the default; a text missing in the reader's language is shown in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # slugs, one per product, from the English name
MODELTRANSLATION_TRANSLATION_FILES = ("shop.catalog.translation", "shop.pages.translation")
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Comptoir <shop@example.com>")
# Seconds before a silent mail server fails the send instead of holding a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Who receives the error reports ("Name <address>, address"), and from which address.
ADMINS = [(name, address) for name, address in getaddresses([env("ADMINS", default="")]) if address]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Emails (and later other slow work) run as background tasks. "immediate" runs them in the
# request, after it committed, recording failures instead of raising them; "database" stores
# them for `manage.py db_worker` processes (any number, on any machine).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env("TASKS_BACKEND", default="immediate")]}}

# Posts per client address (and per email address) and hour, before a polite refusal.
SHOP_RATE_LIMITS = {
    "signup": env("RATE_LIMIT_SIGNUP", default="10/h"),
    "application": env("RATE_LIMIT_APPLICATION", default="10/h"),
    "password_reset": env("RATE_LIMIT_PASSWORD_RESET", default="5/h"),
    "shared_cart": env("RATE_LIMIT_SHARED_CART", default="60/h"),  # opening shared cart links
    # invitations a company admin sends (and sends again), per client and per invited address
    "company_invitation": env("RATE_LIMIT_COMPANY_INVITATION", default="20/h"),
    # "email me when it is back" requests, per client and per address
    "stock_alert": env("RATE_LIMIT_STOCK_ALERT", default="10/h"),
}
# Counted in the default cache: per process with the memory cache, shared with CACHE_URL.
RATELIMIT_USE_CACHE = "default"

SHOP_MANAGER_EMAILS = env.list("SHOP_MANAGER_EMAILS", default=["manager@example.com"])

# Content-Security-Policy: everything is served from our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "core.sessions"

# Shop
SHOP_NAME = env("SHOP_NAME", default="Comptoir")
SHOP_CURRENCY = env("SHOP_CURRENCY", default="EUR")
# The locale whose number conventions each language uses for money, rates and quantities
# (Babel names): "ar_EG" writes Arabic-Indic digits, "fr_CH" Swiss grouping.
SHOP_FORMAT_LOCALES = {
    "en": "en_IE",
    "fr": "fr_FR",
    "ar": "ar",
    **env.dict("SHOP_FORMAT_LOCALES", default={}),
}
SHOP_DEFAULT_COUNTRY = env("SHOP_DEFAULT_COUNTRY", default="FR")
# Images a catalogue import names by web address: seconds and bytes allowed per image.
SHOP_IMPORT_IMAGE_TIMEOUT = env.float("SHOP_IMPORT_IMAGE_TIMEOUT", default=5.0)
SHOP_IMPORT_IMAGE_MAX_BYTES = env.int("SHOP_IMPORT_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
# The countries the shop sells and delivers to (ISO codes): addresses and shipping methods
# offer only these. Default: the 27 EU member states, Monaco, Switzerland, the United Kingdom
# and Norway.
_EU_MEMBER_STATES = (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
)
_SELLING_DEFAULT = f"{_EU_MEMBER_STATES} MC CH GB NO"
SHOP_SELLING_COUNTRIES = sorted(
    {
        code.strip().upper()
        for code in env.list("SHOP_SELLING_COUNTRIES", default=_SELLING_DEFAULT.split())
        if code.strip()
    }
)
_UNKNOWN_COUNTRIES = sorted(set(SHOP_SELLING_COUNTRIES) - set(ISO_COUNTRIES))
if _UNKNOWN_COUNTRIES or not SHOP_SELLING_COUNTRIES:
    raise ImproperlyConfigured(
        "SHOP_SELLING_COUNTRIES must list ISO 3166-1 alpha-2 country codes (FR, BE, ...); "
        f"unknown: {', '.join(_UNKNOWN_COUNTRIES) or 'none given'}."
    )
# Check VAT numbers online (VIES) when a customer saves one: the result is recorded on the
# profile; the save never depends on the service answering.
SHOP_VAT_VIES_CHECK = env.bool("SHOP_VAT_VIES_CHECK", default=False)
SHOP_VAT_VIES_TIMEOUT = env.float("SHOP_VAT_VIES_TIMEOUT", default=5.0)
SHOP_PAGE_SIZE = env.int("SHOP_PAGE_SIZE", default=20)
# Storefront pages (home, categories, products, search) are kept whole in the default cache per
# pricing context for at most this long (shop.page_cache); 0 renders every page afresh.
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=600)
# Lines a quick order, a reorder or a saved list adds in one go (checked in constant queries).
SHOP_QUICK_ORDER_MAX_LINES = env.int("SHOP_QUICK_ORDER_MAX_LINES", default=1000)
if SHOP_QUICK_ORDER_MAX_LINES < 1:
    raise ImproperlyConfigured("SHOP_QUICK_ORDER_MAX_LINES must be 1 or more.")
SHOP_SHARED_CART_DAYS = env.int("SHOP_SHARED_CART_DAYS", default=7)  # a shared cart link's life
COMPANY_INVITATION_DAYS = env.int("COMPANY_INVITATION_DAYS", default=7)  # an invitation's life
# Tracked products with this many units or fewer are low on stock (dashboard, admin filter and
# daily report), unless a product sets its own threshold.
SHOP_LOW_STOCK_THRESHOLD = env.int("SHOP_LOW_STOCK_THRESHOLD", default=5)
# Who gets the daily low-stock report (`manage.py send_low_stock_report`); empty: the active
# staff of the "Shop managers" group and the superusers.
SHOP_STOCK_ALERT_EMAILS = env.list("SHOP_STOCK_ALERT_EMAILS", default=[])
# When true, guests see "log in to see prices" instead of prices.
SHOP_HIDE_PRICES_FROM_GUESTS = env.bool("SHOP_HIDE_PRICES_FROM_GUESTS", default=False)
# Which applicable price rule wins: "lowest" (the lowest unit price, so no group ever pays more
# than a guest) or "priority" (the highest priority, then the most specific rule).
SHOP_PRICING_STRATEGY = env("SHOP_PRICING_STRATEGY", default="lowest")
if SHOP_PRICING_STRATEGY not in ("lowest", "priority"):
    raise ImproperlyConfigured("SHOP_PRICING_STRATEGY must be lowest or priority.")

# Card payments (django-payments, config/payments.py): the dummy provider unless told otherwise
# (production offers no card payment until a real provider is configured).
SHOP_CARD_PROVIDER, PAYMENT_VARIANTS = payment_variants(env, default_provider="dummy")
PAYMENT_MODEL = "shop.CardPayment"
# Where the provider sends buyers and callbacks back to (host[:port]), and over which scheme.
PAYMENT_HOST = env("PAYMENT_HOST", default="127.0.0.1:8000")
PAYMENT_USES_SSL = env.bool("PAYMENT_USES_SSL", default=False)
# Card orders still unpaid this long after placement are cancelled and their stock returned
# (`manage.py release_unpaid_card_orders`, in `make cleanup`).
SHOP_CARD_PAYMENT_TIMEOUT_MINUTES = env.int("SHOP_CARD_PAYMENT_TIMEOUT_MINUTES", default=60)

# Order emails. Links in the emails sent without a request (payment callbacks, the payment
# reminders) start with this address (empty: PAYMENT_HOST over PAYMENT_USES_SSL's scheme);
# those sent from a page use the page's own host.
SHOP_SITE_URL = env("SHOP_SITE_URL", default="").rstrip("/")
# The carriers a manager picks from when marking an order shipped, and the address where the
# customer follows a parcel ({number} is the tracking number). Only http(s) addresses are used.
SHOP_CARRIERS = {
    "colissimo": {
        "name": "Colissimo",
        "tracking_url": "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    },
    "chronopost": {
        "name": "Chronopost",
        "tracking_url": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}",
    },
    "dhl": {
        "name": "DHL",
        "tracking_url": "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={number}",
    },
    "ups": {"name": "UPS", "tracking_url": "https://www.ups.com/track?tracknum={number}"},
    "dpd": {"name": "DPD", "tracking_url": "https://trace.dpd.fr/fr/trace/{number}"},
}
# An unpaid order on account past its due date gets at most one reminder every this many days
# (`manage.py send_payment_reminders`, daily).
SHOP_PAYMENT_REMINDER_DAYS = env.int("SHOP_PAYMENT_REMINDER_DAYS", default=7)
if SHOP_PAYMENT_REMINDER_DAYS < 1:
    raise ImproperlyConfigured("SHOP_PAYMENT_REMINDER_DAYS must be 1 or more.")

# Every line is printed once, by the root logger: Django's own loggers only add the admins'
# error emails (Django's default would print them a second time under DEBUG).
LOG_LEVEL = env("LOG_LEVEL", default="WARNING").upper()
LOG_FORMAT = env("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "one_line_warning": {"()": "config.log.OneLineWarning"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True},
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "filters": ["one_line_warning"],
            "propagate": False,
        },
    },
}
