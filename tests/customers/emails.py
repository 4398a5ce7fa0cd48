"""Following the links of the emails customers get."""

import re

from django.core import mail

WELCOME_LINK = re.compile(r"https?://[^/\s]+(/accounts/welcome/[^/\s]+/)(\?next=\S+)?")


def welcome_link(to: str) -> str:
    """The path (with its ?next=) of the last welcome link sent to `to`."""
    for message in reversed(mail.outbox):
        if message.to == [to] and (found := WELCOME_LINK.search(message.body)):
            return found.group(1) + (found.group(2) or "")
    raise AssertionError(f"no welcome link sent to {to}")


def log_in_with_welcome_link(client, to: str):
    """Open the link and press its button, as the new account's owner does."""
    link = welcome_link(to)
    assert client.get(link).status_code == 200
    path, _, query = link.partition("?")
    data = {"next": query.removeprefix("next=")} if query else {}
    return client.post(path, data)
