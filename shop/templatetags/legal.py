"""The footer's legal links and the seller's identity, both cached: no query on a warm page."""

from django import template

from shop.pages import selectors as page_selectors
from shop.seller import selectors as seller_selectors

register = template.Library()


@register.inclusion_tag("shop/pages/_footer.html", takes_context=True)
def legal_footer(context):
    request = context.get("request")
    return {
        "pages": page_selectors.published_pages().links,
        "details": seller_selectors.shop_details(),
        "request_path": request.path if request is not None else "",
    }
