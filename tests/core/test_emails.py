"""Emails are delivered by a background task: a failing mail server is recorded and retried,
never raised into the request that sent the email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.emails import MAX_ATTEMPTS, deliver_email
from tests.mail import DOWN

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_email_is_rendered_and_delivered_with_its_html_part():
    deliver_email.enqueue(subject="Hello", body="Plain", html="<p>Rich</p>", to=["a@example.com"])
    [message] = mail.outbox
    assert message.subject == "Hello" and message.body == "Plain"
    assert message.alternatives[0][0] == "<p>Rich</p>"


def test_with_the_mail_server_down_the_immediate_backend_records_the_failure(settings):
    settings.EMAIL_BACKEND = DOWN
    result = deliver_email.enqueue(subject="S", body="B", html="", to=["a@example.com"])
    assert result.status == TaskResultStatus.FAILED
    assert "SMTPServerDisconnected" in result.errors[0].exception_class_path


def test_the_database_backend_queues_emails_for_a_worker(settings):
    settings.TASKS = DATABASE_TASKS
    deliver_email.enqueue(subject="S", body="B", html="", to=["a@example.com"])
    assert mail.outbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"]["to"] == ["a@example.com"]


def test_a_failed_delivery_is_retried_later_and_stays_visible(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = DOWN
    before = timezone.now()
    with pytest.raises(OSError):
        deliver_email.call(subject="S", body="B", html="", to=["a@example.com"], attempt=1)
    [retry] = DBTaskResult.objects.all()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + timedelta(minutes=5)


def test_retries_stop_after_the_last_attempt(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = DOWN
    with pytest.raises(OSError):
        deliver_email.call(subject="S", body="B", html="", to=["a@b.example"], attempt=MAX_ATTEMPTS)
    assert not DBTaskResult.objects.exists()
