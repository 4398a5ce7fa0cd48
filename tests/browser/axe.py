"""axe-core in the browser tests: injected into the page as it is (its real CSP stays on) and
run with the WCAG 2.0, 2.1 and 2.2 A and AA rules.

axe-core comes from tests/browser/package-lock.json (`npm ci --prefix tests/browser`). Without
it the tests that need it skip; under CI=true they fail instead, like the Chromium fixture.
"""

import os
from functools import cache
from pathlib import Path

import pytest

AXE_SOURCE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@cache
def axe_source() -> str | None:
    return AXE_SOURCE.read_text() if AXE_SOURCE.exists() else None


def require_axe() -> str:
    source = axe_source()
    if source is None:
        reason = "axe-core is not installed (npm ci --prefix tests/browser)"
        if os.environ.get("CI"):
            pytest.fail(f"Accessibility tests cannot be skipped in CI: {reason}")
        pytest.skip(reason)
    return source


def axe_violations(page) -> list[dict]:
    """The WCAG A/AA violations axe finds on the page as it is now."""
    source = require_axe()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    return page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})
            .then(results => results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            })))""",
        WCAG_TAGS,
    )


def duplicate_ids(page) -> list[dict]:
    """Ids used more than once, in the form of an axe violation (axe no longer checks them,
    yet a repeated id breaks the labels and descriptions that point at it)."""
    repeated = page.evaluate(
        """() => {
            const seen = {};
            document.querySelectorAll('[id]').forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
            return Object.entries(seen).filter(([, n]) => n > 1);
        }"""
    )
    if not repeated:
        return []
    return [
        {
            "id": "duplicate-id",
            "impact": "serious",
            "help": "ids must be unique",
            "nodes": [
                {"target": f"#{name}", "summary": f"used {count} times"} for name, count in repeated
            ],
        }
    ]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"  {node['target']}: {summary}")
    return "\n".join(lines)
