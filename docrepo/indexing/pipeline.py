"""Bringing the index up to date with the content directory, in named steps.

One update: decide where to write (the current generation, or a new one for a
rebuild), look at the files (all, or the paths a watcher names), read those that
changed, resolve relations, then write what changed in one commit and save the
manifest. A rebuild swaps `CURRENT` at the end; until then readers see the old one.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG

from .. import schema
from ..config import Settings
from ..content.attachments import AttachmentText, cited, file_state, file_states
from ..content.documents import Document, ParsedFile, parse_file
from ..content.entries import Entry, entry_for
from ..content.relations import RelationGraph
from ..content.taxonomy import TAXONOMY_FILE, Taxonomy, load_taxonomy
from ..content.tree import is_document_path, is_hidden, scan
from ..errors import IndexUnavailable, Problem
from ..store import manifest_file
from ..store.generations import Generation
from ..store.manifest import MANIFESTS, Manifest
from ..store.writing import Commit, IndexStore, committing
from .extracting import attachment_reader
from .history import update_history
from .parallel import map_in_pool, processes_for, write_segments
from .records import derived_fields, document_record, record_fields

log = logging.getLogger("docrepo.index")

#: files read by a process of the pool at a time
PARSE_CHUNK = 200

Progress = Callable[[int, int], None]
StatMap = dict[str, os.stat_result]


@dataclass
class UpdateSummary:
    """What one `docrepo index` run did."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    invalid: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.deleted} deleted, "
            f"{self.invalid} invalid in {self.seconds:.2f} s"
            + (" (index rebuilt)" if self.rebuilt else "")
        )


def update_index(
    content_dir: Path,
    store: IndexStore,
    rebuild: bool = False,
    progress: Progress | None = None,
    paths: Collection[str] | None = None,
    attachment_max_mb: int = Settings.attachment_max_mb,
) -> UpdateSummary:
    """Bring the index up to date with the content directory (only what changed).

    With `paths` (relative to the content directory: files or folders, existing or
    gone), only those are looked at; the others are taken as unchanged. Without, the
    whole tree is scanned (by mtime and size, then by hash). A document whose attached
    files changed is read again; their text is read apart (`extracting`), each file once
    by its hash (the cache of the index directory), and no larger than
    `attachment_max_mb`.
    """
    started = time.perf_counter()
    with store.writer_lock():
        store.remove_stale()  # what a killed rebuild left
        try:
            summary = _update_locked(
                content_dir, store, rebuild, progress, paths, attachment_max_mb
            )
            update_history(content_dir, store.root)
        except (OSError, sqlite3.Error) as exc:
            store.remove_stale()  # a generation this update began, and could not finish
            raise _write_error(store.root, exc) from exc
        except IndexUnavailable:
            store.remove_stale()
            raise
    summary.seconds = time.perf_counter() - started
    return summary


def _write_error(root: Path, exc: OSError | sqlite3.Error) -> IndexUnavailable:
    """One line for what stopped a write: a full disk (or a file size limit) says how much
    room is left."""
    number = getattr(exc, "errno", None)
    if number in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or "full" in str(exc).lower():
        try:
            free = f"{shutil.disk_usage(root).free:,} bytes free"
        except OSError:
            free = "no room left"
        return IndexUnavailable(f"disk full writing the index in {root}: {free}")
    reason = getattr(exc, "strerror", None) or exc
    return IndexUnavailable(f"cannot write the index in {root}: {reason}")


def _update_locked(
    content_dir: Path,
    store: IndexStore,
    rebuild: bool,
    progress: Progress | None,
    paths: Collection[str] | None,
    attachment_max_mb: int,
) -> UpdateSummary:
    if not content_dir.is_dir():
        raise IndexUnavailable(f"the content directory {content_dir} does not exist")
    if paths is None and not rebuild and (unchanged := _nothing_changed(content_dir, store)):
        return unchanged
    target = _Target.choose(store, rebuild)
    summary = UpdateSummary(rebuilt=target.rebuilt)
    taxonomy, taxonomy_problems = load_taxonomy(content_dir)
    taxonomy_hash = _file_hash(content_dir / TAXONOMY_FILE)
    reread_all = taxonomy_hash != target.old.taxonomy_hash
    look = _Look.at(content_dir, target.old, None if reread_all else paths)
    reader = _Attachments(attachment_max_mb, store.root)
    read = _read_changes(content_dir, taxonomy, target, look, reread_all, progress, reader)
    summary.deleted = sum(
        1 for p, e in target.old.entries.items() if p not in look.entries and e.indexed
    )
    same = not (target.rebuilt or read.paths or len(look.entries) != len(target.old.entries))
    if same and sorted(look.problems) == target.old.path_problems():
        summary.invalid = len(target.old.invalid_paths())
        summary.problems = target.old.problems()
        return summary  # nothing changed: relations neither

    partial = None if target.rebuilt or reread_all else read.paths
    graph = _relations(target.old, look.entries, partial)
    relations = graph.relations()
    manifest = Manifest(
        look.entries,
        taxonomy_hash,
        datetime.now(UTC).isoformat(timespec="seconds"),
        sorted(taxonomy_problems + relations.problems + look.problems),
        relations.derived,
        schema_version=schema.SCHEMA_VERSION,
        graph=graph,
    )
    change = _Change(target.old, manifest, read.documents, read.attached)
    _write(target, change, summary, taxonomy, read.paths)
    if target.rebuilt:
        store.swap(target.generation)
    summary.invalid = len(manifest.invalid_paths())
    summary.problems = manifest.problems()
    return summary


