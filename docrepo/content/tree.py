"""The content tree: which paths are documents, and the scan that finds them all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentUnreadable


def is_hidden(relative: str) -> bool:
    """Whether a path has a part starting with `.` or `_` (not content)."""
    return any(part.startswith((".", "_")) for part in relative.split("/") if part)


def is_document_path(relative: str) -> bool:
    """A `.md` file whose path has no part starting with `.` or `_`."""
    return relative.endswith(".md") and not is_hidden(relative)


def scan(content_dir: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path, stat) of every document file under the content directory.

    A folder that cannot be listed stops the scan: taken as empty, it would delete
    every document under it from the index.
    """
    stack = [content_dir]
    root = f"{os.fspath(content_dir).rstrip('/')}/"
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            if folder == content_dir:
                raise ContentUnreadable(f"the folder {folder} does not exist") from None
            continue  # removed while we walked: what was in it is gone
        except OSError as exc:
            raise ContentUnreadable(
                f"cannot read the folder {folder}: {exc.strerror or exc}"
            ) from None
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                relative = entry.path[len(root) :]
                try:
                    stat = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # removed while we walked
                yield relative, stat
