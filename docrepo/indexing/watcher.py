"""Live indexing: watch the content directory and bring the index up to date.

Events are hints, not facts: an atomic save arrives as "added", a renamed folder as one
path, and files created in a new folder during a burst are often not reported at all.
So each batch is turned into paths to *look at* (a folder is walked, a vanished path
takes everything that was under it), and what is on disk decides. A burst (a
`git checkout`, a `git pull`) and a quiet period after it trigger a full reconciliation
scan (mtime and size, then hash), and so does a periodic timer: nothing is lost even
when an event is.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import watchfiles
from watchfiles._rust_notify import WatchfilesRustInternalError

from ..config import Settings
from ..content.shown_paths import ShownPaths
from ..content.tree import is_hidden, is_utf8
from ..errors import DocrepoError
from ..store.writing import IndexStore
from .extracting import start_readers
from .history import HistoryFollower
from .pipeline import UpdateSummary, update_index

log = logging.getLogger("docrepo.watch")

#: how long a batch of events waits for more (watchfiles' default 1.6 s is too long)
DEBOUNCE_MS = 50
#: more paths than this in one batch is a burst: scan everything, now and once it is quiet
BURST = 200
#: a full reconciliation scan runs at least this often
RECONCILE_SECONDS = 300.0
QUIET_SECONDS = 1.0
#: when neither native watching nor polling works, a full scan this often
SCAN_SECONDS = 2.0
_TEMPORARY = ("~", ".tmp", ".swp", ".swx", ".part", ".crdownload")


def relevant(content_dir: Path, path: str) -> bool:
    """Whether an event's path may concern a document (or a folder of documents)."""
    try:
        relative = Path(path).relative_to(content_dir).as_posix()
    except ValueError:
        return False
    # Any other path may be a folder (a gone one cannot be told from a file): what is on
    # disk, and what the manifest knew under it, decide. A name that is not UTF-8 is left
    # to the full scans, which report it.
    return (
        relative not in (".", "")
        and not is_hidden(relative)
        and not relative.endswith(_TEMPORARY)
        and is_utf8(relative)
    )


class Watcher:
    """Keeps one index equal to one content directory, until stopped."""

    def __init__(
        self,
        content_dir: Path,
        index_dir: Path,
        on_update: Callable[[UpdateSummary], None] | None = None,
        force_polling: bool | None = None,
        attachment_max_mb: int = Settings.attachment_max_mb,
    ) -> None:
        self.content_dir = content_dir.resolve()
        self.attachment_max_mb = attachment_max_mb
        self.store = IndexStore(index_dir)
        self.on_update = on_update
        self.force_polling = force_polling
        self.stop_event = threading.Event()
        self.history = HistoryFollower(self.content_dir, index_dir)
        self.shown = ShownPaths.of(self.content_dir)
        self._thread: threading.Thread | None = None

    def update(self, paths: set[str] | None) -> bool:
        """One update: of some paths, or (None) of the whole tree; False (logged) if it failed."""
        try:
            summary = update_index(
                self.content_dir, self.store, paths=paths, attachment_max_mb=self.attachment_max_mb
            )
        except (DocrepoError, OSError) as exc:
            log.error("docrepo: indexing failed (a full scan follows): %s", exc)
            return False
        changed = paths or set()
        for problem in summary.problems:
            if paths is None or problem.path in changed:
                log.warning("%s", problem.line_text("en", self.shown.show))
        if summary.added or summary.updated or summary.deleted:
            log.info("docrepo: %s", summary.line())
        if self.on_update:
            self.on_update(summary)
        return True

    def run(self) -> None:
        """Catch up with changes made while nothing ran, then follow the directory. If it
        stops for any reason but being asked to, the log and `/healthz` say why."""
        self.store.say_watcher("running")
        try:
            self._run()
        except KeyboardInterrupt:  # asked to stop, from the terminal
            self.store.say_watcher(None)
            raise
        except BaseException as exc:
            reason = f"{type(exc).__name__}: {exc}"
            log.exception(
                "docrepo: the watcher stopped (%s): no change is indexed any more", reason
            )
            self.store.say_watcher("stopped", reason)
            raise
        self.store.say_watcher(None)

    def _run(self) -> None:
        start_readers()
        self.update(None)
        polling = self.force_polling
        while not self.stop_event.is_set():
            try:
                self._follow(polling)
                return
            # inotify_init failing (out of instances: EMFILE) comes as an internal error,
            # inotify_add_watch failing (out of watches: ENOSPC) as an OSError
            except (OSError, WatchfilesRustInternalError) as exc:
                if polling:  # e.g. "File system loop found": a symbolic link to a parent
                    log.warning(
                        "docrepo: polling the files failed too (%s); falling back to a full "
                        "scan every %.0f s, which docrepo does without following links.",
                        exc,
                        SCAN_SECONDS,
                    )
                    self._scan_periodically()
                    return
                log.warning(
                    "docrepo: native file watching failed (%s); falling back to polling, which "
                    "is slower and costs more CPU. On Linux this usually means the inotify "
                    "limits are reached: raise the sysctls fs.inotify.max_user_watches and "
                    "fs.inotify.max_user_instances, then restart docrepo.",
                    exc,
                )
                polling = True

    def _scan_periodically(self) -> None:
        """The last resort: what a full scan finds, every few seconds, until stopped."""
        while not self.stop_event.wait(SCAN_SECONDS):
            self.update(None)

    def _follow(self, polling: bool | None) -> None:
        last_full = time.monotonic()
        # once the watches are set: a full scan finds what changed while they were not
        reconcile_after: float | None = last_full
        for changes in watchfiles.watch(
            self.content_dir,
            watch_filter=lambda _change, path: relevant(self.content_dir, path),
            debounce=DEBOUNCE_MS,
            step=10,
            stop_event=self.stop_event,
            rust_timeout=int(QUIET_SECONDS * 1000),
            yield_on_timeout=True,
            force_polling=polling,
            raise_interrupt=False,
        ):
            now = time.monotonic()
            paths = {Path(p).relative_to(self.content_dir).as_posix() for _, p in changes}
            if len(paths) > BURST:
                done = self.update(None)
                last_full, reconcile_after = now, now + QUIET_SECONDS
            elif paths:
                done = self.update(paths)
                if reconcile_after is not None or not done:
                    reconcile_after = now + QUIET_SECONDS
            elif (reconcile_after is not None and now >= reconcile_after) or (
                now - last_full >= RECONCILE_SECONDS
            ):
                done = self.update(None)
                last_full, reconcile_after = now, None if done else now + QUIET_SECONDS
            elif self.history.moved():  # a commit of files already indexed
                with self.store.writer_lock():
                    self.history.update()

    def start(self) -> None:
        """Run in a background thread (for `docrepo serve`)."""
        self._thread = threading.Thread(
            target=self._run_in_thread, name="docrepo-watch", daemon=True
        )
        self._thread.start()

    def _run_in_thread(self) -> None:
        with contextlib.suppress(Exception):  # logged and recorded by run()
            self.run()

    def stop(self) -> None:
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
