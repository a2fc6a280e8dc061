"""Special files never stop indexing: a FIFO where the taxonomy or the synonyms should be
is a problem of that path, and the rest is indexed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docrepo.content.check import check_content
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
from support.trees import MakeTree, front_matter


@pytest.mark.parametrize("name", ["taxonomy.yml", "synonyms.yml"])
def test_a_fifo_is_a_problem_not_a_hang(make_tree: MakeTree, tmp_path: Path, name: str) -> None:
    content = make_tree({"a.md": front_matter("Texte.")})
    (content / name).unlink(missing_ok=True)
    os.mkfifo(content / name)
    problems = check_content(content)
    assert any(p.path == name and "not a regular file" in p.message for p in problems)
    summary = update_index(content, IndexStore(tmp_path / "index"))  # returns: no hang
    if name == "taxonomy.yml":  # without vocabularies no document is valid: all is said
        assert any(p.path == name and "not a regular file" in p.message for p in summary.problems)
    else:
        assert summary.added == 1
