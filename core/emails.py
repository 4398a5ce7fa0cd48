"""Every email the shop sends: a subject, a plain-text body and an optional HTML body rendered
from templates/emails/, then delivered by a background task (the Django Tasks API).

The subject and the plain-text body are plain text: they are rendered without HTML
autoescaping ("Acme & Sons", not "Acme &amp; Sons"). The HTML body stays escaped.

Rendering happens at once, so the task carries only text. Delivery never fails the request
that asked for it: the immediate backend (tests, `make run`) records a failure instead of
raising it, and the database backend (production, `manage.py db_worker`) runs it in a worker.
A delivery that fails is retried later, a few times, where the backend can defer tasks; every
failed attempt stays visible as a failed task result in the admin."""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django_tasks import task

MAX_ATTEMPTS = 5
RETRY_DELAY = timedelta(minutes=5)  # then 10, 20 and 40 minutes


@task()
def deliver_email(*, subject: str, body: str, html: str, to: list[str], attempt: int = 1) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        if attempt < MAX_ATTEMPTS and deliver_email.get_backend().supports_defer:
            deliver_email.using(
                run_after=timezone.now() + RETRY_DELAY * 2 ** (attempt - 1)
            ).enqueue(subject=subject, body=body, html=html, to=to, attempt=attempt + 1)
        raise


def render_plain_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: variables are not HTML-escaped."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_templated(*, template: str, to: list[str], context: dict, language: str = "") -> None:
    """Render emails/<template>_subject.txt, .txt and (when present) .html, and queue them.
    `language`: the recipients' language (a customer's preferred one); the active language
    when empty."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    with translation.override(language or translation.get_language()):
        _render_and_queue(template=template, to=recipients, context=context)


def _render_and_queue(*, template: str, to: list[str], context: dict) -> None:
    context = {
        "shop_name": settings.SHOP_NAME,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        **context,
    }
    # One line, whatever the template's whitespace.
    subject = " ".join(render_plain_text(f"emails/{template}_subject.txt", context).split())
    body = render_plain_text(f"emails/{template}.txt", context)
    html = ""
    with contextlib.suppress(TemplateDoesNotExist):
        html = render_to_string(f"emails/{template}.html", context)
    deliver_email.enqueue(subject=subject, body=body, html=html, to=to)
