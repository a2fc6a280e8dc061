"""The writing side of the index directory: generations made and swapped, commits.

Only the one writer (`indexing`) uses this module: it holds the writer lock
(`lock.writer_lock`) around everything here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher
from whoosh.writing import MERGE_SMALL, SegmentWriter

from .. import schema
from . import checksums, whoosh_internals
from .codec import ArrayWriter
from .fields import build_schema
from .generations import (
    CURRENT,
    HOST,
    PREFIX,
    PREVIOUS,
    WATCHER_FILE,
    Generation,
    IndexDirectory,
)
from .lock import writer_lock
from .manifest import MANIFESTS, Manifest
from .whoosh_internals import Segment

log = logging.getLogger("docrepo.index")

__all__ = ["Commit", "IndexStore", "Segment", "Served", "committing"]


@dataclass(frozen=True)
class Served:
    """The generation being served, and its manifest."""

    generation: Generation
    manifest: Manifest


class IndexStore(IndexDirectory):
    """The index directory as its writer sees it."""

    def writer_lock(self) -> contextlib.AbstractContextManager[None]:
        return writer_lock(self.root)

    def load_manifest(self, generation: Generation, any_version: bool = False) -> Manifest | None:
        """The manifest of a generation (None if missing, damaged, or of another schema)."""
        manifest = MANIFESTS.load(generation.path)
        if manifest is None or (
            manifest.schema_version != schema.SCHEMA_VERSION and not any_version
        ):
            return None
        return manifest

    def served(self, any_version: bool = False) -> Served | None:
        """The current generation and its manifest, if it opens (and is of this schema)."""
        generation = self.current()
        if generation is None:
            return None
        manifest = self.load_manifest(generation, any_version)
        if manifest is None or generation.document_count() is None:
            return None
        if (damage := generation.damage()) is not None:
            log.warning(
                "docrepo: the index in %s is damaged (%s): rebuilding it", generation.path, damage
            )
            return None
        return Served(generation, manifest)

    def new_generation(self) -> Generation:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.root / f"{PREFIX}{stamp}"
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), build_schema())
        return Generation(path)

    def swap(self, generation: Generation) -> None:
        """Serve `generation` from now on; keep the previous one for readers still on it."""
        previous = self.current()
        if previous is not None and previous.damage() is None:  # a damaged one is not kept
            _replace_text(self.root / PREVIOUS, previous.name)
        _replace_text(self.root / CURRENT, generation.name)
        self.remove_stale()

    def say_watcher(self, state: str | None, reason: str = "") -> None:
        """Record what the watcher of this index is doing ("running", "stopped" with why,
        or None: it stopped as asked), for the readers' `/healthz`."""
        path = self.root / WATCHER_FILE
        if state is None:
            path.unlink(missing_ok=True)
            return
        self.root.mkdir(parents=True, exist_ok=True)
        record = {"state": state, "pid": os.getpid(), "host": HOST, "reason": reason}
        _replace_text(path, json.dumps(record))

    def remove_stale(self) -> None:
        """Remove the generations that neither `CURRENT` nor `PREVIOUS` names: older ones,
        and those that killed rebuilds left (the caller holds the writer lock, so no
        other writer is building one)."""
        names = {g.name for g in (self.current(), self.previous()) if g is not None}
        for folder in self.root.glob(f"{PREFIX}*"):
            if folder.name not in names:
                shutil.rmtree(folder, ignore_errors=True)


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


class Commit:
    """The changes of one commit: documents deleted and written, segments added."""

    def __init__(self, ix: Index, writer: SegmentWriter, source: Searcher) -> None:
        self._ix, self._writer, self._source = ix, writer, source
        self.segments: list[Segment] = []

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)

    def put(self, fields: dict[str, Any]) -> None:
        """Write a document, replacing the one of the same id."""
        self._writer.update_document(**fields)

    def stored_record(self, doc_id: str) -> dict[str, Any] | None:
        """The record stored for a document in the source generation."""
        stored = self._source.document(id=doc_id)
        return None if stored is None else dict(stored["record"])

    def write_segment(self, documents: Iterable[dict[str, Any]]) -> Segment:
        """Write documents into a segment of their own (in a forked child of the writer);
        the segment joins the index when the parent adds it to its commit."""
        writer = ArrayWriter(self._ix, **whoosh_internals.UNLOCKED)  # the parent holds the lock
        for fields in documents:
            writer.add_document(**fields)
        return whoosh_internals.finish_segment(writer)

    def add_segments(self, segments: list[Segment]) -> None:
        self.segments += segments


@contextlib.contextmanager
def committing(
    generation: Generation, source: Generation | None, on_cancel: Callable[[], None]
) -> Iterator[Commit]:
    """One commit into `generation`; records not written anew are read from `source`
    (the previous generation during a rebuild). If anything fails, nothing is committed,
    the files half written are removed (e.g. disk full) and `on_cancel` runs."""
    ix = generation.open()
    source_ix = source.open() if source else ix
    writer = ArrayWriter(ix, timeout=30.0)
    try:
        with source_ix.searcher() as searcher:
            commit = Commit(ix, writer, searcher)
            yield commit
        # segments written by other processes join the index in the same commit
        writer.commit(mergetype=lambda w, segments: MERGE_SMALL(w, segments) + commit.segments)
        checksums.record(generation.path)
    except BaseException:
        writer.cancel()
        with contextlib.suppress(Exception):
            whoosh_internals.remove_uncommitted(ix)
            on_cancel()
        raise
