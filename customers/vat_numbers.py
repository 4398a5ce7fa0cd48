"""EU VAT numbers: normalised and checked by their format and check digits with python-stdnum,
and, only when `SHOP_VAT_VIES_CHECK` is on, online with VIES (never required: a VIES that does
not answer leaves the number "unavailable" and the save goes on)."""

import logging
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

logger = logging.getLogger(__name__)

INVALID_MESSAGE = _(
    "Enter a valid EU VAT number that starts with the country code, for example "
    "FR40303265045 (check the digits)."
)
# One-stop-shop registrations (EU, IM) are not a company's VAT number.
NOT_A_COMPANY_NUMBER = ("EU", "IM")

VALID = "valid"
INVALID = "invalid"
UNAVAILABLE = "unavailable"


def normalise(value: str) -> str:
    """Without spaces, dots and dashes, upper-case, Greece's prefix EL (not GR)."""
    value = re.sub(r"[\s.\-]", "", str(value or "")).upper()
    if value.startswith("GR"):
        value = "EL" + value[2:]
    try:
        return eu_vat.compact(value) if value else value
    except ValidationError:  # not an EU member state's prefix: kept as typed, to be refused
        return value


def is_valid(value: str) -> bool:
    """A company's EU VAT number with a valid format and check digits (no online check)."""
    value = normalise(value)
    if not value or value[:2] in NOT_A_COMPANY_NUMBER:
        return False
    return bool(eu_vat.is_valid(value))


def vies_check(number: str) -> tuple[str, object]:
    """(result, checked at) of the online check of a valid number: VALID, INVALID or
    UNAVAILABLE (VIES down, slow or unreachable). Never raises."""
    try:
        answer = eu_vat.check_vies(number, timeout=settings.SHOP_VAT_VIES_TIMEOUT)
    except Exception:  # network, SOAP or VIES errors: the check could not be made
        logger.warning("VIES check of a VAT number failed", exc_info=True)
        return UNAVAILABLE, timezone.now()
    valid = answer.get("valid") if isinstance(answer, dict) else getattr(answer, "valid", None)
    return (VALID if valid else INVALID), timezone.now()


def vies_check_if_enabled(number: str) -> tuple[str, object] | None:
    """The online check of `number` when `SHOP_VAT_VIES_CHECK` is on; None otherwise (and for
    an empty number)."""
    if not number or not settings.SHOP_VAT_VIES_CHECK:
        return None
    return vies_check(number)


def vies_check_for(*, profile, number: str) -> tuple[str, object] | None:
    """The online check to record for `number` on `profile` (None: nothing to record). A
    number already found valid or invalid is not checked again; a new number, or one VIES
    could not answer for, is."""
    if not number or not settings.SHOP_VAT_VIES_CHECK:
        return None
    if (
        profile is not None
        and profile.vat_id == number
        and profile.vat_check_result in (VALID, INVALID)
    ):
        return None
    return vies_check(number)


def vies_message(result: str) -> str:
    """What to tell the customer after the online check ("" when all is well or unchecked)."""
    if result == INVALID:
        return str(
            _(
                "The EU VAT database (VIES) does not list your VAT number as registered: VAT "
                "is charged on your orders until it is. Check the number, or contact us if it "
                "is right."
            )
        )
    if result == UNAVAILABLE:
        return str(
            _(
                "The online check of your VAT number (VIES) could not be made just now. Your "
                "details are saved all the same; the number is checked again when you next "
                "save them."
            )
        )
    return ""
