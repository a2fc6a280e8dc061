"""The watcher's log names a file's problems with its path as `docrepo check` shows it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from docrepo.indexing.watcher import Watcher
from support.git import Git
from support.trees import write_tree


def test_the_log_shows_paths_from_the_root_of_the_work_tree(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    Git(tmp_path)
    content = write_tree(tmp_path / "site", {"a.md": "---\ntitle: A\ntype: page\n---\n[x](b.md)\n"})
    with caplog.at_level(logging.WARNING):
        assert Watcher(content, tmp_path / "index").update(None)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "site/content/a.md:5: warning: link to site/content/b.md, which does not exist"
    ]
