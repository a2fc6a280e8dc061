"""The index as the faces read it: a `Library` opens snapshots, a `Reader` answers one
request from one of them.

A request asks for a reader once and does everything through it: a document page's
record, relations and links come from one commit, even if another lands meanwhile.
The reader also answers what the faces ask of the index's health and problems, from
the manifest's file by one query each: a reader never loads the writer's manifest.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np

from ..access import EVERYONE, Viewer
from ..content.citations import unlink
from ..content.synonyms import NO_SYNONYMS, Synonyms, load_synonyms
from ..content.translation_lag import behind
from ..errors import DocrepoError, IndexUnavailable, Message, Problem
from ..i18n import N_
from ..schema import RELATIONS, day_number, status_on
from ..store import manifest_file
from ..store.generations import Generation, IndexDirectory, WatcherState
from ..store.manifest_file import Health
from .columns import SegmentCache
from .history import DocumentHistory, when
from .periods import told
from .request import SearchRequest
from .result import FileProblem, ProblemReport, SearchResult
from .searching import search
from .snapshot import Snapshot

log = logging.getLogger("docrepo")

Record = dict[str, Any]
P = ParamSpec("P")
T = TypeVar("T")


class Library:
    """Opens the newest commit of the index when asked, keeping the arrays of the
    segments that did not change."""

    def __init__(
        self,
        index_dir: Path,
        content_dir: Path | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.directory = IndexDirectory(index_dir)
        #: where `synonyms.yml` is (read again when it changes; none without)
        self.content_dir = content_dir
        #: the clock: which texts are in force depends on the day a search runs
        self.today = today
        #: held by the one request that renews the snapshot (see `_current`)
        self._renewing = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._segments = SegmentCache()
        #: damaged generations already logged
        self._reported: set[Path] = set()

    def reader(self) -> Reader:
        """A reader on the newest commit, reopened when a commit or a swap happened."""
        synonyms = load_synonyms(self.content_dir)[0] if self.content_dir else NO_SYNONYMS
        return Reader(self._current(), synonyms, self.today())

    def _current(self) -> Snapshot:
        """The snapshot to read. One request at a time renews it (verifies the files of a
        generation newly swapped in, some 800 MB at 100,000 documents, and opens a new
        commit) while the others go on reading the snapshot served until then: no search
        waits for a swap. Without a snapshot yet, every request waits for the first."""
        served = self._snapshot
        if not self._renewing.acquire(blocking=served is None):
            assert served is not None
            return served
        try:
            return self._renew()
        finally:
            self._renewing.release()

    def _renew(self) -> Snapshot:
        """The snapshot of the newest commit of the newest undamaged generation."""
        current = self._snapshot
        generation = self.directory.current()
        if generation is None:
            message = N_("no index in {path}: run 'docrepo index'")
            raise IndexUnavailable(Message.of(message, path=self.directory.root))
        if (damage := generation.damage()) is not None:
            # the last good generation serves until the writer swaps in a new one
            if generation.path not in self._reported:
                self._reported.add(generation.path)
                log.error("docrepo: the index in %s is damaged (%s)", generation.path, damage)
            fallback = self.directory.previous()
            if fallback is None or fallback.damage() is not None:
                self._snapshot = None
                raise _damaged(generation, damage)
            generation = fallback
        if current is not None and current.generation == generation and current.up_to_date():
            return current
        try:
            fresh = Snapshot(generation, self._segments)
        except IndexUnavailable:
            raise
        except Exception as exc:  # a damaged index fails in many ways
            message = N_("the index in {path} cannot be read ({reason}): run 'docrepo index'")
            raise IndexUnavailable(Message.of(message, path=generation.path, reason=exc)) from exc
        # the previous snapshot closes once the requests still reading it are done
        self._snapshot = fresh
        return fresh

    def search(self, request: SearchRequest, viewer: Viewer) -> SearchResult:
        return self.reader().search(request, viewer)

    def close(self) -> None:
        with self._renewing:
            if self._snapshot is not None:
                self._snapshot.close()
                self._snapshot = None


def _damaged(generation: Generation, damage: str) -> IndexUnavailable:
    message = N_(
        "the index in {path} is damaged ({damage}): the writer rebuilds it (docrepo index)"
    )
    return IndexUnavailable(Message.of(message, path=generation.path, damage=damage))


def _unless_damaged(read: Callable[P, T]) -> Callable[P, T]:
    """A reading that fails on a generation found damaged when checked again answers as
    an unavailable index (503), not as a bug."""

    @functools.wraps(read)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return read(*args, **kwargs)
        except DocrepoError:
            raise
        except Exception as exc:
            reader = args[0]
            assert isinstance(reader, Reader)
            generation = reader.snapshot.generation
            damage = generation.damage(again=True)
            if damage is None:
                raise
            raise _damaged(generation, damage) from exc

    return guarded


#: the look-ups /problems makes in one hold of a snapshot's lock (a few milliseconds)
_LOOKUPS = 256


class Reader:
    """Everything one request reads, from one snapshot, on one day (`today`): the
    records it gives have their status on that day."""

    def __init__(
        self, snapshot: Snapshot, synonyms: Synonyms = NO_SYNONYMS, today: dt.date | None = None
    ) -> None:
        self.snapshot = snapshot
        self.synonyms = synonyms
        self.today = today or dt.date.today()

    @_unless_damaged
    def search(self, request: SearchRequest, viewer: Viewer) -> SearchResult:
        return search(self.snapshot, request, viewer, self.synonyms, self.today)

    def _dated(self, record: Record, viewer: Viewer) -> Record:
        """A stored record with the period the viewer is told (`search.periods`) and its
        status today (its period may have ended since)."""
        shown = told(self.snapshot, viewer).record(record)
        return {**shown, "status": status_on(shown["validity"][1], day_number(self.today))}

    def document(self, doc_id: str, viewer: Viewer) -> Record | None:
        """The record of a document this viewer may see, as they may see it: the
        references its text cites of documents hidden from them are not links."""
        record = self._visible(doc_id, viewer)
        if record is None or not record["cites"]:
            return record
        hidden = [i for i in record["cites"] if self._visible(i, viewer) is None]
        return {**record, "html": unlink(record["html"], hidden)} if hidden else record

    @_unless_damaged
    def _visible(self, doc_id: str, viewer: Viewer) -> Record | None:
        """The stored record of a document this viewer may see."""
        with self.snapshot.lock:
            record = self.snapshot.record_of(doc_id)
        if record is None or not viewer.may_see(record["access"]):
            return None
        return self._dated(record, viewer)

    def replacements(self, record: Record, viewer: Viewer) -> list[Record]:
        """The visible texts that replaced a text, down the chain of texts replaced in
        turn, in the order they entered into force: each in force over its own period."""
        found: dict[str, Record] = {}
        pending = list(record["superseded_by"])
        while pending:
            doc_id = pending.pop()
            if doc_id in found or doc_id == record["id"]:
                continue
            successor = self.document(doc_id, viewer)
            if successor is not None:
                found[doc_id] = successor
                pending += successor["superseded_by"]
        return sorted(found.values(), key=lambda r: (r["effective"] or "", r["id"]))

    def records(self, ids: Sequence[str], viewer: Viewer) -> list[Record]:
        """The records of several documents, leaving out those the viewer may not see."""
        found = (self._visible(i, viewer) for i in ids)
        return [r for r in found if r is not None]

    @_unless_damaged
    def referrers(self, field_name: str, doc_id: str, viewer: Viewer) -> list[Record]:
        """Documents whose `field_name` (links, aliases) holds this id."""
        with self.snapshot.lock:
            numbers = self.snapshot.numbers(field_name, doc_id)
            records = [self.snapshot.record(n) for n in numbers]
            visible = [self._dated(r, viewer) for r in records if viewer.may_see(r["access"])]
        return sorted(visible, key=lambda r: (r["title"], r["id"]))

    def neighbours(self, record: Record, viewer: Viewer) -> dict[str, list[Record]]:
        """The visible documents a document is related to, links to, and is linked from."""
        related = {name: self.records(record[name], viewer) for name in RELATIONS}
        related["links_out"] = self.records(record["links"], viewer)
        related["links_in"] = self.referrers("links", record["id"], viewer)
        # the other language versions of its text (an index older than them has none)
        related["translations"] = self.records(record.get("translations", ()), viewer)
        return related

    def alias_owner(self, alias: str, viewer: Viewer) -> str | None:
        """The id of the visible document that an alias (a former id) now stands for;
        the first by path keeps an alias claimed twice, as the checker says."""
        owners = self.referrers("aliases", alias, viewer)
        return min(owners, key=lambda r: str(r["path"]))["id"] if owners else None

    def document_count(self) -> int:
        return self.snapshot.document_count()

    def health(self) -> Health | None:
        """The invalid files and the time of the last update, for `/healthz`."""
        return manifest_file.health(self.snapshot.generation.path)

    def watcher(self) -> WatcherState | None:
        """What the watcher writing this index says of itself (None: no watcher)."""
        return IndexDirectory(self.snapshot.generation.path.parent).watcher_state()

    def changed_at(self, records: Sequence[dict[str, Any]]) -> dict[str, dt.datetime]:
        """Id → when the document's file last changed (what an undated text's feed
        entry says: stable between polls)."""
        times = manifest_file.changed_at(
            self.snapshot.generation.path, [r["path"] for r in records]
        )
        return {
            r["id"]: dt.datetime.fromtimestamp(times[r["path"]] / 1e9, dt.UTC)
            for r in records
            if r["path"] in times
        }

    def problems(self, viewer: Viewer, every: bool = False) -> ProblemReport:
        """The problems of the content the viewer may know of (`every`: all of them, as
        `docrepo check` reports them, for an editor), each with the document the viewer
        may open for its file.

        A problem of a file whose indexed document the viewer may not see is hidden, and
        so is one whose message names such a document. A file never published (never
        valid, or a draft) has no known access: only a signed-in viewer sees its
        problems, so that nobody learns the paths of documents hidden from them.
        """
        judged = EVERYONE if every else viewer
        shown = [FileProblem(p, True, doc_id) for p, doc_id in self._links_to_hidden(judged)]
        shown += [
            FileProblem(p, True, p.path[: -len(".md")]) for p in self._translations_behind(judged)
        ]
        unpublished = 0
        for problem, doc_id in manifest_file.problems_with_documents(self.snapshot.generation.path):
            opened = doc_id if doc_id and self._visible(doc_id, viewer) is not None else None
            if doc_id is not None:
                visible = self._visible(doc_id, judged) is not None
            else:
                visible = judged.authenticated or judged.sees_all
            for other in problem.related_documents:  # the message names other documents
                visible = visible and self._visible(other, judged) is not None
            if visible:
                shown.append(FileProblem(problem, doc_id is not None, opened))
            elif doc_id is None:
                unpublished += 1
        shown.sort(key=lambda found: found.problem)
        return ProblemReport(shown, unpublished)

    def _translations_behind(self, viewer: Viewer) -> list[Problem]:
        """The warnings of the translations this viewer may see, with their originals,
        whose original was committed after them (from the history the writer keeps)."""
        snapshot = self.snapshot
        with snapshot.lock:
            columns = snapshot.columns
            docs = np.flatnonzero(columns.visible(viewer))
            texts = [columns.texts.values[code] for code in columns.text_of[docs].tolist()]
            pairs = [(t, o) for t, o in zip(columns.ids(docs), texts, strict=True) if t != o]
        if not pairs:
            return []
        history = DocumentHistory(snapshot.generation.path.parent)
        found: list[tuple[str, str, Any]] = []
        for translation, original in pairs:
            records = self.records([translation, original], viewer)
            if len(records) == 2 and (lag := history.lag(records[0], records[1], viewer)):
                found.append((records[0]["path"], original, lag))
        lines = manifest_file.field_lines(
            snapshot.generation.path, [path for path, _, _ in found], "translation_of"
        )
        return [
            behind(path, lines.get(path, 1), original, when(lag.changed).date(),
                   when(lag.translated).date())
            for path, original, lag in found
        ]  # fmt: skip

    def _links_to_hidden(self, viewer: Viewer) -> list[tuple[Problem, str]]:
        """For a viewer, a link of a visible text to a document hidden from them is a link
        to a missing file, warned of as one: the same warnings whether the target is
        hidden or absent, so that none tells a hidden document exists. Each with the id
        of the linking text."""
        snapshot = self.snapshot
        with snapshot.lock:
            visible = snapshot.columns.visible(viewer)
        # the ids from the arrays, the links looked up under the lock a few at a time:
        # searches go on between two batches
        hidden = snapshot.columns.ids(np.flatnonzero(snapshot.columns.live & ~visible))
        hidden_ids = set(hidden)
        linking: dict[str, str] = {}
        for start in range(0, len(hidden), _LOOKUPS):
            with snapshot.lock:
                numbers = [
                    n
                    for doc_id in hidden[start : start + _LOOKUPS]
                    for n in snapshot.numbers("links", doc_id)
                    if visible[n]
                ]
                records = [snapshot.record(n) for n in numbers]
            linking.update((record["path"], record["id"]) for record in records)
        links = manifest_file.links_of(snapshot.generation.path, sorted(linking))
        return [
            (Problem.missing_link(path, line, f"{target}.md"), linking[path])
            for path, found in links.items()
            for target, line in found
            if target in hidden_ids
        ]
