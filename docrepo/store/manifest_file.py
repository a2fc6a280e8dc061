"""The manifest's SQLite file, and the questions a reader may ask it without loading it.

A reader (a web worker) asks for the health of the index and the problems of the
content: those are answered by a query each, without reading the entries of sound
files and without keeping anything in memory. The writer's full view of the manifest
is `manifest.Manifest`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IndexUnavailable, Message, Problem
from ..i18n import N_
from .sqlite_files import read_only

MANIFEST_FILE = "manifest.sqlite"


def connect(generation: Path, write: bool = False) -> sqlite3.Connection:
    """A connection to a generation's manifest: read-only, or with `write` the writer's,
    its tables created."""
    path = generation / MANIFEST_FILE
    if not write:
        return read_only(path)
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, mtime_ns INTEGER"
        " NOT NULL, size INTEGER NOT NULL, problems INTEGER NOT NULL, data TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS derived (id TEXT PRIMARY KEY, data TEXT NOT NULL);"
    )
    return db


def exists(generation: Path) -> bool:
    return (generation / MANIFEST_FILE).is_file()


def _rows(generation: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]] | None:
    """The rows of one query on a generation's manifest (None if it has none);
    ManifestUnreadable when it cannot be read."""
    if not exists(generation):
        return None
    try:
        db = connect(generation)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        message = N_("the manifest {path} cannot be read ({reason})")
        path = generation / MANIFEST_FILE
        raise ManifestUnreadable(Message.of(message, path=path, reason=exc)) from None


class ManifestUnreadable(IndexUnavailable):
    """A generation's manifest is there but cannot be read (not SQLite, unreadable)."""


def header(generation: Path) -> dict[str, str] | None:
    """The manifest's header alone, for the writer's look before an update (None: none,
    or one that cannot be read, which the update rebuilds)."""
    try:
        return _header(generation)
    except ManifestUnreadable:
        return None


def _header(generation: Path) -> dict[str, str] | None:
    """The header alone: a health check must not load every entry (100,000 of them
    weigh hundreds of MB)."""
    meta = dict(_rows(generation, "SELECT key, value FROM meta") or [])
    return meta if "revision" in meta else None


@dataclass(frozen=True)
class Health:
    """What `/healthz` says of the generation served, besides its document count."""

    invalid: int
    indexed_at: str


def health(generation: Path) -> Health | None:
    """The number of invalid files and the time of the last update, from the header
    (ManifestUnreadable: a reader reports what it cannot read)."""
    meta = _header(generation)
    if meta is None:
        return None
    return Health(int(meta.get("invalid", "0")), meta.get("indexed_at", ""))


def file_stats(generation: Path) -> dict[str, tuple[int, int]]:
    """Path → (mtime in ns, size) of every file the manifest knows (none when it cannot
    be read: the writer's update then rebuilds it)."""
    try:
        rows = _rows(generation, "SELECT path, mtime_ns, size FROM entries") or []
    except ManifestUnreadable:
        rows = []
    return {path: (mtime_ns, size) for path, mtime_ns, size in rows}


def attachment_states(generation: Path) -> list[tuple[str, int, int]]:
    """The state (path, mtime in ns, size) the manifest knows of every attached file."""
    sql = (
        "SELECT json_extract(data, '$.attachments') FROM entries"
        " WHERE json_array_length(data, '$.attachments') > 0"
    )
    try:
        rows = _rows(generation, sql) or []
    except ManifestUnreadable:
        rows = []
    return [(str(p), int(m), int(s)) for (states,) in rows for p, m, s in json.loads(states)]


def changed_at(generation: Path, paths: list[str]) -> dict[str, int]:
    """Path → when the file last changed on disk (mtime in ns), for the paths asked."""
    return dict(_entries(generation, paths, "mtime_ns"))


def problems(generation: Path) -> list[Problem]:
    """Every problem the manifest holds, without reading the entries of sound files."""
    return [problem for problem, _ in problems_with_documents(generation)]


def problems_with_documents(generation: Path) -> list[tuple[Problem, str | None]]:
    """Every problem, sorted, with the id of the indexed document its file holds (None
    when no version of the file is in the index: never valid, or a draft)."""
    rows = _rows(generation, "SELECT path, data FROM entries WHERE problems > 0") or []
    found: list[Problem] = []
    indexed: dict[str, str | None] = {}
    for path, data in rows:
        entry = json.loads(data)
        found += [Problem.from_dict(p) for p in entry["problems"]]
        found += [Problem.from_dict(p) for p in entry.get("attachment_problems", [])]
        indexed[path] = _indexed_id(entry)
    meta = _header(generation) or {}
    across = [Problem.from_dict(p) for p in json.loads(meta.get("relation_problems", "[]"))]
    found += across
    others = sorted({p.path for p in across} - set(indexed))
    for path, data in _entries(generation, others):
        indexed[path] = _indexed_id(json.loads(data))
    return [(p, indexed.get(p.path)) for p in sorted(found)]


def _entries(generation: Path, paths: list[str], column: str = "data") -> list[tuple[Any, ...]]:
    """(path, `column`) of the entries of these paths."""
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(paths), 500):  # SQLite's limit on parameters
        chunk = paths[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT path, {column} FROM entries WHERE path IN ({marks})"
        found += _rows(generation, sql, tuple(chunk)) or []
    return found


def _indexed_id(entry: dict[str, Any]) -> str | None:
    doc_id = entry.get("id")
    return str(doc_id) if doc_id is not None and entry.get("status") != "draft" else None


def field_lines(generation: Path, paths: list[str], name: str) -> dict[str, int]:
    """The line of a field in the last valid version of some files (1: not given)."""
    return {
        path: int(json.loads(data).get("lines", {}).get(name, 1))
        for path, data in _entries(generation, paths)
    }


def links_of(generation: Path, paths: list[str]) -> dict[str, list[tuple[str, int]]]:
    """The links (target id, line) of the last valid version of some files."""
    return {
        path: [(str(target), int(line)) for target, line in json.loads(data).get("links", [])]
        for path, data in _entries(generation, paths)
    }
