from django import template

from customers.web import group_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def current_customer_group(context):
    """The viewer's customer group, resolved once per request (shared with the page's view)."""
    request = context.get("request")
    return group_for_request(request) if request is not None else None
