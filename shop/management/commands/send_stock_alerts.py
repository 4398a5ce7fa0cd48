from django.core.management.base import BaseCommand

from shop.catalog.alerts import services as alert_services


class Command(BaseCommand):
    help = (
        "Email the pending back-in-stock alerts of every product available again (a catch-up "
        "for stock changed outside the shop's write paths, by SQL say). Run it daily."
    )

    def handle(self, *args, **options):
        count = alert_services.stock_alerts_catch_up()
        self.stdout.write(f"{count} back-in-stock alert(s) emailed.")
