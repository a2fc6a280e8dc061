"""Shared fixtures: content trees built in tmp_path from a dict of files."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = REPO / "content"
TAXONOMY = SAMPLE_CONTENT / "taxonomy.yml"

Files = dict[str, str | bytes]
MakeTree = Callable[[Files], Path]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DOCREPO_* variable of the developer's shell leaks into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("DOCREPO_"):
            monkeypatch.delenv(name)


def front_matter(body: str = "Texte du document.", **fields: object) -> str:
    """A document's text from its fields (YAML-dumped) and body."""
    fields.setdefault("title", "Un document")
    fields.setdefault("type", "page")
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n\n{body}\n"


def write_tree(root: Path, files: Files) -> Path:
    """Write files under root/content (with the sample taxonomy unless given)."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    if "taxonomy.yml" not in files:
        shutil.copy(TAXONOMY, content / "taxonomy.yml")
    for name, data in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


@pytest.fixture
def make_tree(tmp_path: Path) -> MakeTree:
    """Build a content directory in tmp_path from {relative path: text or bytes}."""

    def make(files: Files) -> Path:
        return write_tree(tmp_path, files)

    return make


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled sample content, indexed once for the whole session."""
    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore

    index_dir = tmp_path_factory.mktemp("sample-index")
    update_index(SAMPLE_CONTENT, IndexStore(index_dir))
    yield index_dir
