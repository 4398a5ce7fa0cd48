from datetime import timedelta

from django.core.management.base import BaseCommand

from shop.cart import services as cart_services


class Command(BaseCommand):
    help = "Delete guest carts nobody touched for --days days (customers' carts stay)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options):
        deleted = cart_services.carts_delete_stale(older_than=timedelta(days=max(days, 1)))
        self.stdout.write(f"{deleted} stale guest cart(s) deleted.")
