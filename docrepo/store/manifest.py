"""The manifest of a generation: what each file was when last read, kept in SQLite.

One row per file and one per derived relation state, so that an update writes only
what changed (a JSON file rewritten whole took 0.7 s at 10,000 files). Each process
keeps the manifest in memory and reloads it only when another process has written a
newer revision. A `pending` mark is set before the index is written and cleared with
the manifest: found set, it tells that a writer stopped between the two, and the next
update rebuilds (the derived relations of the manifest may then be behind the index).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.entries import Entry
from ..content.relations import Derived, RelationGraph
from ..content.tree import PATH_FIELD
from ..errors import Problem
from . import manifest_file
from .manifest_file import connect


@dataclass
class Manifest:
    """The files behind one generation, and when it was last written."""

    entries: dict[str, Entry] = field(default_factory=dict)
    taxonomy_hash: str = ""
    indexed_at: str = ""
    relation_problems: list[Problem] = field(default_factory=list)
    derived: dict[str, Derived] = field(default_factory=dict)
    schema_version: int = 0
    revision: int = 0
    pending: bool = False
    #: the relations of the entries, kept in memory by the writing process (not saved)
    graph: RelationGraph | None = field(default=None, repr=False, compare=False)

    def problems(self) -> list[Problem]:
        found = [p for e in self.entries.values() for p in e.all_problems()]
        return sorted(found + self.relation_problems)

    def indexed_ids(self) -> set[str]:
        """Ids of the documents a version of which is in the index (those with relations
        derived: one key per indexed document)."""
        return set(self.derived)

    def invalid_paths(self) -> list[str]:
        """The files that are not valid, and the paths that could not be read at all."""
        broken = {p.path for p in self.path_problems() if p.level == "error"}
        return sorted(broken | {e.path for e in self.entries.values() if not e.valid})

    def path_problems(self) -> list[Problem]:
        """The problems of paths themselves (unreadable folders, names not UTF-8)."""
        return sorted(p for p in self.relation_problems if p.field == PATH_FIELD)


def _entry_json(entry: Entry) -> str:
    return json.dumps(entry.to_json(), ensure_ascii=False, separators=(",", ":"))


def _derived_json(derived: Derived) -> str:
    """Its fields in order (lists for the tuples): a field appended to `Derived` is kept."""
    return json.dumps(list(derived), separators=(",", ":"))


def _derived(text: str) -> Derived:
    values: list[Any] = [_tuples(v) for v in json.loads(text)]
    return Derived(*values)


def _tuples(value: Any) -> Any:
    """JSON's lists as the tuples they were (of ids, or of (reference, id) pairs)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


class ManifestStore:
    """Reads and writes the manifest of generations, with a per-process cache."""

    def __init__(self) -> None:
        self._cache: dict[Path, Manifest] = {}
        self._lock = threading.Lock()

    def load(self, generation: Path) -> Manifest | None:
        """The manifest of a generation (None when it has none or it is unreadable)."""
        if not manifest_file.exists(generation):
            return None
        with self._lock:
            try:
                db = connect(generation)
            except sqlite3.Error:
                return None
            try:
                return self._load(db, generation)
            except (sqlite3.Error, ValueError, KeyError, TypeError):
                return None
            finally:
                db.close()

    def _load(self, db: sqlite3.Connection, generation: Path) -> Manifest | None:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if "revision" not in meta:
            return None
        revision = int(meta["revision"])
        cached = self._cache.get(generation)
        if cached is not None and cached.revision == revision:
            cached.pending = meta.get("pending") == "1"
            return cached
        manifest = Manifest(
            entries={
                path: Entry.from_json(json.loads(data))
                for path, data in db.execute("SELECT path, data FROM entries")
            },
            taxonomy_hash=meta.get("taxonomy_hash", ""),
            indexed_at=meta.get("indexed_at", ""),
            relation_problems=[
                Problem.from_dict(p) for p in json.loads(meta.get("relation_problems", "[]"))
            ],
            derived={i: _derived(d) for i, d in db.execute("SELECT id, data FROM derived")},
            schema_version=int(meta.get("schema_version", "0")),
            revision=revision,
            pending=meta.get("pending") == "1",
        )
        self._remember(generation, manifest)
        return manifest

    def forget(self) -> None:
        """Drop every cached manifest (a process that stops writing keeps none in memory)."""
        with self._lock:
            self._cache.clear()

    def _remember(self, generation: Path, manifest: Manifest) -> None:
        """Keep a generation's manifest for the next load, and forget those of
        generations deleted since (each rebuild makes a new one)."""
        for gone in [g for g in self._cache if g != generation and not g.is_dir()]:
            del self._cache[gone]
        self._cache[generation] = manifest

    def mark_pending(self, generation: Path, pending: bool = True) -> None:
        """Say that the index of this generation is being written (or, False, is not)."""
        with self._lock:
            db = connect(generation, write=True)
            try:
                with db:
                    value = "1" if pending else "0"
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', ?)", (value,))
            finally:
                db.close()

    def save(
        self,
        generation: Path,
        manifest: Manifest,
        changed_paths: Iterable[str],
        previous: Manifest | None,
    ) -> None:
        """Write what changed since `previous` (everything when None), and clear `pending`."""
        with self._lock:
            db = connect(generation, write=True)
            try:
                with db:
                    self._save(db, manifest, set(changed_paths), previous)
            finally:
                db.close()
            self._remember(generation, manifest)

    @staticmethod
    def _save(
        db: sqlite3.Connection,
        manifest: Manifest,
        changed: set[str],
        previous: Manifest | None,
    ) -> None:
        if previous is None:
            db.execute("DELETE FROM entries")
            db.execute("DELETE FROM derived")
            changed = set(manifest.entries)
            old_derived: dict[str, Derived] = {}
        else:
            gone = [(p,) for p in previous.entries if p not in manifest.entries]
            db.executemany("DELETE FROM entries WHERE path = ?", gone)
            old_derived = previous.derived
        rows = [(p, manifest.entries[p]) for p in changed if p in manifest.entries]
        db.executemany(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
            [(p, e.mtime_ns, e.size, len(e.all_problems()), _entry_json(e)) for p, e in rows],
        )
        db.executemany(
            "DELETE FROM derived WHERE id = ?",
            [(i,) for i in old_derived if i not in manifest.derived],
        )
        db.executemany(
            "INSERT OR REPLACE INTO derived VALUES (?, ?)",
            [(i, _derived_json(d)) for i, d in manifest.derived.items() if old_derived.get(i) != d],
        )
        row = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        manifest.revision = (int(row[0]) if row else 0) + 1
        manifest.pending = False
        meta: dict[str, Any] = {
            "revision": manifest.revision,
            "pending": "0",
            "schema_version": manifest.schema_version,
            "taxonomy_hash": manifest.taxonomy_hash,
            "indexed_at": manifest.indexed_at,
            "invalid": len(manifest.invalid_paths()),
            "relation_problems": json.dumps([p.to_record() for p in manifest.relation_problems]),
        }
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()]
        )


#: one cache per process, shared by every reader and writer of any index
MANIFESTS = ManifestStore()
