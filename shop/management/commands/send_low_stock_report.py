from django.core.management.base import BaseCommand

from shop.catalog.alerts import selectors as alert_selectors
from shop.catalog.alerts import services as alert_services


class Command(BaseCommand):
    help = (
        "Email the shop managers (or SHOP_STOCK_ALERT_EMAILS) the products out of stock and "
        "low on stock, each linked to its admin page. Nothing is sent when nothing is low. "
        "Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the report and its recipients only."
        )

    def handle(self, *args, dry_run: bool, **options):
        report = alert_selectors.low_stock_report()
        if not report:
            self.stdout.write("No product is low on stock: nothing sent.")
            return
        recipients = alert_selectors.low_stock_report_recipients()
        summary = f"{len(report.out_of_stock)} out of stock, {len(report.low)} low"
        if dry_run:
            for product in (*report.out_of_stock, *report.low):
                self.stdout.write(
                    f"{product.sku}\t{product.name}\tstock {product.stock}\t"
                    f"threshold {product.threshold}"
                )
            self.stdout.write(
                f"Dry run: {summary}; would email {', '.join(recipients) or 'nobody'}."
            )
            return
        if not recipients:
            self.stderr.write(
                f"{summary}, but nobody to email: no shop manager or superuser has an email "
                "address and SHOP_STOCK_ALERT_EMAILS is empty."
            )
            return
        alert_services.low_stock_report_send(report=report, to=recipients)
        self.stdout.write(f"{summary}: emailed {', '.join(recipients)}.")
