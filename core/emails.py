"""Every email the shop sends: a subject, a plain-text body and an optional HTML body rendered
from templates/emails/, sent through Django's email framework.

The subject and the plain-text body are plain text: they are rendered without HTML
autoescaping ("Acme & Sons", not "Acme &amp; Sons"). The HTML body stays escaped."""

import contextlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string


def render_plain_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: variables are not HTML-escaped."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_templated(*, template: str, to: list[str], context: dict) -> None:
    """Render emails/<template>_subject.txt, .txt and (when present) .html, and send."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    context = {"shop_name": settings.SHOP_NAME, **context}
    # One line, whatever the template's whitespace.
    subject = " ".join(render_plain_text(f"emails/{template}_subject.txt", context).split())
    body = render_plain_text(f"emails/{template}.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    with contextlib.suppress(TemplateDoesNotExist):
        message.attach_alternative(
            render_to_string(f"emails/{template}.html", context), "text/html"
        )
    message.send()
