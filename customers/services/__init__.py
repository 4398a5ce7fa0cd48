"""Write paths for customers: accounts and profiles, groups (`accounts`), wholesale
applications (`applications`). Companies have theirs in `customers.companies.services`.

Every write runs in a transaction; emails leave only once it has committed. The reads are in
`customers.selectors`, what depends on a request in `customers.web`."""

from .accounts import (
    customer_move_to_group,
    group_set_application_target,
    group_set_default,
    profile_ensure,
    profile_language_set,
    profile_update,
    signup_request,
    user_create,
)
from .applications import (
    ALREADY_PENDING,
    ALREADY_TRADE,
    NO_TARGET_GROUP,
    NOT_PENDING,
    REASON_REQUIRED,
    application_approve,
    application_reject,
    application_submit,
    application_submit_with_signup,
)

__all__ = [
    "ALREADY_PENDING",
    "ALREADY_TRADE",
    "NOT_PENDING",
    "NO_TARGET_GROUP",
    "REASON_REQUIRED",
    "application_approve",
    "application_reject",
    "application_submit",
    "application_submit_with_signup",
    "customer_move_to_group",
    "group_set_application_target",
    "group_set_default",
    "profile_ensure",
    "profile_language_set",
    "profile_update",
    "signup_request",
    "user_create",
]
