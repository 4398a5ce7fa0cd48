"""What the buyer is told once his order is placed: where to see it, and the email."""

from django.urls import reverse
from django_tasks import task

from core.emails import send_templated
from shop.seller import selectors as seller_selectors

from .. import selectors
from ..models import Order


def order_url(order: Order) -> str:
    """Where the buyer sees the order: their account, or the secret link for guests."""
    if order.user_id:
        return reverse("orders:detail", args=[order.number])
    return reverse("orders:guest", args=[order.number, order.access_token])


def order_send_confirmation(*, order_id: int, site_url: str = "") -> None:
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    send_templated(
        template="order_placed",
        to=[order.email],
        language=order.language,
        context={
            "order": order,
            "lines": list(order.lines.all()),
            "vat_rows": selectors.vat_breakdown(order),
            "how_to_pay": selectors.how_to_pay(order),
            "seller": seller_selectors.shop_details(),
            "url": site_url + order_url(order),
        },
    )


@task()
def order_confirmation_send_later(*, order_id: int, site_url: str = "") -> None:
    """The confirmation rendered off the request, in the order's language (`order.language`,
    whatever the worker's): placing an order does not wait for its email."""
    order_send_confirmation(order_id=order_id, site_url=site_url)
