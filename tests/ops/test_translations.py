"""The French and Arabic catalogues are complete and current: every message the code and
templates hold is translated, no translation is fuzzy or drops a placeholder, and no message
is missing from or left over in a catalogue (`make translations` refreshes them)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "ar")
SOURCES = ("config", "core", "customers", "pricing", "shop", "templates", "manage.py")


def catalogue(language: str, root: Path = ROOT):
    with open(root / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as file:
        return read_po(file, locale=language)


def message_keys(messages) -> set:
    return {
        (message.context, message.id if isinstance(message.id, str) else message.id[0])
        for message in messages
        if message.id
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    messages = [message for message in catalogue(language) if message.id]
    untranslated = [
        message.id
        for message in messages
        if not message.string or (isinstance(message.string, tuple) and not all(message.string))
    ]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert len(messages) > 2000
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalogue(language).check()
    ]
    assert problems == []


def test_arabic_has_its_six_plural_forms():
    assert catalogue("ar").num_plurals == 6


def test_the_catalogues_hold_exactly_the_messages_of_the_code(tmp_path):
    """makemessages (GNU gettext) on a copy of the sources changes no message."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        reason = "GNU gettext is not installed (apt-get install gettext)"
        if os.environ.get("CI"):
            pytest.fail(f"The stale-catalogue check cannot be skipped in CI: {reason}")
        pytest.skip(reason)
    for name in (*SOURCES, "locale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    args = ["--locale", "fr", "--locale", "ar", "--no-obsolete"]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *args],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        committed = message_keys(catalogue(language))
        current = message_keys(catalogue(language, tmp_path))
        assert sorted(current - committed) == [], f"{language}: new messages to translate"
        assert sorted(committed - current) == [], f"{language}: messages no longer used"
