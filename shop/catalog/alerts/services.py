"""Back-in-stock alerts and the daily low-stock report.

An alert is asked for on the page of an out-of-stock product. Every write path that can bring a
product back (the product admin's save, its activation, imports, restocks on cancellation or
refund) calls `stock_alerts_notify` in its own transaction: the pending alerts of the products
now available are locked, closed and emailed once that transaction commits, only to people who
may see the product. `manage.py send_stock_alerts` catches up with any other path. The email
names the product and links to it, never a price: prices depend on the buyer's group, which
may have changed since the alert was asked for."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.emails import send_templated
from core.errors import Refusal
from core.locking import lock_rows
from customers.selectors import default_group_id

from .. import stock as catalog_stock
from ..models import Product, StockAlert
from . import selectors

NOT_OUT_OF_STOCK = _("This product is available: there is nothing to wait for, order it now.")


def shop_url() -> str:
    """The shop's public root (PAYMENT_HOST and PAYMENT_USES_SSL), for links in emails sent
    outside a request."""
    scheme = "https" if settings.PAYMENT_USES_SSL else "http"
    return f"{scheme}://{settings.PAYMENT_HOST}"


def _pending(product: Product, email: str):
    # Compared as the unique index stores it (lower case), so the index answers.
    return StockAlert.objects.alias(email_key=Lower("email")).filter(
        product=product, email_key=email.lower(), notified_at=None
    )


@transaction.atomic
def stock_alert_request(
    *, product: Product, email: str, user=None, language: str = ""
) -> StockAlert:
    """Ask for an email when the out-of-stock `product` is back. Asking again for the same
    product and address (in any case) returns the pending alert instead of a second one.
    Refused while the product can be ordered (in stock, or its stock not tracked). The email
    is written in `language` (the page's), the shop's default when empty."""
    email = email.strip()
    current = Product.objects.filter(pk=product.pk).values_list("track_stock", "stock").first()
    if current is None:
        raise Product.DoesNotExist
    track_stock, stock = current
    if not track_stock or stock > 0:
        raise Refusal(NOT_OUT_OF_STOCK)
    existing = _pending(product, email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return StockAlert.objects.create(
                product=product, email=email, user=user, language=language
            )
    except IntegrityError:  # the same request, a moment earlier
        return _pending(product, email).get()


@dataclass(frozen=True)
class AlertEmail:
    to: str
    product_name: str
    product_path: str
    language: str


def stock_alerts_notify(*, product_ids, site_url: str = "") -> int:
    """Close the pending alerts of those of `product_ids` now available (active and in
    stock) and email each once the current transaction commits, to its address when its
    person may see the product (a customer's group, a guest's: the default group); the others
    stay pending. Concurrent calls lock the same alerts, so an email goes out once. Returns
    the number of alerts closed."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    with transaction.atomic():
        available = Product.objects.filter(
            catalog_stock.in_stock_condition(), pk__in=ids, is_active=True
        )
        alerts = lock_rows(
            StockAlert.objects.filter(
                product_id__in=available.values("pk"), notified_at=None
            ).select_related("product", "user")
        )
        if not alerts:
            return 0
        guest_group = default_group_id()
        group_of_user = selectors.user_group_ids(
            {a.user_id for a in alerts if a.user_id}, default_group_id=guest_group
        )
        # An inactive account has no group: its alert waits.
        group_of = {
            a.pk: group_of_user.get(a.user_id) if a.user_id else guest_group for a in alerts
        }
        visible = selectors.visible_product_ids(
            group_ids=set(group_of.values()) - {None}, product_ids={a.product_id for a in alerts}
        )
        emails: list[AlertEmail] = []
        closed: list[int] = []
        for alert in alerts:
            if alert.product_id not in visible.get(group_of[alert.pk], ()):
                continue
            emails.append(
                AlertEmail(
                    to=alert.user.email if alert.user_id else alert.email,
                    product_name=alert.product.name,
                    product_path=alert.product.get_absolute_url(),
                    language=alert.language or settings.LANGUAGE_CODE,
                )
            )
            closed.append(alert.pk)
        if closed:
            StockAlert.objects.filter(pk__in=closed).update(notified_at=timezone.now())
            transaction.on_commit(partial(_send_alert_emails, emails, site_url or shop_url()))
    return len(closed)


def _send_alert_emails(emails: list[AlertEmail], site_url: str) -> None:
    for email in emails:
        with translation.override(email.language):
            send_templated(
                template="stock_back",
                to=[email.to],
                context={
                    "product_name": email.product_name,
                    "product_url": f"{site_url}{email.product_path}",
                },
            )


def stock_alerts_catch_up(*, site_url: str = "") -> int:
    """Notify the pending alerts of every product now available (stock that came back by a
    path that did not call `stock_alerts_notify`, raw SQL say)."""
    product_ids = (
        StockAlert.objects.filter(notified_at=None).values_list("product_id", flat=True).distinct()
    )
    return stock_alerts_notify(product_ids=list(product_ids), site_url=site_url)


def stock_alerts_erase(*, user, email: str) -> None:
    """Delete the alerts of an account and those asked for with its address (its erasure)."""
    StockAlert.objects.filter(user=user).delete()
    if email:
        StockAlert.objects.alias(email_key=Lower("email")).filter(email_key=email.lower()).delete()


# --- the daily low-stock report ---------------------------------------------------------


def low_stock_report_send(
    *, report: selectors.LowStockReport, to: list[str], site_url: str = ""
) -> None:
    """Email the report (plain text and HTML) to `to`, each product linked to its admin page."""
    site_url = site_url or shop_url()
    for product in (*report.out_of_stock, *report.low):
        product.admin_url = site_url + reverse("admin:shop_product_change", args=[product.pk])
    send_templated(
        template="stock_low_report",
        to=to,
        context={
            "out_of_stock": report.out_of_stock,
            "low": report.low,
            "list_url": site_url + reverse("admin:shop_product_changelist") + "?stock=low",
        },
    )
