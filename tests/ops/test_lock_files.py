"""The lock files: every package pinned with its hashes, no registry named, the two locks in
agreement with each other and with the .in files they are compiled from."""

import re

import pytest

from .subprocess_settings import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\[\]-]*)==([^\s;\\]+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def pins(filename: str) -> dict[str, str]:
    lines = (ROOT / filename).read_text().splitlines()
    return {normalized(match[1]): match[2] for line in lines if (match := PIN.match(line.strip()))}


def entries(filename: str) -> list[str]:
    """Each requirement with its continuation lines, comments dropped."""
    text = (ROOT / filename).read_text()
    lines = [line for line in text.splitlines() if not line.strip().startswith("#")]
    return [entry for entry in "\n".join(lines).replace("\\\n", " ").splitlines() if entry]


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_package_is_pinned_with_hashes_and_no_registry_is_named(lock):
    text = (ROOT / lock).read_text()
    assert "://" not in text
    assert not re.search(r"--(extra-)?index-url|--find-links|--trusted-host", text)
    for entry in entries(lock):
        assert PIN.match(entry), entry
        assert "--hash=sha256:" in entry, entry


def test_the_locks_agree_with_their_sources_and_with_each_other():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert pins("requirements.in").items() <= runtime.items()
    assert pins("requirements-dev.in").items() <= dev.items()
    assert runtime.items() <= dev.items()
    assert dev["import-linter"] == "2.17"


def test_make_installs_with_hash_checking():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs
    assert all("--require-hashes" in line for line in installs)