def _file_hash(path: Path) -> str:
    """The hash of a regular file ("" for anything else: reading a FIFO would wait forever)."""
    try:
        if not S_ISREG(path.stat().st_mode):
            return ""
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _nothing_changed(content_dir: Path, store: IndexStore) -> UpdateSummary | None:
    """The summary of a full scan that finds every file as the manifest knows it, found
    from the manifest's file stats alone (None: something changed, or the index needs
    more than a look). The usual case at start-up, and for periodic reconciliation."""
    generation = store.current()
    header = manifest_file.header(generation.path) if generation else None
    if (
        generation is None
        or header is None
        or header.get("schema_version") != str(schema.SCHEMA_VERSION)
        or header.get("pending") == "1"
        or header.get("taxonomy_hash") != _file_hash(content_dir / TAXONOMY_FILE)
    ):
        return None
    tree = scan(content_dir)
    if tree.problems:  # folders and names to report again (and what is under them kept)
        return None
    on_disk = {path: (st.st_mtime_ns, st.st_size) for path, st in tree.files.items()}
    if on_disk != manifest_file.file_stats(generation.path) or generation.document_count() is None:
        return None
    attached = manifest_file.attachment_states(generation.path)
    if any(file_state(content_dir, path) != (path, *state) for path, *state in attached):
        return None
    if generation.damage() is not None:  # the full update rebuilds it
        return None
    problems = manifest_file.problems(generation.path)
    return UpdateSummary(invalid=int(header.get("invalid", "0")), problems=problems)


@dataclass
class _Target:
    """Where an update writes: the generation served, or a new one (a rebuild). A
    rebuild also keeps the last generation that opens (even of an older schema): it
    lends the last valid version of files that are broken now."""

    generation: Generation
    old: Manifest
    salvage: Generation | None
    #: the files' last versions as the generation lending them knows them
    remembered: dict[str, Entry]
    rebuilt: bool

    @classmethod
    def choose(cls, store: IndexStore, rebuild: bool) -> _Target:
        current = store.served()
        if current is not None and current.manifest.pending:
            log.warning("docrepo: the last indexing stopped half-way: rebuilding the index")
            rebuild = True
        if current is not None and not rebuild:
            return cls(current.generation, current.manifest, None, current.manifest.entries, False)
        salvage = store.served(any_version=True)
        return cls(
            store.new_generation(),
            Manifest(),
            salvage.generation if salvage else None,
            salvage.manifest.entries if salvage else {},
            True,
        )


@dataclass
class _Look:
    """The files an update looks at (with their stats), the entries kept of the others
    (the paths it did not look at, less those found gone), and the problems of paths
    (folders that cannot be read, names that are not UTF-8) as they stand now."""

    seen: StatMap
    entries: dict[str, Entry]
    problems: list[Problem]
    #: the documents among `seen` whose attached files changed (read again)
    attached: set[str] = field(default_factory=set)

    @classmethod
    def at(cls, content_dir: Path, old: Manifest, paths: Collection[str] | None) -> _Look:
        if paths is None:
            tree = scan(content_dir)
            entries = {
                path: entry
                for path, entry in old.entries.items()
                if path in tree.files or tree.unknown(path)  # unreadable: kept as it was
            }
            look = cls(tree.files, entries, tree.problems)
            look.attachments_changed(content_dir, None)
            return look
        seen, gone, problems = _look_at(content_dir, old, paths)
        entries = {path: entry for path, entry in old.entries.items() if path not in gone}
        looked = {p.strip("/") for p in paths}
        kept = [p for p in old.path_problems() if not _under_any(p.path, looked)]
        look = cls(seen, entries, kept + problems)
        look.attachments_changed(content_dir, looked)
        return look

    def attachments_changed(self, content_dir: Path, looked: set[str] | None) -> None:
        """Find the documents whose attached files changed (among those under `looked`;
        None: all), and look at them too."""
        for path, entry in self.entries.items():
            states = entry.attachments
            if looked is not None and not any(_under_any(p, looked) for p, _, _ in states):
                continue
            if states and [file_state(content_dir, p) for p, _, _ in states] != states:
                with contextlib.suppress(OSError):
                    self.seen.setdefault(path, (content_dir / path).stat())
                    self.attached.add(path)


