"""The writer's step that keeps the history up to date: the commits made since the last
HEAD it recorded, appended to ``index/history.sqlite`` (`store.history_file`).

Run by every update of the index (under the writer lock), and by the watcher when HEAD
moves without a file changing (a commit of saved files). A HEAD that does not descend
from the one recorded (a rewritten history, another repository, another folder) records
the history anew; a content directory outside git has none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..content.history import ContentRepository
from ..content.tree import is_document_path
from ..store import history_file
from ..store.history_file import Recorded

log = logging.getLogger("docrepo.index")


class HistoryFollower:
    """Follows the HEAD of the repository holding one content directory."""

    def __init__(self, content_dir: Path, index_dir: Path) -> None:
        self.content_dir = content_dir
        self.index_dir = index_dir
        self._repository: ContentRepository | None = None
        self._seen: str | None = None

    def moved(self) -> bool:
        """Whether HEAD is not the one last recorded (cheap: one read of a ref)."""
        repository = self._repository or ContentRepository.open(self.content_dir)
        self._repository = repository
        head = repository.head() if repository else None
        return head != self._seen

    def update(self) -> int:
        """Record the commits made since the last HEAD recorded; how many there were.
        The caller holds the writer lock. A repository that cannot be read is logged:
        the index is kept up to date all the same."""
        try:
            return self._update()
        except Exception as exc:  # libgit2 and SQLite fail in many ways; search goes on
            log.warning("docrepo: the history of the content could not be read: %s", exc)
            return 0

    def _update(self) -> int:
        repository = self._repository = ContentRepository.open(self.content_dir)
        head = repository.head() if repository else None
        if repository is None or head is None:
            history_file.forget(self.index_dir)
            self._seen = None
            return 0
        source = Recorded(repository.root, repository.prefix, head)
        last = history_file.recorded(self.index_dir)
        if last == source:
            self._seen = head
            return 0
        continued = (
            last is not None
            and (last.root, last.prefix) == (source.root, source.prefix)
            and repository.has(last.head)
            and repository.descends(head, last.head)
        )
        since = last.head if continued and last else None
        count = history_file.record(
            self.index_dir,
            source,
            repository.commits(head, since, is_document_path),
            anew=since is None,
        )
        if count:
            log.info("docrepo: %d commit(s) of the content recorded in its history", count)
        self._seen = head
        return count


def update_history(content_dir: Path, index_dir: Path) -> int:
    """Bring the recorded history up to date with the content's repository."""
    return HistoryFollower(content_dir, index_dir).update()
