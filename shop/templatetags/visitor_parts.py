"""The parts of a storefront page that belong to one visitor (their saved lists, say): rendered
in place, or, on a page rendered for the page cache, marked and rendered each time the kept page
is served (shop.page_cache.pages)."""

from django import template
from django.utils.safestring import mark_safe

from shop.page_cache import pages

register = template.Library()


@register.simple_tag(takes_context=True)
def visitor_part(context, template_name: str, **values):
    """`template_name` rendered for this request's visitor with `values` (numbers or short
    texts: a kept page holds them in its marker), and the request's own context."""
    request = context.get("request")
    if getattr(request, "page_cache_filling", False):
        return mark_safe(pages.visitor_part_marker(template_name, values))
    return pages.render_visitor_part(request, template_name, values)
