"""Production settings, imported in a fresh interpreter with the environment an operator
would give them."""

import json

import pytest

from .subprocess_settings import read_settings, run_python, run_settings

PRODUCTION = "config.settings.production"
REQUIRED = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "shop.example.com"}
POSTGRES = {**REQUIRED, "DATABASE_URL": "postgres://comptoir@127.0.0.1:5432/comptoir"}


def test_refuses_to_start_without_a_database_url():
    result = run_settings(PRODUCTION, REQUIRED, "DATABASES")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL" in result.stderr


def test_sqlite_when_chosen_explicitly(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    (databases,) = read_settings(
        PRODUCTION, {**REQUIRED, "DATABASE_URL": url}, "DATABASES"
    ).values()
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert databases["default"]["NAME"] == str(tmp_path / "shop.sqlite3")
    assert databases["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_persistent_connections_that_are_checked_before_reuse():
    (databases,) = read_settings(PRODUCTION, POSTGRES, "DATABASES").values()
    assert databases["default"]["CONN_MAX_AGE"] == 60
    assert databases["default"]["CONN_HEALTH_CHECKS"] is True
    (databases,) = read_settings(
        PRODUCTION, {**POSTGRES, "CONN_MAX_AGE": "5"}, "DATABASES"
    ).values()
    assert databases["default"]["CONN_MAX_AGE"] == 5


def test_mail_times_out_and_errors_reach_the_admins():
    values = read_settings(
        PRODUCTION,
        {
            **POSTGRES,
            "ADMINS": "Jeanne Martin <jeanne@example.com>, ops@example.com",
            "SERVER_EMAIL": "Comptoir errors <errors@example.com>",
        },
        "EMAIL_TIMEOUT",
        "ADMINS",
        "SERVER_EMAIL",
    )
    assert values["EMAIL_TIMEOUT"] == 10
    assert values["ADMINS"] == [["Jeanne Martin", "jeanne@example.com"], ["", "ops@example.com"]]
    assert values["SERVER_EMAIL"] == "Comptoir errors <errors@example.com>"
    defaults = read_settings(
        PRODUCTION, {**POSTGRES, "EMAIL_TIMEOUT": "3"}, "EMAIL_TIMEOUT", "ADMINS"
    )
    assert defaults == {"EMAIL_TIMEOUT": 3, "ADMINS": []}


# A bad Host header, then a refused method, through the whole middleware stack.
REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client()
print(client.get("/healthz", HTTP_HOST="evil.example").status_code)
print(client.post("/healthz", HTTP_HOST="shop.example.com").status_code)
"""


def log_lines(module, tmp_path, **env):
    environment = {
        **POSTGRES,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.sqlite3'}",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path),
        "LOG_LEVEL": "WARNING",
        **env,
    }
    result = run_python(REQUESTS, module, environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["400", "405"]
    return [line for line in result.stderr.splitlines() if "UserWarning" not in line and line]


@pytest.mark.parametrize("module", [PRODUCTION, "config.settings.local"])
def test_each_event_is_one_line_and_a_bad_host_is_a_warning(module, tmp_path):
    lines = log_lines(module, tmp_path)
    assert len(lines) == 2, lines
    bad_host, refused = lines
    assert "WARNING" in bad_host and "Invalid HTTP_HOST header: 'evil.example'" in bad_host
    assert "Method Not Allowed (POST): /healthz" in refused


def test_json_lines_when_asked(tmp_path):
    records = [json.loads(line) for line in log_lines(PRODUCTION, tmp_path, LOG_FORMAT="json")]
    assert [(r["level"], r["logger"]) for r in records] == [
        ("WARNING", "django.security.DisallowedHost"),
        ("WARNING", "django.request"),
    ]
    assert records[1]["message"] == "Method Not Allowed (POST): /healthz"
    assert "exc_info" not in records[0]
