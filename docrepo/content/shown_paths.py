"""How the paths of content files are shown: one form for `docrepo check`, `docrepo
index`, the watcher's log and `/problems`.

A path is shown from the root of the git work tree holding the content folder (what
`git status` shows, what an editor's terminal or IDE opens from the repository's root):
`content/notes/a.md`. When the content folder is in no work tree, from the content
folder itself: `notes/a.md`. Where a command runs does not change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .history import ContentRepository


@dataclass(frozen=True)
class ShownPaths:
    """The form of a content directory's paths (`show` turns one relative to it into it)."""

    #: the content folder's path in its work tree, with a final "/" ("" when none)
    prefix: str = ""

    @classmethod
    def of(cls, content_dir: Path) -> ShownPaths:
        repository = ContentRepository.open(content_dir)
        prefix = repository.prefix if repository else ""
        return cls(f"{prefix}/" if prefix else "")

    def show(self, path: str) -> str:
        """A path relative to the content folder, as editors are shown it."""
        return self.prefix + path
