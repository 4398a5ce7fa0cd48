from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shop.orders import services as order_services
from shop.orders.models import OrderStatus
from shop.payments import services as payment_services


def cancel(*, order):
    return order_services.order_set_status(order=order, status=OrderStatus.CANCELLED)


class Command(BaseCommand):
    help = (
        "Cancel card orders still unpaid --minutes after placement (default "
        "SHOP_CARD_PAYMENT_TIMEOUT_MINUTES) and put their stock back. An order whose payment "
        "the provider confirmed meanwhile is marked paid instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=None)

    def handle(self, *args, minutes: int | None, **options):
        minutes = settings.SHOP_CARD_PAYMENT_TIMEOUT_MINUTES if minutes is None else minutes
        if minutes < 1:
            raise CommandError("--minutes must be 1 or more.")
        release = payment_services.card_orders_release(
            older_than=timedelta(minutes=minutes),
            cancel=cancel,
            mark_paid=order_services.order_mark_paid,
        )
        self.stdout.write(
            f"{len(release.cancelled)} unpaid card order(s) cancelled"
            + (f": {', '.join(release.cancelled)}" if release.cancelled else "")
            + f"; {len(release.paid)} found paid."
        )
