"""A mail server that is down, for the tests of what a failing mail server must not break."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend

DOWN = "tests.mail.DownEmailBackend"


class DownEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")
