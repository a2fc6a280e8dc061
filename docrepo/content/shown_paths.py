"""How the paths of content files are shown: one form for `docrepo check`, `docrepo
index`, the watcher's log and `/problems`.

A path is shown from the root of the git work tree holding the content folder (what
`git status` shows, what an editor's terminal or IDE opens from the repository's root):
`content/notes/a.md`. When the content folder is in no work tree, from the content
folder itself: `notes/a.md`. Where a command runs does not change it.

The work tree is found as git finds it, without loading git (pygit2): `docrepo check`
runs in pre-commit hooks and starts without it (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ShownPaths:
    """The form of a content directory's paths (`show` turns one relative to it into it)."""

    #: the content folder's path in its work tree, with a final "/" ("" when none)
    prefix: str = ""

    @classmethod
    def of(cls, content_dir: Path) -> ShownPaths:
        folder = content_dir.resolve()
        root = work_tree(folder)
        prefix = folder.relative_to(root).as_posix() if root else "."
        return cls("" if prefix == "." else f"{prefix}/")

    def show(self, path: str) -> str:
        """A path relative to the content folder, as editors are shown it."""
        return self.prefix + path


def work_tree(folder: Path) -> Path | None:
    """The root of the git work tree holding an absolute folder: the nearest folder up with
    a `.git` repository or a `.git` file naming one (a linked work tree, a submodule), on
    the same file system (as `git` and libgit2 discover it); None out of any."""
    try:
        device = folder.stat().st_dev
        for candidate in (folder, *folder.parents):
            if candidate.stat().st_dev != device:
                return None
            dot_git = candidate / ".git"
            if (dot_git / "HEAD").is_file() or (
                dot_git.is_file() and dot_git.read_bytes().startswith(b"gitdir:")
            ):
                return candidate
    except OSError:
        return None
    return None
