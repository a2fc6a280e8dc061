"""Git repositories built in tests: commits with given authors, dates and messages.

Commits are made with the `git` command (as editors make them); docrepo reads them
back through pygit2.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from support.trees import Files

__all__ = ["Git"]


class Git:
    """A repository whose work tree is `root` (the content directory or a parent)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.run("init", "-q", "-b", "main")

    def run(
        self, *args: str, date: str = "2024-03-12T10:00:00+01:00", author: str = "Claire Martin"
    ) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": "editor@example.org",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(
        self,
        files: Files,
        message: str,
        date: str = "2024-03-12T10:00:00+01:00",
        author: str = "Claire Martin",
        under: str = "",
    ) -> str:
        """Write files (paths under `under`, a folder of the work tree), commit them all
        (deletions too), and return the commit's id."""
        for name, data in files.items():
            path = self.root / under / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        self.run("add", "-A")
        self.run("commit", "-q", "--allow-empty", "-m", message, date=date, author=author)
        return self.run("rev-parse", "HEAD")
