"""The admin site, its ModelAdmin modules (every app's `admin`) imported the first time the
admin is used rather than when Django starts.

Those modules bring django-import-export, tablib, openpyxl, urllib3 and Pillow: about 35 MB
that a worker serving only the storefront never needs. The registry fills on first use - an
admin page, an `admin:` link, `admin.site.each_context`, the system checks of `manage.py
check` - so the admin behaves as with Django's eager autodiscovery; only its first page in
each worker pays the imports."""

import threading

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import SimpleAdminConfig
from django.urls.resolvers import RoutePattern, URLResolver
from django.utils.functional import cached_property
from django.utils.module_loading import autodiscover_modules


class LazyAdminSite(AdminSite):
    def __init__(self, *args, **kwargs):
        self.discovered = False
        self._discovering = False
        self._discovery_lock = threading.RLock()
        super().__init__(*args, **kwargs)

    def discover(self) -> None:
        """Import every app's admin module, once per process: a thread asking meanwhile waits,
        the importing thread's own registrations pass through."""
        if self.discovered:
            return
        with self._discovery_lock:
            if self.discovered or self._discovering:
                return
            self._discovering = True
            try:
                autodiscover_modules("admin", register_to=self)
                self.discovered = True
            finally:
                self._discovering = False

    @property
    def _registry(self) -> dict:
        self.discover()
        return self._models

    @_registry.setter
    def _registry(self, models: dict) -> None:
        self._models = models


class _AdminURLConf:
    def __init__(self, site: AdminSite):
        self.site = site

    @cached_property
    def urlpatterns(self) -> list:
        return self.site.get_urls()


class _AdminResolver(URLResolver):
    """The site's URLs, built when a request reaches them or a link reverses an `admin:` name.

    A storefront page's first link makes Django index every resolver's names; this one is
    left out of that until the admin is discovered, and indexes itself when asked for one."""

    def __init__(self, route: str, site: LazyAdminSite):
        pattern = RoutePattern(route, is_endpoint=False)
        super().__init__(pattern, _AdminURLConf(site), app_name="admin", namespace=site.name)
        self.site = site

    def _populate(self):
        if self.site.discovered:
            super()._populate()

    @property
    def reverse_dict(self):
        self.site.discover()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self.site.discover()
        return super().namespace_dict

    @property
    def app_dict(self):
        self.site.discover()
        return super().app_dict


def admin_urls(route: str) -> URLResolver:
    """`path(route, admin.site.urls)`, its patterns and the admin modules left for first use."""
    return _AdminResolver(route, admin.site)


class AdminConfig(SimpleAdminConfig):
    default_site = "config.admin_site.LazyAdminSite"
