"""The language forms of the header and the footer: a plain form, so the language changes
without JavaScript. Only the CSRF token and the page to come back to differ between visitors;
the fields are rendered once per place and language (`_language_choices.html`), since every
page shows two of these forms."""

from functools import lru_cache

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_form(context, place: str) -> str:
    return format_html(
        '<form class="language-form language-form-{}" method="post" action="{}">{}\n'
        '  <input type="hidden" name="next" value="{}">\n  {}</form>',
        place,
        reverse("set_language"),
        CsrfTokenNode().render(context),
        context["request"].get_full_path(),
        _fields(place, get_language()),
    )


@lru_cache(maxsize=64)
def _fields(place: str, language: str) -> str:
    """The form's label, choices and button in the active `language` (part of the key)."""
    html = render_to_string("_language_choices.html", {"place": place, "LANGUAGE_CODE": language})
    return mark_safe(html)
