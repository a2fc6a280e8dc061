"""The single-writer lock of an index directory.

A lock belongs to the open file, which a forked child shares: children close their
copies at once, so that the lock is free as soon as the writing process lets it go or
dies, whatever its children still do (the hook is installed when this module is
imported, which only the writing side does).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import IndexUnavailable

LOCK_FILE = ".writer.lock"

_HELD: set[int] = set()
"""Descriptors of the writer locks this process holds."""


def _forget_in_child() -> None:
    for handle in _HELD:
        os.close(handle)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Hold the single-writer lock; a second writer waits here instead of failing."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise IndexUnavailable(f"cannot write the index in {root}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD.add(handle)
        try:
            yield
        finally:
            _HELD.discard(handle)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
