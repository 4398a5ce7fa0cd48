"""What the health check says about one rule: a code and a message, with the example that
shows it."""

from dataclasses import dataclass
from datetime import datetime

from ..engine import ladders

FREE = ladders.FREE
GROUP_PAYS_MORE = ladders.GROUP_PAYS_MORE
TIER_INVERSION = ladders.TIER_INVERSION
NEVER_WINS = ladders.NEVER_WINS
SHADOWED = ladders.SHADOWED
# A company's rule on products its group does not see: its members can never buy them.
HIDDEN_FROM_COMPANY = "hidden_from_company"


@dataclass(frozen=True)
class RuleWarning:
    """One conflict of one rule, with the example that shows it (for the simulator link).

    ``rule_id`` is the price rule's (or the cart discount's) id; ``group_id`` the buyer's group
    (the default group for a guest), ``customer_id`` set when the buyer is a customer,
    ``company_id`` when it is a member of a company with rules;
    ``at`` the moment judged (a scheduled rule is judged at its start)."""

    rule_id: int
    code: str
    message: str
    product_id: int | None = None
    group_id: int | None = None
    customer_id: int | None = None
    quantity: int | None = None
    other_rule_id: int | None = None
    at: datetime | None = None
    company_id: int | None = None  # set when the buyer is a member of a company
