"""The customer's saved lists for the "add to list" forms of the product, cart and order pages
(one query, only for a logged-in customer)."""

from django import template

from shop.cart.lists import selectors

register = template.Library()


@register.simple_tag
def saved_list_choices(user) -> list[tuple[int, str]]:
    if user is None or not user.is_authenticated:
        return []
    return selectors.list_choices(owner=user)
