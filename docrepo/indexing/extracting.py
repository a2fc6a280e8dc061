"""Attachments' text for the writer: found, taken from the cache, or read apart.

`read_attachments` is the one door: for some documents, each attachment found with its
pages, and every problem of their `attachments` lines. A file is read in a process of
its own, with a limit of time (the parent kills it; `RLIMIT_CPU` as a backstop) and of
memory (`RLIMIT_AS`), so that a file built to hang or to eat memory costs that file
only, never the writer. The processes come from a fork server (`multiprocessing`'s
"forkserver"): a small process with the readers' libraries loaded, safe to fork whatever
threads the writer runs (the watcher's), and whose children do not inherit the writer's
address space (the index it has mapped), so that their memory limit is theirs. What a
file's bytes give is kept by their hash (`store.extraction_cache`), so an unchanged
file is read once, whatever it is named and whichever document attaches it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ..content.attachments import (
    UNREADABLE,
    DocumentAttachments,
    Located,
    finding_problem,
    locate,
    problem,
    text_of,
)
from ..content.check import AttachmentReader
from ..content.documents import Document
from ..content.extraction import OTHER, Extraction, Finding, extract, kind_of
from ..i18n import N_
from ..store.extraction_cache import ExtractionCache, Key

TIME_LIMIT = N_(
    "attachment '{name}': reading its text took more than {limit} s and was stopped: the "
    "file is served, but its text is not searchable"
)
MEMORY_LIMIT = N_(
    "attachment '{name}': reading its text needed more than {limit} MB of memory and was "
    "stopped: the file is served, but its text is not searchable"
)
STOPPED = N_(
    "attachment '{name}': reading its text stopped ({reason}): the file may be damaged; it "
    "is served, but its text is not searchable"
)

_MB = 1024 * 1024
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload([__name__, "pypdfium2", "docx", "odf.opendocument", "odf.teletype"])


def start_readers() -> None:
    """Start the fork server now, in the background: loading its libraries takes a second
    or two, which would otherwise delay the first attached file a watcher reads."""
    multiprocessing.forkserver.ensure_running()


@dataclass(frozen=True)
class Limits:
    """What reading one file may take."""

    seconds: float = 30.0
    memory_mb: int = 1024
    #: files read at once (0: one per CPU)
    processes: int = 0


def attachment_reader(
    max_mb: int, index_dir: Path | None, limits: Limits = Limits()
) -> AttachmentReader:
    """`read_attachments` with its settings: the largest file (`attachment_max_mb`), and
    the index directory whose cache it uses (None: no cache)."""
    cache = ExtractionCache(index_dir) if index_dir is not None else None
    return functools.partial(read_attachments, max_mb=max_mb, cache=cache, limits=limits)


def read_attachments(
    content_dir: Path,
    documents: Sequence[Document],
    *,
    max_mb: int,
    cache: ExtractionCache | None,
    limits: Limits = Limits(),
) -> dict[str, DocumentAttachments]:
    """Each document's attachments (by document id): the files found, with their pages,
    and the problems of its `attachments` line. Never raises for a bad file."""
    found: dict[str, tuple[list[Located], list[Any]]] = {
        document.id: locate(document, content_dir, max_mb)
        for document in documents
        if document.attachments
    }
    digests: dict[str, str | OSError] = {}
    for located, _ in found.values():
        for file in located:
            if file.path not in digests:
                digests[file.path] = _sha256(content_dir / file.path)
    wanted = {
        file.path: (digest, kind_of(file.path))
        for located, _ in found.values()
        for file in located
        if isinstance(digest := digests[file.path], str)
    }
    known = cache.get(set(wanted.values())) if cache is not None else {}
    jobs = sorted({path for path, key in wanted.items() if key not in known and key[1] != OTHER})
    read = (
        _read_apart([(content_dir / path, wanted[path][1]) for path in jobs], limits)
        if jobs
        else []
    )
    kept: dict[Key, Extraction] = {}
    outcomes: dict[str, tuple[str, Extraction]] = {}
    for path, (digest, extraction, lasting) in zip(jobs, read, strict=True):
        outcomes[path] = (digest or wanted[path][0], extraction)
        if lasting:
            kept[digest, wanted[path][1]] = extraction
    if cache is not None:
        cache.put(kept)
    return {
        document.id: _assemble(document, *found[document.id], digests, known, wanted, outcomes)
        for document in documents
        if document.id in found
    }


def _assemble(
    document: Document,
    located: list[Located],
    problems: list[Any],
    digests: Mapping[str, str | OSError],
    known: Mapping[Key, Extraction],
    wanted: Mapping[str, Key],
    outcomes: Mapping[str, tuple[str, Extraction]],
) -> DocumentAttachments:
    result = DocumentAttachments(problems=list(problems))
    for file in located:
        digest = digests[file.path]
        if isinstance(digest, OSError):
            reason = digest.strerror or str(digest)
            result.problems.append(
                problem(document, "error", UNREADABLE, file=file.attachment.file, reason=reason)
            )
            continue
        key = wanted[file.path]
        if file.path in outcomes:
            digest, extraction = outcomes[file.path]
        else:
            extraction = known.get(key) or Extraction(key[1])
        result.texts.append(text_of(file, extraction, digest))
        result.problems += [
            finding_problem(document, file.attachment, f) for f in extraction.findings
        ]
    return result


def _sha256(path: Path) -> str | OSError:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as source:
            while chunk := source.read(_MB):
                digest.update(chunk)
    except OSError as exc:
        return exc
    return digest.hexdigest()


#: what reading one file gave: the hash of the bytes read ("" when none were), the
#: extraction, and whether it is what those bytes always give (not a limit met)
_Outcome = tuple[str, Extraction, bool]


def _read_apart(jobs: Sequence[tuple[Path, str]], limits: Limits) -> list[_Outcome]:
    """Each file read in a process apart, a few processes at once, within the limits; a
    process reads one file after another until it meets a limit (then it is replaced)."""
    processes = min(limits.processes or len(os.sched_getaffinity(0)), len(jobs))
    outcomes: list[_Outcome | None] = [None] * len(jobs)
    waiting = deque(range(len(jobs)))
    workers: list[_Worker] = []
    try:
        while waiting or any(w.job is not None for w in workers):
            workers = [w for w in workers if w.alive]
            workers += [_Worker.start(limits) for _ in range(processes - len(workers))]
            for worker in workers:
                if worker.job is None and waiting:
                    index = waiting.popleft()
                    worker.give(index, *jobs[index])
            busy = [w for w in workers if w.job is not None]
            deadline = min(w.deadline for w in busy)
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy],
                 max(0.0, deadline - time.monotonic()))  # fmt: skip
            for worker in busy:
                job = worker.job
                outcome = worker.outcome()
                if job is not None and outcome is not None:
                    outcomes[job] = outcome
    finally:
        for worker in workers:
            worker.stop()
    return [o for o in outcomes if o is not None]


@dataclass
class _Worker:
    """A process reading files, one at a time, each within the limits."""

    process: BaseProcess
    connection: Connection
    limits: Limits
    alive: bool = True
    #: the index of the file it reads, its kind, and when its time is up
    job: int | None = None
    kind: str = OTHER
    deadline: float = 0.0
    #: whether it received the file it was given
    given: bool = True

    @classmethod
    def start(cls, limits: Limits) -> _Worker:
        connection, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(theirs, limits), daemon=True)
        process.start()
        theirs.close()
        return cls(process, connection, limits)

    def give(self, index: int, path: Path, kind: str) -> None:
        """Send it a file; if it had died waiting (killed from outside), `outcome` says
        at once that this file was not read."""
        self.job, self.kind = index, kind
        self.deadline = time.monotonic() + self.limits.seconds
        try:
            self.connection.send((str(path), kind))
            self.given = True
        except OSError:  # BrokenPipeError: the process is gone
            self.given, self.deadline = False, time.monotonic()

    def outcome(self) -> _Outcome | None:
        """What reading the file gave, once it has (None: still reading, in time)."""
        sent: tuple[Any, ...] | None = None
        if self.connection.poll():
            try:
                sent = self.connection.recv()
            except (EOFError, OSError):
                sent = None
        if sent is None and self.process.is_alive() and time.monotonic() < self.deadline:
            return None
        if sent is not None and sent[0] == "done":
            self.job = None
            return sent[1], sent[2], True
        self.stop()  # it met a limit, or died: never given another file
        self.job = None
        if sent is not None and sent[0] == "memory":
            return "", self._failed(MEMORY_LIMIT, limit=self.limits.memory_mb), False
        if sent is not None:
            return "", self._failed(STOPPED, reason=sent[1]), False
        code = self.process.exitcode
        timed_out = self.given and (code is None or code in (-signal.SIGKILL, -signal.SIGXCPU))
        if timed_out:
            return "", self._failed(TIME_LIMIT, limit=f"{self.limits.seconds:g}"), False
        reason = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if not self.given:
            reason = f"its reading process had ended: {reason}"
        return "", self._failed(STOPPED, reason=reason), False

    def _failed(self, message: str, **values: object) -> Extraction:
        return Extraction(self.kind, findings=(Finding.of("error", message, **values),))

    def stop(self) -> None:
        """End the process: at once when it reads a file, else by asking it to."""
        if self.alive and self.job is None and self.process.is_alive():
            with contextlib.suppress(OSError):
                self.connection.send(None)
            self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()
        self.alive = False


def _serve(connection: Connection, limits: Limits) -> None:
    """In a process of its own: read the files it is given, each within the limits, and
    send what each gave; stop at None, or after a file that met the memory limit."""
    memory = _address_space() + limits.memory_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while (job := connection.recv()) is not None:
        path, kind = job
        # the CPU time of this file, a backstop to the parent's clock (SIGXCPU ends it)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = math.ceil(usage.ru_utime + usage.ru_stime + limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, resource.RLIM_INFINITY))
        result: tuple[Any, ...]
        try:
            data = Path(path).read_bytes()
            result = ("done", hashlib.sha256(data).hexdigest(), extract(data, kind))
        except MemoryError:
            result = ("memory",)
        except OSError as exc:
            result = ("unreadable", exc.strerror or str(exc))
        connection.send(result)
        if result[0] == "memory":
            return


def _address_space() -> int:
    """The address space this process uses already (its libraries, its heap)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
