from django.core.management.base import BaseCommand

from shop.orders import emails


class Command(BaseCommand):
    help = (
        "Email a payment reminder for every order on account past its due date, unpaid and "
        "not cancelled, at most once every SHOP_PAYMENT_REMINDER_DAYS days per order. Meant "
        "to run daily. --dry-run lists the orders and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run: bool, **options):
        due = emails.orders_due_for_reminder()
        if dry_run:
            self.stdout.write(
                f"{len(due)} payment reminder(s) would be sent"
                + (f": {', '.join(order.number for order in due)}" if due else "")
                + " (dry run: nothing sent)."
            )
            return
        sent = [order.number for order in due if emails.order_payment_remind(order=order)]
        self.stdout.write(
            f"{len(sent)} payment reminder(s) sent" + (f": {', '.join(sent)}" if sent else "") + "."
        )
