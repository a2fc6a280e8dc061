"""The Whoosh index: schema, generations, the single writer, incremental updates.

Layout of the index directory::

    index/
      CURRENT          name of the generation being served (replaced atomically)
      .writer.lock     held by the one process writing (others wait for it)
      gen-<stamp>/     a Whoosh index, plus manifest.sqlite (files, hashes, problems)

An incremental update writes into the current generation. A rebuild, a schema change,
or a generation that does not open builds a new generation beside it and swaps
``CURRENT``: searches keep answering from the old one until the swap.
"""

from __future__ import annotations

import contextlib
import fcntl
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
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, Index, clean_files
from whoosh.searching import Searcher
from whoosh.writing import MERGE_SMALL, SegmentWriter

from . import whoosh_fixes  # noqa: F401  (applied on import)
from .analysis import fold, folding_analyzer, language_analyzer, spelling_terms
from .documents import Document, ParsedFile, parse_file
from .errors import IndexUnavailable, Problem
from .manifest import MANIFESTS, Manifest
from .parallel import map_in_pool, processes_for, write_segments
from .relations import Derived, RelationGraph
from .repository import Entry, entry_for, is_document_path, is_hidden, scan
from .taxonomy import TAXONOMY_FILE, Taxonomy, load_taxonomy

log = logging.getLogger("docrepo.index")

#: memory for postings before the writer sorts them into temporary files (Whoosh: 128)
WRITER_MB = 1024
#: files read by a process of the pool at a time
PARSE_CHUNK = 200
#: Bump when the schema or the analyzers change: an older index is then rebuilt.
SCHEMA_VERSION = 6
LANGS = ("fr", "en")
FACET_FIELDS = ("type", "institute", "region", "issuer", "theme", "status", "lang", "year")
#: facet name → record key holding its value(s)
FACET_KEYS = {
    "type": "type",
    "institute": "institutes",
    "region": "regions",
    "issuer": "issuer",
    "theme": "themes",
    "status": "status",
    "lang": "lang",
    "year": "year",
}


def build_schema() -> Schema:
    """One text field per language and part (so each is analyzed in its language)."""
    text_fields: dict[str, Any] = {}
    for lang in LANGS:
        analyzer = language_analyzer(lang)
        text_fields[f"title_{lang}"] = TEXT(analyzer=analyzer, field_boost=4.0)
        text_fields[f"body_{lang}"] = TEXT(analyzer=analyzer)
    keyword = {"commas": True, "scorable": False, "lowercase": False}
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),  # a column: ties are ordered by id
        record=STORED(),
        meta=TEXT(analyzer=folding_analyzer(), field_boost=2.0),
        place=TEXT(analyzer=folding_analyzer(), field_boost=6.0),
        labels=TEXT(analyzer=folding_analyzer()),
        spell=KEYWORD(),
        reference=ID(sortable=True),  # a column: `DEC24*` is a range of it
        type=ID(),
        status=ID(),
        lang=ID(),
        issuer=ID(),
        year=ID(),
        institute=KEYWORD(**keyword),
        region=KEYWORD(**keyword),
        theme=KEYWORD(**keyword),
        access=KEYWORD(**keyword),
        links=KEYWORD(**keyword),
        aliases=KEYWORD(**keyword),
        date=NUMERIC(int, bits=32, sortable=True),
        title_key=ID(sortable=True),
        **text_fields,
    )


def document_record(document: Document, derived: Derived) -> dict[str, Any]:
    """Everything the faces show of a document, stored once in the index."""
    return {
        "id": document.id,
        "path": document.path,
        "hash": document.hash,
        "title": document.title,
        "type": document.type,
        "lang": document.lang,
        "date": document.date.isoformat() if document.date else None,
        "published": document.published.isoformat() if document.published else None,
        "reference": document.reference,
        "institutes": document.institutes,
        "regions": document.regions,
        "issuer": document.issuer,
        "themes": document.themes,
        "declared_status": document.status,
        "access": document.access,
        "summary": document.summary,
        "aliases": document.aliases,
        "code": document.code,
        "director": document.director,
        "partners": document.partners,
        "city": document.city,
        "country": document.country,
        "website": document.website,
        "html": document.html,
        "text": document.text,
        "toc": [[h.level, h.anchor, h.title] for h in document.toc],
        "links": sorted({link.target for link in document.links}),
        **derived_fields(derived),
    }