def _under_any(path: str, folders: set[str]) -> bool:
    return any(path == f or path.startswith(f"{f}/") or not f for f in folders)


def _look_at(
    content_dir: Path, old: Manifest, paths: Collection[str]
) -> tuple[StatMap, set[str], list[Problem]]:
    """Stats of the documents under the given paths, the known paths now gone, and the
    problems of the paths found."""
    found: StatMap = {}
    gone: set[str] = set()
    problems: list[Problem] = []
    for path in {p.strip("/") for p in paths}:
        absolute = content_dir / path
        if is_hidden(path):
            continue
        if absolute.is_dir() and not absolute.is_symlink():
            tree = scan(absolute, f"{path}/" if path else "")
            found.update(tree.files)
            problems += tree.problems
            unknown = tree.unknown
        else:
            unknown = _nothing_unknown
            if is_document_path(path) and absolute.is_file() and not absolute.is_symlink():
                with contextlib.suppress(FileNotFoundError):  # gone since: then it is gone
                    found[path] = absolute.stat()
        if path in found:
            continue
        prefix = f"{path}/" if path else ""  # a folder, or a file gone: what was under it
        gone.update(
            p for p in old.entries if (p == path or p.startswith(prefix)) and not unknown(p)
        )
    return found, gone - set(found), problems


def _nothing_unknown(path: str) -> bool:
    return False


@dataclass
class _Read:
    """The files read anew, and the valid documents among them."""

    paths: list[str]
    documents: dict[str, Document]
    #: the attached files of the documents read, by document path
    attached: dict[str, list[AttachmentText]] = field(default_factory=dict)


def _read_changes(
    content_dir: Path,
    taxonomy: Taxonomy,
    target: _Target,
    look: _Look,
    reread_all: bool,
    progress: Progress | None,
    attachments: _Attachments,
) -> _Read:
    """Read the files whose stats changed (all of them when the taxonomy did), or whose
    attached files did, and update `look.entries`; a file whose bytes did not change
    (nor its attached files) keeps its entry."""
    old = target.old.entries
    to_read = [
        path
        for path, stat in look.seen.items()
        if reread_all
        or path not in old
        or path in look.attached
        or (old[path].mtime_ns, old[path].size) != (stat.st_mtime_ns, stat.st_size)
    ]
    documents: dict[str, Document] = {}
    for done, (path, parsed) in enumerate(_read_files(content_dir, to_read, taxonomy), 1):
        previous = target.remembered.get(path)
        stat = look.seen[path]
        if not parsed.hash and not (content_dir / path).exists():  # deleted while we looked
            look.entries.pop(path, None)
        elif (
            previous
            and not (reread_all or target.rebuilt)
            and parsed.hash == previous.hash
            and path not in look.attached
        ):
            previous.mtime_ns, previous.size = stat.st_mtime_ns, stat.st_size
        else:
            look.entries[path] = entry_for(parsed, stat, previous)
            if parsed.document is not None:
                documents[path] = parsed.document
        if progress:
            progress(done, len(to_read))
    read = _Read(to_read, documents)
    attachments.read(content_dir, read, look.entries)
    return read


@dataclass
class _Attachments:
    """Reads the attached files of the documents read, and keeps in their entries their
    states, the problems of their `attachments` lines and the references they cite."""

    max_mb: int
    index_dir: Path

    def read(self, content_dir: Path, read: _Read, entries: dict[str, Entry]) -> None:
        attaching = [d for d in read.documents.values() if d.attachments]
        states = {d.path: file_states(d, content_dir) for d in attaching}
        found = (
            attachment_reader(self.max_mb, self.index_dir)(content_dir, attaching)
            if attaching
            else {}
        )
        for document in attaching:
            entry = entries[document.path]
            entry.attachments = states[document.path]
            got = found.get(document.id)
            if got is None:
                continue
            entry.attachment_problems = got.problems
            read.attached[document.path] = got.texts
            line = document.field_lines.get("attachments", 1)
            known = {reference for reference, _ in entry.citations}
            entry.citations += [(r, line) for r in cited(got.texts) if r not in known]


