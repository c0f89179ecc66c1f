"""The import rules of docs/architecture.md, checked on every import statement of the packages
(module-level and the lazy ones inside functions): data flows one way, and the parts the offline
rebuild and the `extract` command use never pull in Scrapy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# what runs only inside a crawl: Scrapy, Twisted, and our modules built on them
SCRAPY_SIDE = ("scrapy", "twisted", "scrapy_redis", "spiders", "crawler.item_pipelines", "crawler.extensions",
               "crawler.refresh", "crawler.runner", "crawler.settings", "crawler.items", "crawler.stats",
               "crawler.workers", "crawler.scaleout", "crawler.jobs", "crawler.commands", "crawler.cli")

RULES = {
    # package: (what it must not import, what of ours it may import)
    "archive": (SCRAPY_SIDE[3:], ("archive",)),
    "crawler/extract": (SCRAPY_SIDE + ("sqlite3", "sqlite_utils"), ("crawler.extract",)),
    "crawler/analysis": (SCRAPY_SIDE, ("crawler.analysis", "crawler.extract")),
    "crawler/dataset": (SCRAPY_SIDE, ("crawler.dataset", "crawler.extract", "archive")),
    "crawler/scaleout/frontier.py": (SCRAPY_SIDE, ()),
}
OURS = ("archive", "crawler", "spiders")


def imported(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("place", sorted(RULES))
def test_imports_follow_the_rules(place):
    banned, allowed = RULES[place]
    target = ROOT / place
    files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    assert files
    broken = [f"{path.relative_to(ROOT)}:{line} imports {name}"
              for path in files for line, name in imported(path)
              if under(name, banned) or (under(name, OURS) and not under(name, allowed))]
    assert broken == []


def test_the_checker_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from scrapy import signals\n    import crawler.runner\n")
    assert [name for _, name in imported(module)] == ["scrapy", "crawler.runner"]
    assert under("crawler.runner", SCRAPY_SIDE) and not under("crawler.runnerx", SCRAPY_SIDE)


# a distribution whose module has another name
MODULE_OF = {"readability-lxml": "readability", "newspaper4k": "newspaper", "beautifulsoup4": "bs4",
             "python-dateutil": "dateutil"}
# declared, never imported by us, each for the reason docs/architecture.md gives
NOT_IMPORTED = {"pytest-timeout": "test", "lxml-html-clean": "bench"}


def _declared(group: list[str]) -> dict[str, str]:
    import re

    names = [re.split(r"[<>=!~\[ ;]", d)[0].lower() for d in group]
    return {name: MODULE_OF.get(name, name.replace("-", "_")) for name in names}


def _used(places) -> set[str]:
    import re

    used = set()
    for place in places:
        for path in (ROOT / place).rglob("*.py"):
            used |= {name.split(".")[0] for _, name in imported(path)}
            used |= set(re.findall(r'"-m", "(\w+)"', path.read_text(encoding="utf-8")))  # run as python -m
    return used


def test_every_declared_dependency_is_used():
    """No declared package that nothing imports (docs/architecture.md, Dependencies): the
    crawler's by the packages, each extra's by the code that needs it."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    ours = _used(OURS)
    assert {n for n, m in _declared(project["dependencies"]).items() if m not in ours} == set()
    # browser: the crawl's add-on, and the tests that re-render replays; bench: the peers; test: pytest
    where = {"browser": (*OURS, "tests"), "bench": ("bench",), "test": ("tests",)}
    assert set(project["optional-dependencies"]) == set(where)
    for extra, group in project["optional-dependencies"].items():
        used = _used(where[extra])
        unused = {n for n, m in _declared(group).items() if m not in used}
        assert unused == {n for n, e in NOT_IMPORTED.items() if e == extra}, extra


def _module_graph() -> dict[str, set[str]]:
    """Our modules and the modules of ours each imports (lazy imports too); ``from P import M``
    names the module ``P.M`` when there is one."""
    files = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for package in OURS for p in (ROOT / package).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in files:
                edges |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in files else node.module
                          for a in node.names}
        graph[name] = edges - {name}
    return graph


def test_no_modules_import_each_other_in_a_circle():
    """Data flows one way: no loop of imports, not even one a lazy import inside a function hides
    (the demo site's pages, stories and apps had one)."""
    graph = _module_graph()
    assert graph["crawler.demo.site"] >= {"crawler.demo.apps", "crawler.demo.pages"}  # the scan sees them
    circles, done = [], set()

    def visit(name, path):
        if name in path:
            circles.append(path[path.index(name):] + [name])
            return
        if name in done:
            return
        for nxt in sorted(graph[name]):
            visit(nxt, path + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert circles == []