def derived_fields(derived: Derived) -> dict[str, Any]:
    return {
        "status": derived.status,
        "superseded_by": list(derived.superseded_by),
        "amended_by": list(derived.amended_by),
        "supersedes": list(derived.supersedes),
        "amends": list(derived.amends),
    }


def access_terms(access: list[str]) -> list[str]:
    """Index terms of the `access` field: public, internal, or group:<name> per group."""
    if access in (["public"], ["internal"]):
        return list(access)
    return [f"group:{g}" for g in access]


#: vocabularies whose labels make a document findable ("Occitanie Est", "CNRS Chimie")
LABELLED = (("institutes", "institutes"), ("regions", "regions"), ("issuers", "issuer"))


def labels_text(record: dict[str, Any], taxonomy: Taxonomy) -> str:
    """The labels, in both languages, of the institutes, regions and issuer of a record."""
    labels: set[str] = set()
    for vocabulary, key in LABELLED:
        value = record.get(key)
        for code in value if isinstance(value, list) else [value] if value else []:
            labels.update(taxonomy.label(vocabulary, code, lang) for lang in LANGS)
    return "\n".join(sorted(labels))


def index_fields(record: dict[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """The Whoosh fields of a stored record."""
    lang = record["lang"]
    body = "\n".join(p for p in (record.get("summary"), record["text"]) if p)
    code = record.get("code")
    meta_parts = [record.get(k) for k in ("reference", "code", "director")]
    meta_parts.append(code.replace(" ", "") if code and " " in code else None)
    meta = " ".join([str(p) for p in meta_parts if p] + list(record.get("partners") or []))
    date = record.get("date")
    fields: dict[str, Any] = {
        "id": record["id"],
        "record": record,
        f"title_{lang}": record["title"],
        f"body_{lang}": body,
        "meta": meta,
        "labels": labels_text(record, taxonomy),
        "place": " ".join(p for p in (record.get("city"), record.get("country")) if p),
        "spell": spelling_terms(f"{record['title']}\n{body}"),
        "type": record["type"],
        "status": record["status"],
        "lang": lang,
        "institute": ",".join(record["institutes"]),
        "region": ",".join(record["regions"]),
        "theme": ",".join(record["themes"]),
        "access": ",".join(access_terms(record["access"])),
        "links": ",".join(record["links"]),
        "aliases": ",".join(record["aliases"]),
        "title_key": fold(record["title"]).lower(),
        "date": int(date.replace("-", "")) if date else 0,
    }
    if record.get("reference"):
        fields["reference"] = record["reference"].lower()
    if record.get("issuer"):
        fields["issuer"] = record["issuer"]
    if date:
        fields["year"] = date[:4]
    return fields


_HELD_LOCKS: set[int] = set()
"""Descriptors of the writer locks this process holds. A lock belongs to the open file,
which a forked child shares: the child closes its copies, so that the lock is free as
soon as this process lets it go or dies, whatever the children still do."""


def _forget_locks_in_child() -> None:
    for handle in _HELD_LOCKS:
        os.close(handle)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


class IndexStore:
    """The index directory: its generations, the writer lock, the manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the single-writer lock; a second writer waits here instead of failing."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.root / ".writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise IndexUnavailable(
                f"cannot write the index in {self.root}: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            _HELD_LOCKS.add(handle)
            try:
                yield
            finally:
                _HELD_LOCKS.discard(handle)
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)

    def current(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, ValueError):  # missing, unreadable, or not text
            return None
        if not name.startswith("gen-") or "/" in name:
            return None
        path = self.root / name
        return path if name and path.is_dir() else None

    def open(self, generation: Path | None = None) -> Index:
        """Open a generation (the current one by default) or raise IndexUnavailable."""
        generation = generation or self.current()
        if generation is None:
            raise IndexUnavailable(f"no index in {self.root}: run 'docrepo index'")
        try:
            # Without mmap: Whoosh copies each memory-mapped part it opens into a BytesIO
            # (a searcher on 100,000 documents then costs ~700 MB and ~1 s to open).
            return FileStorage(str(generation), supports_mmap=False).open_index()
        except Exception as exc:  # Whoosh raises many kinds on a damaged index
            raise IndexUnavailable(f"the index in {generation} does not open: {exc}") from exc

    def load_manifest(self, generation: Path, any_version: bool = False) -> Manifest | None:
        """The manifest of a generation (None if missing, damaged, or of another schema)."""
        manifest = MANIFESTS.load(generation)
        if manifest is None or (manifest.schema_version != SCHEMA_VERSION and not any_version):
            return None
        return manifest

    def usable(self, any_version: bool = False) -> tuple[Path, Manifest] | None:
        """The current generation and its manifest, if it opens (and is of this schema)."""
        generation = self.current()
        if generation is None:
            return None
        manifest = self.load_manifest(generation, any_version)
        if manifest is None or self.usable_index(generation) is None:
            return None
        return generation, manifest

    def usable_index(self, generation: Path) -> int | None:
        """The number of documents in a generation, if it opens and reads."""
        try:
            ix = self.open(generation)
            with ix.searcher() as searcher:
                return int(searcher.doc_count())
        except Exception:  # a damaged index fails in many ways (struct.error, EOFError…)
            return None

    def new_generation(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.root / f"gen-{stamp}"
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), build_schema())
        return path

    def swap(self, generation: Path) -> None:
        """Serve `generation` from now on; keep the previous one for readers still on it."""
        previous = self.current()
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(generation.name, encoding="utf-8")
        os.replace(tmp, self.root / "CURRENT")
        for old in self.root.glob("gen-*"):  # older ones, and any a killed rebuild left
            if old not in (generation, previous):
                shutil.rmtree(old, ignore_errors=True)


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


Progress = Callable[[int, int], None]


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def update_index(
    content_dir: Path,
    store: IndexStore,
    rebuild: bool = False,
    progress: Progress | None = None,
    paths: Collection[str] | None = None,
) -> UpdateSummary:
    """Bring the index up to date with the content directory (only what changed).

    With `paths` (relative to the content directory: files or folders, existing or
    gone), only those are looked at; the others are taken as unchanged. Without, the
    whole tree is scanned (by mtime and size, then by hash).
    """
    started = time.perf_counter()
    with store.writer_lock():
        summary = _update_locked(content_dir, store, rebuild, progress, paths)
    summary.seconds = time.perf_counter() - started
    return summary


StatMap = dict[str, os.stat_result]


def _look_at(content_dir: Path, old: Manifest, paths: Collection[str]) -> tuple[StatMap, set[str]]:
    """Stats of the documents under the given paths, and the known paths now gone."""
    found: StatMap = {}
    gone: set[str] = set()
    for path in {p.strip("/") for p in paths}:
        absolute = content_dir / path
        if is_hidden(path):
            continue
        if absolute.is_dir() and not absolute.is_symlink():
            found.update((f"{path}/{sub}" if path else sub, st) for sub, st in scan(absolute))
        elif is_document_path(path) and absolute.is_file() and not absolute.is_symlink():
            with contextlib.suppress(FileNotFoundError):  # gone since: then it counts as gone
                found[path] = absolute.stat()
        if path in found:
            continue
        prefix = f"{path}/" if path else ""  # a folder, or a file gone: what was under it
        gone.update(p for p in old.entries if (p == path or p.startswith(prefix)))
    return found, gone - set(found)


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


def _nothing_changed(content_dir: Path, store: IndexStore) -> UpdateSummary | None:
    """The summary of a full scan that finds every file as the manifest knows it, found
    from the manifest's file stats alone (None: something changed, or the index needs
    more than a look). The usual case at start-up, and for periodic reconciliation."""
    generation = store.current()
    header = MANIFESTS.header(generation) if generation else None
    if (
        generation is None
        or header is None
        or header.get("schema_version") != str(SCHEMA_VERSION)
        or header.get("pending") == "1"
        or header.get("taxonomy_hash") != _file_hash(content_dir / TAXONOMY_FILE)
    ):
        return None
    on_disk = {path: (st.st_mtime_ns, st.st_size) for path, st in scan(content_dir)}
    if on_disk != MANIFESTS.file_stats(generation) or store.usable_index(generation) is None:
        return None
    problems = MANIFESTS.problems(generation)
    return UpdateSummary(invalid=int(header.get("invalid", "0")), problems=problems)


def _update_locked(
    content_dir: Path,
    store: IndexStore,
    rebuild: bool,
    progress: Progress | None,
    paths: Collection[str] | None,
) -> UpdateSummary:
    if not content_dir.is_dir():
        raise IndexUnavailable(f"the content directory {content_dir} does not exist")
    if paths is None and not rebuild and (unchanged := _nothing_changed(content_dir, store)):
        return unchanged
    summary = UpdateSummary()
    current = store.usable()
    if current is not None and current[1].pending:
        log.warning("docrepo: the last indexing stopped half-way: rebuilding the index")
        rebuild = True
    if rebuild or current is None:
        # A new generation; the last one (if it opens, even of an older schema) still
        # lends the last valid version of files that are broken now.
        generation, old, salvage = store.new_generation(), Manifest(), store.usable(True)
        summary.rebuilt = True
    else:
        (generation, old), salvage = current, None
    remembered = salvage[1].entries if salvage else old.entries
    taxonomy, taxonomy_problems = load_taxonomy(content_dir)
    taxonomy_hash = _file_hash(content_dir / TAXONOMY_FILE)
    reread_all = taxonomy_hash != old.taxonomy_hash

    if paths is None or reread_all:
        seen = dict(scan(content_dir))
        entries = {path: old.entries[path] for path in seen if path in old.entries}
    else:
        seen, gone = _look_at(content_dir, old, paths)
        entries = dict(old.entries)
        for path in gone:
            del entries[path]
    parsed_docs: dict[str, Document] = {}
    to_read = [
        path
        for path, stat in seen.items()
        if reread_all
        or path not in old.entries
        or (old.entries[path].mtime_ns, old.entries[path].size) != (stat.st_mtime_ns, stat.st_size)
    ]
    for done, (path, parsed) in enumerate(_read_files(content_dir, to_read, taxonomy), 1):
        previous = remembered.get(path)
        if not parsed.hash and not (content_dir / path).exists():  # deleted while we looked
            entries.pop(path, None)
            continue
        if previous and not (reread_all or summary.rebuilt) and parsed.hash == previous.hash:
            previous.mtime_ns, previous.size = seen[path].st_mtime_ns, seen[path].st_size
        else:
            entries[path] = entry_for(parsed, seen[path], previous)
            if parsed.document is not None:
                parsed_docs[path] = parsed.document
        if progress:
            progress(done, len(to_read))
    summary.deleted = sum(1 for p, e in old.entries.items() if p not in entries and e.indexed)
    if not (summary.rebuilt or to_read or len(entries) != len(old.entries)):
        summary.invalid = len(old.invalid_paths())
        summary.problems = old.problems()
        return summary  # nothing changed: relations neither

    graph = _relations(old, entries, None if summary.rebuilt or reread_all else to_read)
    relations = graph.relations()
    manifest = Manifest(
        entries,
        taxonomy_hash,
        datetime.now(UTC).isoformat(timespec="seconds"),
        sorted(taxonomy_problems + relations.problems),
        relations.derived,
        schema_version=SCHEMA_VERSION,
        graph=graph,
    )
    change = _Change(old, manifest, parsed_docs)
    try:
        if summary.rebuilt or parsed_docs or change.moved():
            _commit(store, generation, salvage, change, summary, taxonomy)
        MANIFESTS.save(generation, manifest, to_read, None if summary.rebuilt else old)
    except (OSError, sqlite3.Error) as exc:  # a full disk, most likely
        reason = getattr(exc, "strerror", None) or exc
        raise IndexUnavailable(f"cannot write the index in {generation}: {reason}") from exc
    if summary.rebuilt:
        store.swap(generation)
    summary.invalid = len(manifest.invalid_paths())
    summary.problems = manifest.problems()
    return summary


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
    old_ids: set[str] = field(init=False)
    new_ids: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.old_ids, self.new_ids = self.old.indexed_ids(), self.new.indexed_ids()

    def moved(self) -> bool:
        """Whether documents left the index or relations changed (even with nothing read)."""
        return self.old_ids != self.new_ids or self.old.derived != self.new.derived

    def relations_moved(self) -> list[str]:
        """Indexed documents, not read anew, whose derived relations changed."""
        old_derived, rewritten = self.old.derived, {d.id for d in self.parsed.values()}
        return sorted(
            doc_id
            for doc_id, derived in self.new.derived.items()
            if old_derived.get(doc_id) != derived and doc_id not in rewritten
        )


def _commit(
    store: IndexStore,
    generation: Path,
    salvage: tuple[Path, Manifest] | None,
    change: _Change,
    summary: UpdateSummary,
    taxonomy: Taxonomy,
) -> None:
    """Write the changes into the generation in one commit; a failed one leaves no files."""
    MANIFESTS.mark_pending(generation)
    ix = store.open(generation)
    source = store.open(salvage[0]) if salvage else ix
    writer = ix.writer(timeout=30.0, limitmb=WRITER_MB)
    try:
        with source.searcher() as searcher:
            written = _write_changes(ix, writer, searcher, change, summary, taxonomy)
        # segments written by other processes join the index in the same commit
        writer.commit(mergetype=lambda writer, segments: MERGE_SMALL(writer, segments) + written)
    except BaseException:
        writer.cancel()
        with contextlib.suppress(Exception):  # the segment half written (e.g. disk full)
            toc = TOC.read(ix.storage, ix.indexname)
            clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
            # nothing was committed: index and manifest still agree
            MANIFESTS.mark_pending(generation, False)
        raise


def _write_changes(
    ix: Index,
    writer: SegmentWriter,
    source: Searcher,
    change: _Change,
    summary: UpdateSummary,
    taxonomy: Taxonomy,
) -> list[Segment]:
    """Write new and changed documents, rewrite those whose relations moved, drop the rest;
    return the segments that other processes wrote (for a large rebuild), to commit.

    `source` is a searcher on the generation that holds the stored records of documents
    that are not re-read: the same generation, or the previous one during a rebuild.
    """
    for doc_id in change.old_ids - change.new_ids:
        writer.delete_by_term("id", doc_id)
    documents = [d for d in change.parsed.values() if d.status != "draft"]
    summary.updated += sum(1 for d in documents if d.id in change.old_ids)
    summary.added += sum(1 for d in documents if d.id not in change.old_ids)

    def fields_of(document: Document) -> dict[str, Any]:
        return index_fields(document_record(document, change.new.derived[document.id]), taxonomy)

    processes = processes_for(len(documents)) if summary.rebuilt else 1
    if processes > 1:  # a new, empty generation: no document to replace
        segments = write_segments(ix, documents, fields_of, processes, WRITER_MB // processes)
    else:
        segments = []
        for document in documents:
            writer.update_document(**fields_of(document))
    for doc_id in change.relations_moved():
        stored = source.document(id=doc_id)
        if stored is not None:
            record = {**stored["record"], **derived_fields(change.new.derived[doc_id])}
            writer.update_document(**index_fields(record, taxonomy))
    return segments


def index_health(index_dir: Path) -> tuple[int, str] | None:
    """(invalid files, indexed at) of the generation being served, if any."""
    generation = IndexStore(index_dir).current()
    return MANIFESTS.health(generation) if generation else None


def load_manifest(index_dir: Path) -> Manifest | None:
    """The manifest of the generation being served, if any."""
    store = IndexStore(index_dir)
    generation = store.current()
    return store.load_manifest(generation) if generation else None
