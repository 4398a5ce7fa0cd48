"""The header's bar: the brand, the search box, the account links and the language form.

Every page shows it, and it is the same for every guest, every signed-in customer and every
customer whose group opens the trade portal: it is rendered once per language and kind of
visitor (`_site_header.html`), and only the visitor's own parts are filled in per request:
the search box's query, the logout form's CSRF token and the language form (its token and the
page to come back to)."""

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from customers.web import group_for_request

from .language_forms import language_form

register = template.Library()

# Where the visitor's own parts go in the kept bar: words that escaping leaves as they are.
_QUERY = "kept-header-search-query"
_CSRF_INPUT = "kept-header-csrf-input"
_LANGUAGE_FORM = "kept-header-language-form"
_OWN_PARTS = re.compile(f"{_QUERY}|{_CSRF_INPUT}|{_LANGUAGE_FORM}")


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    request = context["request"]
    signed_in = request.user.is_authenticated
    portal_access = signed_in and group_for_request(request).portal_access
    own = {
        _QUERY: escape(context.get("search_query", "")),
        _CSRF_INPUT: CsrfTokenNode().render(context),
        _LANGUAGE_FORM: language_form(context, "header"),
    }
    kept = _kept_bar(get_language(), signed_in, portal_access)
    # One pass: a query holding one of the words is put in as typed, never filled in again.
    return mark_safe(_OWN_PARTS.sub(lambda word: own[word.group()], kept))


@lru_cache(maxsize=64)
def _kept_bar(language: str, signed_in: bool, portal_access: bool) -> str:
    """The bar in the active `language` (part of the key), with a word where each of the
    visitor's own parts goes."""
    html = render_to_string(
        "_site_header.html",
        {
            "shop_name": settings.SHOP_NAME,
            "signed_in": signed_in,
            "portal_access": portal_access,
            "search_query": _QUERY,
            "csrf_input": _CSRF_INPUT,
            "language_form": _LANGUAGE_FORM,
        },
    )
    return html.rstrip("\n")


@receiver(setting_changed)
def _forget_kept_bars(**_kwargs) -> None:
    """A changed setting (the shop's name, its URLs, its languages) shows in the next bar."""
    _kept_bar.cache_clear()
