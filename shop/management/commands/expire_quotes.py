from django.core.management.base import BaseCommand

from shop.quotes import services as quote_services


class Command(BaseCommand):
    help = "Mark offers and accepted quotes past their validity date as expired."

    def handle(self, *args, **options):
        expired = quote_services.quotes_expire()
        self.stdout.write(f"{expired} quote(s) expired.")
