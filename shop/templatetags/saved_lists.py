"""The customer's saved lists for the "add to list" forms of the product, cart and order pages
(one query, only for a logged-in customer; none on a kept page, which reads them with its
versions)."""

from django import template

from shop.cart.lists import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_list_choices(context, user) -> list[tuple[int, str]]:
    if user is None or not user.is_authenticated:
        return []
    return selectors.list_choices(owner=user, request=context.get("request"))
