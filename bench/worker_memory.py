"""The memory a production gunicorn worker holds: once booted (its pricing rules compiled by
gunicorn.conf.py) and after a few storefront pages (home, a category, a product).

Run from the repository root::

    .venv/bin/python bench/worker_memory.py [--database-url URL] [--products 1000]
        [--compare PATH]

Builds (or reuses) a demo catalogue in its own database (default: SQLite at
bench/.data/worker_memory.sqlite3; give the database bench/rules_reload.py filled to measure a
worker at 100,000 rules), then starts one sync worker with the production settings and reads
its VmRSS, and its proportional and private share (Pss, Private_*), from /proc. With
--compare, the same for the tree at PATH (another checkout, e.g. a worktree of main), run back
to back against the same database. Linux only; loopback only; prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    DATA,
    ROOT,
    GunicornServer,
    prepare_catalogue,
    production_environment,
)

PAGES = ("home", "category", "product")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'worker_memory.sqlite3'}")
    parser.add_argument("--products", type=int, default=1_000)
    parser.add_argument("--compare", type=Path, help="another checkout to measure the same way")
    return parser.parse_args()


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one worker, found {children}")
    return int(children[0])


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS, and from smaps_rollup the worker's proportional share of its pages (Pss) and the
    pages no other process maps (Private)."""
    status = Path(f"/proc/{pid}/status").read_text()
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

    def field(text: str, name: str) -> int:
        return int(re.search(rf"^{name}:\s+(\d+) kB", text, re.MULTILINE).group(1))

    return {
        "rss": field(status, "VmRSS"),
        "pss": field(rollup, "Pss"),
        "private": field(rollup, "Private_Clean") + field(rollup, "Private_Dirty"),
    }


def first_link(html: str, prefix: str) -> str:
    match = re.search(rf'href="(/(?:[a-z]{{2}}/)?{prefix}/[^"/]+/)"', html)
    if match is None:
        raise RuntimeError(f"the home page links to no {prefix}/ page")
    return match.group(1)


def measure(env: dict[str, str], root: Path) -> list[tuple[str, dict[str, int]]]:
    server = GunicornServer(env, "config.wsgi", workers=1, root=root)
    try:
        server.wait_ready(lambda port: get(port, "/healthz")[0] == 200, timeout=180)
        pid = worker_pid(server.process.pid)
        figures = [("booted", memory_kb(pid))]
        status, home = get(server.port, "/")
        paths = {"home": "/", "category": first_link(home, "c"), "product": first_link(home, "p")}
        for page in PAGES:
            status, _ = get(server.port, paths[page])
            if status != 200:
                raise RuntimeError(f"{paths[page]} answered {status}")
            figures.append((f"after {page}", memory_kb(pid)))
        return figures
    finally:
        server.stop()


def rule_count(env: dict[str, str]) -> int:
    import subprocess

    code = "from pricing.models import PriceRule; print(PriceRule.objects.count())"
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.split()[-1])


def main() -> None:
    args = parse_args()
    env = production_environment(args.database_url)
    prepare_catalogue(args.database_url, env, args.products)
    print(f"{rule_count(env)} price rules in the database")
    trees = [("this tree", ROOT)]
    if args.compare:
        trees.append((str(args.compare), args.compare.resolve()))
    for name, root in trees:
        print(f"\n{name}: one sync worker            VmRSS      Pss  Private  (MB)")
        for label, kb in measure({**env, "PYTHONPATH": str(root)}, root):
            mb = {key: value / 1024 for key, value in kb.items()}
            print(f"  {label:<28} {mb['rss']:7.1f}  {mb['pss']:7.1f}  {mb['private']:7.1f}")


if __name__ == "__main__":
    main()
