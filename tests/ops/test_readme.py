"""The README an operator follows: every variable the settings read is named, and its
commands run on a machine with only python3 and make."""

import re

from .subprocess_settings import ROOT

README = (ROOT / "README.md").read_text()
READ = re.compile(r"""(?:env(?:\.\w+)?|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read_by_the_settings() -> set[str]:
    files = [*ROOT.joinpath("config", "settings").glob("*.py"), ROOT / "config" / "env.py"]
    return {name for path in files for name in READ.findall(path.read_text())}


def test_every_variable_the_settings_read_is_in_the_readme():
    names = variables_read_by_the_settings()
    assert {"DJANGO_DEBUG", "LOG_LEVEL", "TIME_ZONE", "SHOP_FORMAT_LOCALES"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert missing == []


def test_commands_use_the_virtualenv_or_make():
    commands = re.findall(r"```(?:sh|cron)\n(.*?)```", README, re.S) + re.findall(
        r"`([^`\n]+)`", README
    )
    bare = [
        line
        for block in commands
        for line in block.splitlines()
        if re.search(r"(^|[\s;&|(])(python|pip|gunicorn|pytest)\s", line)
    ]
    assert bare == []
