"""A rebuild's work shared among forked processes: reading files, writing segments.

Children are forked, so they start with the parent's memory: what a child works on is
not sent to it, and only its result comes back (parsed files, a segment's description).
Forking is safe only in a process with a single thread (a lock that another thread holds
at the fork stays held forever in the child): while any other thread runs (the watcher
of `docrepo serve`, a test's server) everything is done in-process.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from ..errors import IndexUnavailable
from ..store.writing import Commit, Segment

PARALLEL_FROM = 1000
"""The number of documents from which a rebuild is shared among processes."""

Item = TypeVar("Item")
Result = TypeVar("Result")

_FORK = multiprocessing.get_context("fork")
#: prctl's option that sends a signal to a process when its parent dies
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a child of `parent`: be killed when it dies (Linux's PR_SET_PDEATHSIG), so that
    a kill -9 of an indexer leaves no process behind."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above: nobody waits for us
        os._exit(1)


def processes_for(count: int) -> int:
    """How many processes to share `count` documents among (1: this one alone)."""
    cpus = len(os.sched_getaffinity(0))
    if count < PARALLEL_FROM or cpus < 2 or threading.active_count() > 1:
        return 1
    return cpus


def map_in_pool(
    function: Callable[[list[Item]], list[Result]], items: list[Item], processes: int, chunk: int
) -> Iterator[tuple[Item, Result]]:
    """Each item with its result, in order, computed `chunk` items at a time in a pool."""
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    pool = ProcessPoolExecutor(
        processes, mp_context=_FORK, initializer=die_with_parent, initargs=(os.getpid(),)
    )
    try:
        for part, results in zip(chunks, pool.map(function, chunks), strict=True):
            yield from zip(part, results, strict=True)
    except BrokenProcessPool:
        raise IndexUnavailable("a process reading the files stopped before the end") from None
    finally:  # on an error, or a caller that stops early: no chunk is started any more
        pool.shutdown(wait=True, cancel_futures=True)


def write_segments(
    commit: Commit,
    items: Sequence[Item],
    fields_of: Callable[[Item], dict[str, Any]],
    processes: int,
) -> list[Segment]:
    """`items` written as new segments of the commit's index, a share per process; the segments are
    not part of the index until a commit lists them. Raises IndexUnavailable, with no
    process left behind, when any process fails or writes less than its share."""
    share = -(-len(items) // processes)
    children = [
        _start_writer(commit, items[i : i + share], fields_of) for i in range(0, len(items), share)
    ]
    try:
        segments = [_segment_from(child, receiver) for child, receiver in children]
    finally:
        for child, receiver in children:
            receiver.close()
            child.terminate()  # nothing to do for a child that has finished
            child.join()
    written = sum(segment.doc_count_all() for segment in segments)
    if written != len(items):
        raise IndexUnavailable(f"the writing processes wrote {written} of {len(items)} documents")
    return segments


def _start_writer(
    commit: Commit,
    items: Sequence[Item],
    fields_of: Callable[[Item], dict[str, Any]],
) -> tuple[BaseProcess, Connection]:
    receiver, sender = _FORK.Pipe(duplex=False)
    child = _FORK.Process(
        target=_write_segment,
        args=(commit, items, fields_of, sender, os.getpid()),
        daemon=True,
    )
    child.start()
    sender.close()
    return child, receiver


def _write_segment(
    commit: Commit,
    items: Sequence[Item],
    fields_of: Callable[[Item], dict[str, Any]],
    sender: Connection,
    parent: int,
) -> None:
    """In a child: write `items` into a segment of their own and send its description
    back (or what went wrong, as text: an exception may not survive pickling)."""
    # The child's objects live until it exits: the collector would only walk them (and
    # touch, so copy, every page of the parent's memory it walks) again and again.
    gc.disable()
    die_with_parent(parent)
    try:
        sender.send(commit.write_segment(map(fields_of, items)))
    except Exception as exc:
        sender.send(getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}")


def _segment_from(child: BaseProcess, receiver: Connection) -> Segment:
    try:
        result = receiver.recv()
    except EOFError:  # the child died without a word (killed, out of memory)
        child.join()
        raise IndexUnavailable(
            f"a process writing the index stopped (exit code {child.exitcode})"
        ) from None
    if isinstance(result, str):
        raise IndexUnavailable(f"a process writing the index failed: {result}")
    segment: Segment = result
    return segment
