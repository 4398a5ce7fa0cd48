"""The one-time link that logs a new account's owner in (emails/signup_welcome).

Its own salt, so a welcome link is never a password reset link and the reverse. Like those, it
stops working once the account logs in or changes its password, and after
PASSWORD_RESET_TIMEOUT. The link carries one opaque token: the account's id and the check."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

SEPARATOR = "."  # in neither an encoded id nor a check


class WelcomeLinkTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "customers.tokens.WelcomeLinkTokenGenerator"


welcome_link_tokens = WelcomeLinkTokenGenerator()


def welcome_token_for(user) -> str:
    encoded = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{encoded}{SEPARATOR}{welcome_link_tokens.make_token(user)}"


def welcome_token_parts(token: str) -> tuple[int, str] | None:
    """(account id, check) of a welcome token, None when it cannot be one."""
    encoded, _separator, check = token.partition(SEPARATOR)
    try:
        return int(force_str(urlsafe_base64_decode(encoded))), check
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
