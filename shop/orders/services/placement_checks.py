"""Who may place an order and with what: the checks `order_place` runs for an order taken by a
manager, for explicit lines, for an approved request, and on the addresses."""

from django.utils.translation import gettext as _

from core.countries import selling_countries
from core.errors import Refusal
from customers.companies import selectors as company_selectors
from shop.addresses.models import Address

from ..approvals import selectors as approval_selectors
from ..approvals.models import ApprovalState, OrderApproval

ADDRESS_REQUIRED = ("full_name", "line1", "postal_code", "city", "country")


def check_taker(taken_by, *, customer) -> None:
    """A manager takes orders for customers: never for a staff account or for himself."""
    if (
        customer is None
        or not customer.is_active
        or customer.is_staff
        or customer.is_superuser
        or customer.pk == taken_by.pk
    ):
        raise Refusal(_("Orders can be taken only for an active customer account."))


def explicit_quantities(lines: dict) -> dict[int, int]:
    """The given {product id: quantity}, each a whole quantity of at least one."""
    if not isinstance(lines, dict) or any(
        not isinstance(quantity, int) or quantity < 1 for quantity in lines.values()
    ):
        raise Refusal(_("Enter a whole quantity for every line."))
    return dict(lines)


def check_approved(approval: OrderApproval, *, customer, company) -> None:
    """The request is approved, for this buyer and his company, by someone who may decide it."""
    if (
        approval.state != ApprovalState.APPROVED
        or customer is None
        or approval.buyer_id != customer.pk
        or company is None
        or approval.company_id != company.pk
    ):
        raise Refusal(_("This request can no longer be placed for this buyer."))
    decider = company_selectors.membership_for(approval.decided_by)
    if not approval_selectors.may_decide(decider, approval):
        raise Refusal(_("You may not approve this request."))


def clean_address(address) -> dict[str, str]:
    if not isinstance(address, dict):
        raise Refusal(_("Enter your billing and shipping addresses."))
    cleaned = {name: str(address.get(name) or "").strip()[:200] for name in Address.SNAPSHOT_FIELDS}
    cleaned["country"] = cleaned["country"].upper()
    if any(not cleaned[name] for name in ADDRESS_REQUIRED) or (
        cleaned["country"] not in selling_countries()
    ):
        raise Refusal(_("Enter your billing and shipping addresses."))
    return cleaned
