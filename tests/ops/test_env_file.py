"""The `.env` file: `.env.example` copied as it is gives the local shop, and the settings
module a `.env` names is the one manage.py runs with."""

import json

from .subprocess_settings import ROOT, run_manage

SHOW = (
    "import json, os; from django.conf import settings; db = settings.DATABASES['default']; "
    "print(json.dumps({'module': os.environ['DJANGO_SETTINGS_MODULE'], 'debug': settings.DEBUG, "
    "'engine': db['ENGINE'], 'name': str(db['NAME']), 'email': settings.EMAIL_BACKEND}))"
)


def test_the_example_copied_as_it_is_gives_the_local_shop():
    result = run_manage(
        {"DJANGO_ENV_FILE": str(ROOT / ".env.example")}, "shell", "--no-imports", "-c", SHOW
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "module": "config.settings.local",
        "debug": True,
        "engine": "django.db.backends.sqlite3",
        "name": str(ROOT / "db.sqlite3"),
        "email": "django.core.mail.backends.console.EmailBackend",
    }


def test_manage_py_obeys_the_settings_module_the_env_file_names(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_SETTINGS_MODULE=config.settings.production\n")
    result = run_manage({"DJANGO_ENV_FILE": str(env_file)}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr

    env_file.write_text(
        "DJANGO_SETTINGS_MODULE=config.settings.production\nSECRET_KEY=" + "k" * 50 + "\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'shop.sqlite3'}\n"
    )
    result = run_manage({"DJANGO_ENV_FILE": str(env_file)}, "shell", "--no-imports", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.splitlines()[-1])
    assert shown["module"] == "config.settings.production"
    assert shown["debug"] is False


def test_the_environment_wins_over_the_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_SETTINGS_MODULE=config.settings.production\n")
    result = run_manage(
        {"DJANGO_ENV_FILE": str(env_file), "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        "shell",
        "--no-imports",
        "-c",
        SHOW,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["module"] == "config.settings.local"
