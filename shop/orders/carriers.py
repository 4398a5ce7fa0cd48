"""The carriers a manager names when shipping an order (`settings.SHOP_CARRIERS`) and the
parcel details the shipped email gives the customer. Only http(s) tracking links are kept."""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from core.errors import Refusal

TRACKING_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]{0,99}")
is_web_address = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Parcel:
    carrier: str  # the carrier's name as the customer reads it
    tracking_number: str
    tracking_url: str


def carrier_choices() -> list[tuple[str, str]]:
    return [(code, entry["name"]) for code, entry in settings.SHOP_CARRIERS.items()]


def _web_address(url: str) -> str:
    """`url` when it is an http(s) address of at most 500 characters, else ""."""
    if len(url) > 500:
        return ""
    try:
        is_web_address(url)
    except ValidationError:
        return ""
    return url


def tracking_url_for(carrier: str, number: str) -> str:
    """The carrier's tracking page for `number` (from its template), or ""."""
    template = settings.SHOP_CARRIERS.get(carrier, {}).get("tracking_url", "")
    if not number or "{number}" not in template:
        return ""
    return _web_address(template.replace("{number}", quote(number, safe="")))


def parcel_clean(*, carrier: str = "", tracking_number: str = "", tracking_url: str = "") -> Parcel:
    """The parcel as entered (all optional): a carrier of the list (its code), a tracking number
    as carriers print them, a tracking link (else the carrier's, built from the number).
    Raises Refusal with the reason otherwise."""
    carrier = str(carrier or "").strip()
    if carrier and carrier not in settings.SHOP_CARRIERS:
        raise Refusal(_("Choose a carrier from the list."))
    number = " ".join(str(tracking_number or "").split())
    if number and not TRACKING_NUMBER.fullmatch(number):
        raise Refusal(
            _(
                "Enter the tracking number as the carrier prints it: letters, digits, spaces, "
                "dots, dashes or slashes, at most 100 characters."
            )
        )
    url = str(tracking_url or "").strip()
    if url and not _web_address(url):
        raise Refusal(_("Enter the tracking link as a web address starting with https://."))
    return Parcel(
        carrier=settings.SHOP_CARRIERS[carrier]["name"] if carrier else "",
        tracking_number=number,
        tracking_url=url or tracking_url_for(carrier, number),
    )
