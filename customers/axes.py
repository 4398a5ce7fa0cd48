"""The username django-axes counts failures against.

Log-in matches the email address case-insensitively, so axes must see every spelling of one
address as the same username; otherwise each of the 2^n letter cases of an n-letter address
gets its own failure count and the lockout is bypassed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model


def normalized_username(request, credentials=None) -> str | None:
    """The submitted email address, normalised the way accounts are stored (lower case)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        username = data.get(field)
    if not isinstance(username, str):
        return username
    return get_user_model().objects.normalize_email(username).lower()