def _parse_many(content_dir: Path, taxonomy: Taxonomy, paths: list[str]) -> list[ParsedFile]:
    return [parse_file(content_dir / path, content_dir, taxonomy) for path in paths]


def _read_files(
    content_dir: Path, paths: list[str], taxonomy: Taxonomy
) -> Iterator[tuple[str, ParsedFile]]:
    """Each file read and validated, in order (by several processes when there are many)."""
    processes = processes_for(len(paths))
    if processes == 1:
        for path in paths:
            yield path, parse_file(content_dir / path, content_dir, taxonomy)
        return
    parse = functools.partial(_parse_many, content_dir, taxonomy)
    yield from map_in_pool(parse, paths, processes, PARSE_CHUNK)


def _relations(old: Manifest, entries: dict[str, Entry], read: list[str] | None) -> RelationGraph:
    """The relations of the new entries: the old manifest's graph updated with the files
    read and gone (when it has one and `read` is given), else a graph built anew.

    The graph is taken from the old manifest: should this update fail half-way, the
    next one starts from a graph built anew, not from a half-updated one.
    """
    graph, old.graph = old.graph, None
    if graph is None or read is None:
        return RelationGraph(entries)
    changed = {p for p in read if entries.get(p) is not old.entries.get(p)}
    changed.update(p for p in old.entries if p not in entries)
    graph.update(entries, changed)
    return graph


@dataclass
class _Change:
    """One update: the manifests before and after, and the documents read anew."""

    old: Manifest
    new: Manifest
    parsed: dict[str, Document]
    #: the attached files of the documents read, by document path
    attached: dict[str, list[AttachmentText]]
    old_ids: set[str] = field(init=False)
    new_ids: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.old_ids, self.new_ids = self.old.indexed_ids(), self.new.indexed_ids()

    def touches_index(self) -> bool:
        """Whether documents were read, left the index, or had their relations change."""
        return bool(self.parsed) or (
            self.old_ids != self.new_ids or self.old.derived != self.new.derived
        )

    def relations_moved(self) -> list[str]:
        """Indexed documents, not read anew, whose derived relations changed."""
        old_derived, rewritten = self.old.derived, {d.id for d in self.parsed.values()}
        return sorted(
            doc_id
            for doc_id, derived in self.new.derived.items()
            if old_derived.get(doc_id) != derived and doc_id not in rewritten
        )


def _write(
    target: _Target, change: _Change, summary: UpdateSummary, taxonomy: Taxonomy, read: list[str]
) -> None:
    """Commit the change into the target generation, then save the manifest."""
    path = target.generation.path
    try:
        if target.rebuilt or change.touches_index():
            MANIFESTS.mark_pending(path)
            # nothing committed on a failure: index and manifest still agree
            with committing(
                target.generation, target.salvage, lambda: MANIFESTS.mark_pending(path, False)
            ) as commit:
                _write_changes(commit, change, summary, taxonomy)
        MANIFESTS.save(path, change.new, read, None if target.rebuilt else change.old)
    except (OSError, sqlite3.Error) as exc:  # a full disk, most likely
        raise _write_error(path, exc) from exc


def _write_changes(
    commit: Commit, change: _Change, summary: UpdateSummary, taxonomy: Taxonomy
) -> None:
    """Write new and changed documents, rewrite those whose relations moved, drop the
    rest (a large rebuild's documents are written by several processes)."""
    for doc_id in change.old_ids - change.new_ids:
        commit.delete(doc_id)
    documents = [d for d in change.parsed.values() if d.status != "draft"]
    summary.updated += sum(1 for d in documents if d.id in change.old_ids)
    summary.added += sum(1 for d in documents if d.id not in change.old_ids)

    def fields_of(document: Document) -> dict[str, object]:
        attached = change.attached.get(document.path, [])
        record = document_record(document, change.new.derived[document.id], attached)
        return record_fields(record, taxonomy)

    processes = processes_for(len(documents)) if summary.rebuilt else 1
    if processes > 1:  # a new, empty generation: no document to replace
        commit.add_segments(write_segments(commit, documents, fields_of, processes))
    else:
        for document in documents:
            commit.put(fields_of(document))
    for doc_id in change.relations_moved():
        stored = commit.stored_record(doc_id)
        if stored is not None:
            record = {**stored, **derived_fields(change.new.derived[doc_id], stored["html"])}
            commit.put(record_fields(record, taxonomy))
