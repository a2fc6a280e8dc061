"""The house's rules that import-linter cannot see: private Whoosh names behind one
door, and a web worker that loads nothing of the writer."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import whoosh

from docrepo.errors import ConfigError
from docrepo.store import whoosh_internals

PACKAGE = Path(__file__).resolve().parents[2] / "docrepo"
DOOR = PACKAGE / "store" / "whoosh_internals.py"
#: Whoosh modules whose names are internals (codecs, columns, storage, numeric utilities)
PRIVATE_MODULES = ("whoosh.codec", "whoosh.columns", "whoosh.system", "whoosh.util")
#: docrepo's codec: Whoosh's codec classes are its extension point, used only there
CODEC = (PACKAGE / "store" / "codec.py", PACKAGE / "store" / "segment_files.py")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != DOOR)


#: a named tuple's own methods: public, underscored so as not to clash with its fields
NAMED_TUPLE_API = frozenset({"_replace", "_asdict", "_fields", "_make"})


def test_private_whoosh_names_are_used_only_behind_the_door() -> None:
    """Outside store/whoosh_internals.py no module imports a `_name` from Whoosh, nor
    reads a `_name` attribute of an object not its own; and only docrepo's codec imports
    Whoosh's codec and column modules (whose classes it extends)."""
    found: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                if node.module.startswith(PRIVATE_MODULES) and path not in CODEC:
                    found.append(f"{where}:{node.lineno}: imports {node.module}")
                found += [
                    f"{where}:{node.lineno}: imports {alias.name} from {node.module}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (
                    isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "os")
                )
                and node.attr not in NAMED_TUPLE_API
            ):
                found.append(f"{where}:{node.lineno}: reads .{node.attr}")
    assert found == []


def test_whoosh_is_imported_only_by_the_store() -> None:
    """No module outside docrepo/store imports Whoosh (a package added later included):
    the search and the analysis reach the index through the store's interface."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            if any(name == "whoosh" or name.startswith("whoosh.") for name in names):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert found == []


def test_check_version_refuses_another_whoosh_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """At start, a Whoosh other than the pinned one stops docrepo with a clear message."""
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 4))
    with pytest.raises(ConfigError, match=r"needs Whoosh 2\.7\.5 .* found 2\.7\.4"):
        whoosh_internals.check_version()


READER = """
import re
import sys
from pathlib import Path
from starlette.testclient import TestClient
from docrepo.app import create_app
from docrepo.config import Settings

WRITER = ("docrepo.indexing", "docrepo.store.manifest", "docrepo.store.lock",
          "docrepo.store.writing")
RENDERER = ("docrepo.content.documents", "docrepo.content.markdown", "markdown_it",
            "frontmatter")

def loaded(names):
    inside = tuple(n + "." for n in names)
    return sorted(m for m in sys.modules if m in names or m.startswith(inside))

app = create_app(Settings(content=Path(sys.argv[1]), index=Path(sys.argv[2])))
with TestClient(app) as client:
    doc = "/doc/decisions/2024/dec240187daj"
    for url in ("/", "/?q=budget", "/problems", "/healthz", "/api/search?q=x", doc,
                doc + "/history"):
        assert client.get(url).status_code == 200, url
    print(loaded(WRITER + RENDERER))
    commit = re.search(r"version=([0-9a-f]{40})", client.get(doc + "/history").text).group(1)
    for url in (f"{doc}?version={commit}", f"{doc}/diff?from={commit}&to={commit}"):
        assert client.get(url).status_code == 200, url
    print(loaded(WRITER), bool(loaded(RENDERER)))
"""


def test_a_web_worker_loads_nothing_of_the_writer(sample_index: Path) -> None:
    """A reader serving every kind of page imports none of the writer's modules (the
    manifest, the lock and its fork hook, the pipeline); the front-matter reader and the
    Markdown renderer only once an old version or a comparison is asked for (they render
    committed bytes), and nothing of the writer even then."""
    from support.trees import SAMPLE_CONTENT

    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(READER), str(SAMPLE_CONTENT), str(sample_index)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "[] True"]
