"""The recording of one process: events buffered in memory, written in the background.

A search only appends to a bounded queue; a thread of the process folds the requests
into intents (`intents`), and writes what is over to the file every `FLUSH_EVERY`
seconds, in one transaction (`storage`). When the file cannot be written (locked,
read-only, full, damaged, its folder missing) the batch is dropped, the state says
`unavailable`, the log says why once, and the file is tried again `RETRY` seconds later:
the insights pay for it, never a search.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from ..errors import Message
from ..i18n import N_
from . import storage
from .events import Opened, Search, normalise
from .intents import Intents

log = logging.getLogger("docrepo.insights")

#: seconds between two writes of the buffer
FLUSH_EVERY = 1.0
#: events waiting in memory, at most: more are ignored until the next write
MAX_QUEUE = 10_000
#: seconds an opened result waits for its search to reach the file (another process,
#: or an intent still open) before it is refused
WAIT = 90.0
#: opened results waiting at most
MAX_WAITING = 2_000
#: seconds before an unavailable file is tried again
RETRY = 60.0

UNAVAILABLE = N_("search insights are unavailable ({path}: {reason}); searches go on, "
                 "nothing is recorded until it is fixed")  # fmt: skip


class Recorder:
    """Records the searches and opened results of one process (`path` None: off)."""

    def __init__(
        self,
        path: Path | None,
        keep_days: int,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.path, self.keep_days = path, keep_days
        self.clock, self.today = clock, today
        self._queue: collections.deque[Search | Opened] = collections.deque()
        self._waiting: list[Opened] = []
        self._intents = Intents()
        self._writing = threading.Lock()
        self._starting = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._failed_at: float | None = None
        self._reason = ""
        self._purged: dt.date | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @classmethod
    def of(cls, settings: Settings) -> Recorder:
        off = settings.insights == "off"
        return cls(None if off else Path(settings.insights), settings.insights_days)

    @property
    def state(self) -> str:
        """`off`, `ok`, or `unavailable` (the file could not be written)."""
        if self.path is None:
            return "off"
        self._start()
        return "unavailable" if self._reason else "ok"

    def search(self, query: str, source: str, total: int, filters: list[tuple[str, str]]) -> None:
        """One search request (an empty query lists documents: not a search)."""
        normal = normalise(query)
        if normal:
            self._add(Search(self.today(), normal, source, total, tuple(filters), self.clock()))

    def opened(self, event: Opened) -> None:
        """A result opened from a search (checked when written)."""
        self._add(event)

    def _add(self, event: Search | Opened) -> None:
        if self.path is None or len(self._queue) >= MAX_QUEUE:
            return
        self._queue.append(event)
        self._start()

    def _start(self) -> None:
        if self._thread is None:
            with self._starting:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="docrepo-insights", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        while True:
            self.flush()
            if self._stop.wait(FLUSH_EVERY):
                return

    def flush(self, settle: bool = False) -> None:
        """Write what is over (`settle`: every intent open in this process too)."""
        if self.path is None:
            return
        with self._writing:
            now = self.clock()
            searches: list[Search] = []
            fresh: list[Opened] = []
            while self._queue:
                event = self._queue.popleft()
                if isinstance(event, Search):
                    searches += self._intents.add(event)
                else:
                    fresh.append(event)
            searches += self._intents.settle(None if settle else now)
            opened: list[tuple[Opened, bool]] = []
            held: list[Opened] = []
            for event in self._waiting + fresh:
                expired = now - event.at > WAIT
                if self._intents.found(event.query) is not None and not expired:
                    held.append(event)  # its search is an intent still open here
                else:
                    opened.append((event, expired))
            connection = self._open(now)
            if connection is None:
                self._waiting = []
                return
            try:
                self._purge(connection)
                waiting = storage.write(connection, searches, opened)
            except (sqlite3.Error, OSError) as exc:
                self._fail(now, exc)
                return
            self._waiting = (held + waiting)[:MAX_WAITING]

    def _open(self, now: float) -> sqlite3.Connection | None:
        if self._connection is not None:
            return self._connection
        if self._failed_at is not None and now - self._failed_at < RETRY:
            return None
        assert self.path is not None
        try:
            self._connection = storage.open_for_writing(self.path)
        except (sqlite3.Error, OSError) as exc:
            self._fail(now, exc)
            return None
        if self._reason:
            log.warning("docrepo: search insights are recorded again in %s", self.path)
        self._reason, self._failed_at = "", None
        return self._connection

    def _purge(self, connection: sqlite3.Connection) -> None:
        today = self.today()
        if self._purged != today:
            storage.purge(connection, today, self.keep_days)
            self._purged = today

    def _fail(self, now: float, exc: BaseException) -> None:
        reason = str(exc) or type(exc).__name__
        if reason != self._reason:
            log.warning("docrepo: %s", Message.of(UNAVAILABLE, path=self.path, reason=reason))
        self._reason, self._failed_at = reason, now
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        """Write what is buffered, intents included, and stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush(settle=True)
        with self._writing:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
