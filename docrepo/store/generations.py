"""The index directory and its generations, as readers see them.

Layout of the index directory::

    index/
      CURRENT          name of the generation being served (replaced atomically)
      .writer.lock     held by the one process writing (others wait for it)
      gen-<stamp>/     a Whoosh index, plus manifest.sqlite (files, hashes, problems)

An incremental update writes into the current generation. A rebuild, a schema change,
or a generation that does not open builds a new generation beside it and swaps
``CURRENT`` (`writing`): searches keep answering from the old one until the swap.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from ..errors import IndexUnavailable
from . import checksums
from .reading import CommitReader

CURRENT = "CURRENT"
#: what the watcher (the writer of `docrepo serve` or `docrepo watch`) says of itself
WATCHER_FILE = ".watcher"
#: the generation served before the last swap (kept for the readers still on it)
PREVIOUS = "PREVIOUS"
PREFIX = "gen-"


@dataclass(frozen=True)
class Generation:
    """One generation of the index: a folder holding a Whoosh index and its manifest."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def open(self) -> Index:
        """The Whoosh index of this generation, or IndexUnavailable."""
        try:
            # Without mmap: Whoosh copies each memory-mapped part it opens into a BytesIO
            # (a searcher on 100,000 documents then costs ~700 MB and ~1 s to open).
            return FileStorage(str(self.path), supports_mmap=False).open_index()
        except Exception as exc:  # Whoosh raises many kinds on a damaged index
            raise IndexUnavailable(f"the index in {self.path} does not open: {exc}") from exc

    def reader(self) -> CommitReader:
        """A reader on this generation's last commit, or IndexUnavailable."""
        return CommitReader(self.open().searcher())

    def damage(self, again: bool = False) -> str | None:
        """What is damaged in this generation's files (None: all as written)."""
        return checksums.damage(self.path, again)

    def document_count(self) -> int | None:
        """The number of documents, if the generation opens and reads (None: damaged)."""
        try:
            with self.open().searcher() as searcher:
                return int(searcher.doc_count())
        except Exception:  # a damaged index fails in many ways (struct.error, EOFError…)
            return None


#: this machine, as the watcher's record names it (a pid means something on its host only)
HOST = socket.gethostname()
#: the processes whose watcher is this process's own: itself, and the process that
#: started it (`docrepo serve --workers N` runs the watcher, its web workers serve),
#: taken when this module is first imported, before a killed parent leaves it orphaned
_OURS = frozenset({os.getpid(), os.getppid()})


@dataclass(frozen=True)
class WatcherState:
    """What the watcher of an index says of itself: `state` "running" or "stopped"
    (and why), its host, and whether it is this process's own watcher (`ours`)."""

    state: str
    reason: str
    host: str
    ours: bool


class IndexDirectory:
    """The index directory: which generation is served."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> Generation | None:
        """The generation `CURRENT` names, if it names an existing one."""
        return self._named(CURRENT)

    def previous(self) -> Generation | None:
        """The generation served before the last swap, if it is still there."""
        return self._named(PREVIOUS)

    def _named(self, file: str) -> Generation | None:
        try:
            name = (self.root / file).read_text(encoding="utf-8").strip()
        except (OSError, ValueError):  # missing, unreadable, or not text
            return None
        path = self.root / name
        ok = name.startswith(PREFIX) and "/" not in name and path.is_dir()
        return Generation(path) if ok else None

    def watcher_state(self) -> WatcherState | None:
        """What the watcher writing this index says of itself (None: no watcher ever ran
        here, or it stopped as asked). A watcher of this host whose process is gone
        without a word (killed) is stopped too; one of another host is as it said."""
        try:
            text = (self.root / WATCHER_FILE).read_text(encoding="utf-8")
            data = json.loads(text)
            state, pid, reason = str(data["state"]), int(data["pid"]), str(data.get("reason", ""))
            host = str(data.get("host", HOST))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if state == "running" and host == HOST and not _alive(pid):
            state, reason = "stopped", f"the process {pid} that ran it is gone"
        return WatcherState(state, reason, host, host == HOST and pid in _OURS)

    def open(self) -> Index:
        """The Whoosh index of the generation served, or IndexUnavailable."""
        generation = self.current()
        if generation is None:
            raise IndexUnavailable(f"no index in {self.root}: run 'docrepo index'")
        return generation.open()


def _alive(pid: int) -> bool:
    """Whether a process of this host runs (a zombie, killed but not yet collected by
    its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:  # no /proc (not Linux): the signal said it exists
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]
